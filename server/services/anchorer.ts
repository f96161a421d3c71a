import type { Logger } from "pino";
import { disclosureRoot, type AnchoredRoot } from "../../lib/disclosure/anchoring";
import type { ChainService } from "./chain";
import type { DisclosureLog } from "./disclosureLog";
import type { Relayer } from "./relay/relayer";

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
    private readonly relayer: Relayer,
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

  /**
   * The roots this gateway has anchored, read from the chain in pages no larger than the chain's log range. Up to the
   * head read now, not the polled one: a root this gateway mined a moment ago must count (else a verification right
   * after an anchor reports the anchored entries as unanchored).
   */
  async anchoredRoots(): Promise<AnchoredRoot[]> {
    const filter = this.chain.anchor.filters.DisclosureRootAnchored(this.relayer.address);
    const head = await this.chain.read(() => this.chain.provider.getBlockNumber());
    const roots: AnchoredRoot[] = [];
    for (let from = this.chain.deployment.contracts.DisclosureAnchor.blockNumber; from <= head; from += this.chain.logRange) {
      const to = Math.min(head, from + this.chain.logRange - 1);
      const events = await this.chain.read(() => this.chain.anchor.queryFilter(filter, from, to));
      for (const e of events) {
        roots.push({
          fromSeq: Number(e.args.fromSeq),
          toSeq: Number(e.args.toSeq),
          merkleRoot: e.args.merkleRoot,
          txHash: e.transactionHash,
        });
      }
    }
    return roots;
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
    const txHash = await this.relayer.send("Anchoring the disclosure log", this.chain.anchor.anchor, [fromSeq, toSeq, merkleRoot]);
    this.logger.info({ fromSeq, toSeq, txHash }, "disclosure log anchored");
    return { fromSeq, toSeq, merkleRoot, txHash };
  }

  /** The first entry not yet anchored, as the chain knows it (so entries whose anchor a crash lost are anchored again). */
  private async nextSeq(): Promise<number> {
    return Number(await this.chain.read(() => this.chain.anchor.nextSeqOf(this.relayer.address)));
  }
}
