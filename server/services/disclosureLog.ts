import { mkdir, open, readFile, truncate, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { parseDisclosureLog } from "../../lib/audit/disclosures";
import {
  entryHash,
  verifyHashChain,
  GENESIS_HASH,
  type DisclosureEntry,
  type DisclosureFacts,
  type LogVerification,
} from "../../lib/disclosure/entries";

export type { DisclosureEntry, DisclosureFacts, LogVerification };

/**
 * The gateway's append-only, hash-chained disclosure log (JSON lines in the data folder). An entry is written and
 * fsync'ed before the bytes it describes are sent, so no disclosure goes unlogged, even across a crash.
 */
export class DisclosureLog {
  private readonly listeners = new Set<(entry: DisclosureEntry) => void>();
  private queue: Array<{ facts: DisclosureFacts; resolve: (entry: DisclosureEntry) => void; reject: (err: Error) => void }> = [];
  private flushing: Promise<void> | undefined;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    private entries: DisclosureEntry[],
    /** Bytes of complete, acknowledged entries on disk: where a failed batch is cut back to. */
    private size: number,
  ) {}

  /** Opens the log, dropping a final line left half-written by a crash (it was never acknowledged). */
  static async open(dir: string): Promise<DisclosureLog> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, "disclosures.jsonl");
    const text = await readFile(file, "utf8").catch(() => "");
    const complete = text.endsWith("\n") || text === "" ? text : text.slice(0, text.lastIndexOf("\n") + 1);
    if (complete.length !== text.length) await truncate(file, Buffer.byteLength(complete));
    const entries = complete
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as DisclosureEntry);
    const handle = await open(file, "a", 0o600);
    // Owner-only whatever umask created it with: the log names who read whose records.
    await handle.chmod(0o600);
    return new DisclosureLog(file, handle, entries, Buffer.byteLength(complete));
  }

  /**
   * Appends one entry durably; resolves only once it is on disk. Entries that arrive while a write is in flight are
   * chained in arrival order and committed together with one write and one fsync (group commit): each caller still
   * waits for its own entry to be on disk, but concurrent releases share the cost of the fsync.
   */
  append(facts: DisclosureFacts): Promise<DisclosureEntry> {
    return new Promise((resolve, reject) => {
      this.queue.push({ facts, resolve, reject });
      if (this.flushing === undefined) this.startFlushing();
    });
  }

  private startFlushing(): void {
    // The commit starts once the event loop has run what is ready now (setImmediate runs after the poll phase), so
    // requests that arrived together join one write and one fsync instead of the first paying a commit of its own
    // while the rest wait for the next. A lone append waits one loop turn, not a timer.
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.flush())
      .finally(() => {
        this.flushing = undefined;
        // An entry queued after the loop's last check (but before this callback) would otherwise wait forever.
        if (this.queue.length > 0) this.startFlushing();
      });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      const written: DisclosureEntry[] = [];
      for (const { facts } of batch) {
        const prev = written.at(-1) ?? this.entries.at(-1);
        const body = {
          seq: this.entries.length + written.length,
          time: new Date().toISOString(),
          ...facts,
          prevHash: prev?.hash ?? GENESIS_HASH,
        };
        written.push({ ...body, hash: entryHash(body) });
      }
      const text = written.map((e) => JSON.stringify(e) + "\n").join("");
      try {
        await this.handle.write(text);
        await this.handle.datasync();
      } catch (err) {
        // Nothing of a failed batch counts: cut the file back so no unacknowledged entry stays on disk.
        await truncate(this.file, this.size).catch(() => undefined);
        for (const item of batch) item.reject(err as Error);
        continue;
      }
      this.size += Buffer.byteLength(text);
      this.entries.push(...written);
      batch.forEach((item, i) => item.resolve(written[i]));
      for (const entry of written) for (const listener of this.listeners) listener(entry);
    }
  }

  /**
   * Up to `limit` entries for which `keep` holds, newest first, among those before sequence number `before` (all when
   * undefined); `next` is the `before` of the following page, undefined on the last page.
   */
  page(keep: (entry: DisclosureEntry) => boolean, limit: number, before?: number): { entries: DisclosureEntry[]; next?: number } {
    const entries: DisclosureEntry[] = [];
    for (let seq = Math.min(before ?? this.entries.length, this.entries.length) - 1; seq >= 0; seq--) {
      if (!keep(this.entries[seq])) continue;
      if (entries.length === limit) return { entries, next: seq + 1 };
      entries.push(this.entries[seq]);
    }
    return { entries };
  }

  /** How many entries the log holds (the next entry's sequence number). */
  get count(): number {
    return this.entries.length;
  }

  /** Entries from sequence number `seq` on, oldest first. */
  since(seq: number): DisclosureEntry[] {
    return this.entries.slice(Math.max(0, seq));
  }

  /** Calls `listener` with every entry once it is durably on disk; returns the unsubscribe function. */
  onAppend(listener: (entry: DisclosureEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Entries for which `keep` holds, oldest first. */
  list(keep: (entry: DisclosureEntry) => boolean = () => true): DisclosureEntry[] {
    return this.entries.filter(keep);
  }

  /** Re-reads the file from disk and recomputes every hash, naming the first entry that does not match. */
  async verify(): Promise<LogVerification> {
    return verifyHashChain(await this.readFromDisk());
  }

  /**
   * The log as it is on disk now (not as this process remembers it): what verification must look at. A line that is
   * not a well-formed entry keeps its place, so the chain check names it.
   */
  async readFromDisk(): Promise<DisclosureEntry[]> {
    return parseDisclosureLog(await readFile(this.file, "utf8"));
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }
}
