import { HEAD_MAX_AGE_MS } from "../../server/services/chain";

/**
 * Polls `probe` until `ok` holds (10 s at most), for what the gateway learns a moment after the chain: it reads the
 * chain at a head it polls and indexes events after their block. Waits for the condition, not for a time.
 */
export async function until<T>(probe: () => T | Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits past the gateway's head-age bound (HEAD_MAX_AGE_MS, plus 100 ms): the one wait that is for a time, because
 * the time is what is under test — the README's guarantee that every release decided that long after a block (a
 * revocation, a reverted grant, the chain stopping) sees it.
 */
export function pastHeadAge(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, HEAD_MAX_AGE_MS + 100));
}
