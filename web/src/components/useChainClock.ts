import { useEffect, useState } from "react";

/**
 * Chain time now, in unix seconds, advanced by the local clock from the last chain time the gateway reported
 * (grants expire by chain time, which need not equal this device's clock). Re-renders every `tickMs`.
 */
export function useChainClock(chainTime: number | undefined, tickMs = 15_000): number {
  const [anchor, setAnchor] = useState<{ chain: number; local: number }>();
  const [, setTick] = useState(0);
  useEffect(() => {
    if (chainTime !== undefined) setAnchor({ chain: chainTime, local: Date.now() });
  }, [chainTime]);
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), tickMs);
    return () => clearInterval(id);
  }, [tickMs]);
  if (anchor === undefined) return chainTime ?? 0;
  return anchor.chain + Math.floor((Date.now() - anchor.local) / 1000);
}
