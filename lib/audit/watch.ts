import type { Deployment } from "../deployment/deployment";
import type { DisclosureEntry } from "../disclosure";
import { anchorsOf, selectGateway } from "./disclosures";
import type { LedgerEvent } from "./events";
import { alertKey, evaluateRules, type Alert, type MonitorConfig, type RuleId } from "./monitor";
import { BlockTimes, headBlock, scanEvents, type RpcSender } from "./reconstruct";

/** Options of {@link createMonitor}. */
export interface WatchOptions {
  /** Reads the gateway's disclosure log as it is now (re-read on every poll: it grows, and it may be tampered with). */
  readLog?: () => Promise<DisclosureEntry[]>;
  /** The gateway that keeps the log (default: the only gateway that anchored roots). */
  gateway?: string;
  config?: Partial<MonitorConfig>;
  rules?: readonly RuleId[];
  /** First block to watch (default: the deployment's first block). */
  fromBlock?: number;
  /** Unix seconds "now" (default: the wall clock); tests pass the chain's time. */
  now?: () => number;
  pageSize?: number;
}

/** A running compliance monitor: each poll reads new blocks and the log, and returns only alerts not seen before. */
export interface ComplianceMonitor {
  poll(): Promise<Alert[]>;
  /** Last block read. */
  readonly throughBlock: number;
}

/**
 * A compliance monitor over a chain and, optionally, a gateway's disclosure log. Chain events are read
 * incrementally (resuming at the last page's `nextBlock`); the rules then run over the whole history, so a rule that
 * needs context (a grant written long ago) still sees it. Each alert is returned once.
 *
 * @example
 * const monitor = createMonitor(provider, deployment, { readLog: async () => parseDisclosureLog(await readFile(f, "utf8")) });
 * for (;;) { for (const alert of await monitor.poll()) console.log(JSON.stringify(alert)); await sleep(5000); }
 */
export function createMonitor(rpc: RpcSender, deployment: Deployment, options: WatchOptions = {}): ComplianceMonitor {
  const events: LedgerEvent[] = [];
  const seen = new Set<string>();
  const blockTimes = new BlockTimes(rpc);
  let cursor = options.fromBlock ?? Math.min(...Object.values(deployment.contracts).map((c) => c.blockNumber));
  let throughBlock = cursor - 1;
  return {
    get throughBlock() {
      return throughBlock;
    },
    async poll() {
      const head = await headBlock(rpc);
      for await (const page of scanEvents(rpc, deployment, { fromBlock: cursor, toBlock: head, blockTimes, pageSize: options.pageSize })) {
        for (const event of page.events) events.push(event);
        cursor = page.nextBlock;
      }
      throughBlock = Math.max(throughBlock, head);
      const entries = options.readLog !== undefined ? await options.readLog() : [];
      const blocks = entries.filter((e) => e.block >= 0 && e.block <= head).map((e) => e.block);
      const times = await blockTimes.ofMany(blocks);
      // Anchors matter only for a log; without one, several anchoring gateways are no ambiguity.
      const gateway = options.readLog !== undefined ? selectGateway(events, options.gateway) : undefined;
      const alerts = evaluateRules(
        {
          events,
          throughBlock,
          entries,
          anchors: anchorsOf(events, gateway),
          blockTimes: times,
          now: options.now?.() ?? Math.floor(Date.now() / 1000),
          config: options.config,
        },
        options.rules,
      );
      const fresh: Alert[] = [];
      for (const alert of alerts) {
        const key = alertKey(alert);
        if (!seen.has(key)) {
          seen.add(key);
          fresh.push(alert);
        }
      }
      return fresh;
    },
  };
}
