import type { Logger } from "pino";
import { disclosureRoot, type AnchoredRoot } from "../../lib/disclosure/anchoring";
import type { ChainService } from "./chain";
import type { DisclosureLog } from "./disclosureLog";

/** When to anchor: after this many new entries, or when the oldest unanchored entry is this old. */
export interface AnchorPolicy {
  everyEntries: number;
  intervalSeconds: number;
}

/**
 * Posts the Merkle root of the disclosure log's new entries to DisclosureAnchor (as this gateway's relayer),
 * so a log rewritten later no longer matches what the chain recorded. Runs on a timer; `anchorNow` forces a round.
 */
export class Anchorer {
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly chain: ChainService,
    private readonly log: DisclosureLog,
    private readonly policy: AnchorPolicy,
    private readonly logger: Logger,
  ) {}

  /** Starts checking once per second whether the policy calls for an anchor. */
  start(): void {
    this.timer = setInterval(() => void this.tick(), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Anchors every entry not yet anchored (if any); resolves with the anchored range. */
  anchorNow(): Promise<AnchoredRoot | undefined> {
    const next = this.running.then(() => this.anchorPending());
    this.running = next.catch(() => undefined);
    return next;
  }

  /** The roots this gateway has anchored, read from the chain. */
  async anchoredRoots(): Promise<AnchoredRoot[]> {
    const gateway = await this.gatewayAddress();
    const from = this.chain.deployment.contracts.DisclosureAnchor.blockNumber;
    const events = await this.chain.read(() =>
      this.chain.anchor.queryFilter(this.chain.anchor.filters.DisclosureRootAnchored(gateway), from, "latest"),
    );
    return events.map((e) => ({
      fromSeq: Number(e.args.fromSeq),
      toSeq: Number(e.args.toSeq),
      merkleRoot: e.args.merkleRoot,
      txHash: e.transactionHash,
    }));
  }

  private async tick(): Promise<void> {
    try {
      const entries = this.log.list();
      const next = await this.nextSeq();
      const pending = entries.length - next;
      if (pending <= 0) return;
      const oldestAge = (Date.now() - Date.parse(entries[next].time)) / 1000;
      if (pending >= this.policy.everyEntries || oldestAge >= this.policy.intervalSeconds) await this.anchorNow();
    } catch (err) {
      // The chain may be down; the entries stay pending and the next tick retries. The monitor flags long gaps.
      this.logger.warn({ err: (err as Error).message }, "anchoring deferred");
    }
  }

  private async anchorPending(): Promise<AnchoredRoot | undefined> {
    const entries = this.log.list();
    const fromSeq = await this.nextSeq();
    if (fromSeq >= entries.length) return undefined;
    const toSeq = entries.length - 1;
    const merkleRoot = disclosureRoot(entries.slice(fromSeq, toSeq + 1));
    const txHash = await this.chain.relay(
      "Anchoring the disclosure log",
      () => this.chain.anchor.anchor(fromSeq, toSeq, merkleRoot),
      () => this.chain.anchor.anchor.staticCall(fromSeq, toSeq, merkleRoot),
    );
    this.logger.info({ fromSeq, toSeq, txHash }, "disclosure log anchored");
    return { fromSeq, toSeq, merkleRoot, txHash };
  }

  private async nextSeq(): Promise<number> {
    const gateway = await this.gatewayAddress();
    return Number(await this.chain.read(() => this.chain.anchor.nextSeqOf(gateway)));
  }

  private async gatewayAddress(): Promise<string> {
    if (this.chain.relayer === undefined) throw new Error("anchoring needs a relayer key");
    return this.chain.relayer.getAddress();
  }
}
