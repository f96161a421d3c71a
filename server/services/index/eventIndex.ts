import type { Logger } from "pino";
import type { LedgerEvent } from "../../../lib/audit/events";
import { scanEvents, type ScanPage } from "../../../lib/audit/reconstruct";
import type { BatchRpc } from "../../../lib/audit/rpc";
import { CONTRACT_NAMES, type Deployment } from "../../../lib/deployment/deployment";
import { EventFold } from "./eventFold";
import { openIndexDb, type IndexDb } from "./indexDb";

/** Options of {@link EventIndex.open}. */
export interface EventIndexOptions {
  rpc: BatchRpc;
  deployment: Deployment;
  /** Folder of `index.sqlite`. */
  dataDir: string;
  /** Largest block range of one `eth_getLogs` call (a default Besu refuses more than 5,000). */
  range: number;
  /** How often the follower polls the head when idle. */
  pollIntervalMs: number;
  log: Logger;
}

/** The block the index reflects: everything up to and including it is indexed. */
export interface IndexedThrough {
  block: number;
  time: number;
}

/** Stored block hashes compared with the chain before each step (the newest ones: where a reorg shows). */
const REORG_CHECK_DEPTH = 8;
/** Block hashes kept below the cursor, to find the fork point of a reorg at most this deep. */
const REORG_KEEP = 256;

/**
 * A persistent index of the deployment's events in SQLite, fed by a cursor that follows the chain in pages of at most
 * `range` blocks, resumes where it stopped after a restart, and survives reorgs: the hashes of the newest indexed
 * blocks are compared with the chain before each step, and on a mismatch the index rolls back to the fork point and
 * reads forward again. It only ever shows; releases are decided on the chain (see the access service).
 */
export class EventIndex {
  private readonly fold: EventFold;
  private readonly statements;
  private readonly firstBlock: number;
  private syncing?: Promise<void>;
  private poller?: NodeJS.Timeout;
  private closed = false;
  private lastHead = -1;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly db: IndexDb,
    private readonly options: EventIndexOptions,
  ) {
    this.fold = new EventFold(db);
    this.statements = {
      through: db.prepare("SELECT value FROM meta WHERE key = 'through'"),
      setThrough: db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('through', ?)"),
      keepBlock: db.prepare("INSERT OR REPLACE INTO blocks (number, hash, time) VALUES (?, ?, ?)"),
      dropBlocksBelow: db.prepare("DELETE FROM blocks WHERE number < ?"),
    };
    this.firstBlock = Math.min(...CONTRACT_NAMES.map((name) => options.deployment.contracts[name].blockNumber));
  }

  static open(options: EventIndexOptions): EventIndex {
    const { chainId, contracts } = options.deployment;
    const identity = [chainId, ...CONTRACT_NAMES.map((name) => contracts[name].address.toLowerCase())].join(":");
    return new EventIndex(openIndexDb(options.dataDir, identity), options);
  }

  /** The block everything is indexed through (one before the deployment when nothing is yet). */
  get through(): IndexedThrough {
    const row = this.statements.through.get() as { value: string } | undefined;
    return row === undefined ? { block: this.firstBlock - 1, time: 0 } : (JSON.parse(row.value) as IndexedThrough);
  }

  /** Whether the index had reached the head it last read. */
  get caughtUp(): boolean {
    return this.lastHead >= 0 && this.through.block >= this.lastHead;
  }

  /** Follows the chain in the background. */
  start(): void {
    if (this.poller !== undefined) return;
    const tick = (): void => {
      if (this.closed) return;
      this.sync()
        .catch((err: Error) => this.options.log.warn({ err: err.message }, "event index could not follow the chain"))
        .finally(() => {
          if (!this.closed) this.poller = setTimeout(tick, this.options.pollIntervalMs).unref();
        });
    };
    this.poller = setTimeout(tick, 0).unref();
  }

  /** Reads the chain up to its current head (one sync at a time; concurrent callers share it). */
  sync(): Promise<void> {
    this.syncing ??= this.runSync().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /**
   * Reads the chain up to a head read after this call began: waits for a sync already in flight (it may have read the
   * head before the caller's transaction was mined, or before a reorg), then runs one of its own.
   */
  async syncFresh(): Promise<void> {
    await this.syncing?.catch(() => undefined);
    await this.sync();
  }

  /** Calls `listener` after each commit that added or removed events; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every indexed event in chain order (for rules that need the whole history). */
  *allEvents(afterSeq = 0): Iterable<{ seq: number; event: LedgerEvent }> {
    const rows = this.db.prepare("SELECT seq, body FROM events WHERE seq > ? ORDER BY block, log_index").iterate(afterSeq) as Iterable<{
      seq: number;
      body: string;
    }>;
    for (const row of rows) yield { seq: row.seq, event: JSON.parse(row.body) as LedgerEvent };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.poller);
    await this.syncing?.catch(() => undefined);
    this.db.close();
  }

  private async runSync(): Promise<void> {
    const head = Number(await this.options.rpc.send("eth_blockNumber", []));
    this.lastHead = head;
    await this.rollBackReorg();
    const from = this.through.block + 1;
    if (this.closed || from > head) return;
    // One scan over the whole gap, in pages of at most `range` blocks: the decoder is built once, and the next page's
    // eth_getLogs is already in flight while this page's block times are read and its events folded.
    for await (const page of scanEvents(this.options.rpc, this.options.deployment, {
      fromBlock: from,
      toBlock: head,
      pageSize: this.options.range,
      pageEnds: true,
    })) {
      if (this.closed) return;
      this.commit(page);
    }
  }

  /**
   * Stores a page's events and moves the cursor past the page in one transaction, so a restart resumes exactly after
   * the last page committed: never a gap, never a page twice. Keeps the hashes of the page's newest blocks (from the
   * logs, and the page's last block from its header) for the reorg check.
   */
  private commit(page: ScanPage): void {
    const end = page.end;
    if (end === undefined) throw new Error(`the scan of blocks ${page.fromBlock}..${page.toBlock} returned no header of its last block`);
    const s = this.statements;
    const keepFrom = page.toBlock - REORG_KEEP;
    let changed = false;
    this.db.transaction(() => {
      for (const event of page.events) {
        changed = this.fold.add(event) || changed;
        if (event.blockNumber >= keepFrom) s.keepBlock.run(event.blockNumber, event.blockHash, event.timestamp);
      }
      s.keepBlock.run(page.toBlock, end.hash, end.timestamp);
      s.dropBlocksBelow.run(keepFrom);
      this.setThrough({ block: page.toBlock, time: end.timestamp });
    })();
    if (changed) this.notify();
  }

  /**
   * Compares the newest stored block hashes with the chain; on a mismatch finds the newest stored block the chain
   * still has (the fork point), deletes everything indexed after it and refolds the lists.
   */
  private async rollBackReorg(): Promise<void> {
    const stored = this.db.prepare("SELECT number, hash FROM blocks ORDER BY number DESC").all() as Array<{ number: number; hash: string }>;
    if (stored.length === 0) return;
    const newest = stored.slice(0, REORG_CHECK_DEPTH);
    const canonical = await this.hashes(newest.map((b) => b.number));
    if (newest.every((b, i) => canonical[i] === b.hash)) return;
    // The fork point is the newest stored block below the oldest one the chain no longer has: not merely the newest
    // that still matches, because a reorg during a sync can leave a new block's hash stored above an old block's (the
    // page's end read after the reorg, its previous end before it), and every stored block is compared (at most
    // REORG_KEEP, in batches, and only after a reorg was seen; the newest were read just above).
    const canonicalAll = [...canonical];
    for (let i = newest.length; i < stored.length; i += 32) {
      canonicalAll.push(...(await this.hashes(stored.slice(i, i + 32).map((b) => b.number))));
    }
    let oldestMismatch = -1;
    stored.forEach((b, i) => {
      if (canonicalAll[i] !== b.hash) oldestMismatch = i; // stored newest first: the last mismatch is the oldest
    });
    const fork = oldestMismatch + 1 < stored.length ? stored[oldestMismatch + 1].number : this.firstBlock - 1;
    const forkTime = fork >= this.firstBlock ? (await this.header(fork)).time : 0;
    this.options.log.warn({ fork, was: this.through.block }, "chain reorganised: event index rolled back to the fork point");
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM events WHERE block > ?").run(fork);
      this.db.prepare("DELETE FROM blocks WHERE number > ?").run(fork);
      this.fold.refold();
      this.setThrough({ block: fork, time: forkTime });
    })();
    this.notify();
  }

  private setThrough(through: IndexedThrough): void {
    this.statements.setThrough.run(JSON.stringify(through));
  }

  private async header(block: number): Promise<{ hash: string; time: number }> {
    const b = (await this.options.rpc.send("eth_getBlockByNumber", [`0x${block.toString(16)}`, false])) as {
      hash: string;
      timestamp: string;
    } | null;
    if (b === null) throw new Error(`block ${block} is not on the chain`);
    return { hash: b.hash, time: Number(b.timestamp) };
  }

  /** Canonical hashes of blocks, in one JSON-RPC batch (undefined where the chain has no such block any more). */
  private async hashes(numbers: number[]): Promise<Array<string | undefined>> {
    const answers = await this.options.rpc.batch(
      numbers.map((n) => ({ method: "eth_getBlockByNumber", params: [`0x${n.toString(16)}`, false] })),
    );
    return answers.map((a) => {
      if (a.error !== undefined) throw a.error;
      return (a.result as { hash: string } | null)?.hash;
    });
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (err) {
        this.options.log.warn({ err: (err as Error).message }, "event index listener failed");
      }
    }
  }
}
