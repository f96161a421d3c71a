import { mkdir, open, readFile, truncate, type FileHandle } from "node:fs/promises";
import path from "node:path";
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
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    private entries: DisclosureEntry[],
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
    const handle = await open(file, "a");
    return new DisclosureLog(file, handle, entries);
  }

  /** Appends one entry durably; resolves only once it is on disk. Appends are serialised to keep the chain linear. */
  append(facts: DisclosureFacts): Promise<DisclosureEntry> {
    const next = this.tail.then(async () => {
      const prev = this.entries.at(-1);
      const body = { seq: this.entries.length, time: new Date().toISOString(), ...facts, prevHash: prev?.hash ?? GENESIS_HASH };
      const entry: DisclosureEntry = { ...body, hash: entryHash(body) };
      await this.handle.write(JSON.stringify(entry) + "\n");
      await this.handle.datasync();
      this.entries.push(entry);
      return entry;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Entries for which `keep` holds, oldest first. */
  list(keep: (entry: DisclosureEntry) => boolean = () => true): DisclosureEntry[] {
    return this.entries.filter(keep);
  }

  /** Re-reads the file from disk and recomputes every hash, naming the first entry that does not match. */
  async verify(): Promise<LogVerification> {
    return verifyHashChain(await this.readFromDisk());
  }

  /** The log as it is on disk now (not as this process remembers it): what verification must look at. */
  async readFromDisk(): Promise<DisclosureEntry[]> {
    const lines = (await readFile(this.file, "utf8")).split("\n").filter((l) => l.length > 0);
    return lines.map((line, seq) => {
      try {
        return JSON.parse(line) as DisclosureEntry;
      } catch {
        // An unparseable line still occupies its place, so the chain check names it.
        return {
          seq: -1,
          time: "",
          reader: "",
          patient: "",
          cid: "",
          category: -1,
          purpose: -1,
          basis: "grant",
          grantExpiresAt: 0,
          block: -1,
          prevHash: "",
          hash: `unparseable line ${seq}`,
        };
      }
    });
  }

  async close(): Promise<void> {
    await this.tail;
    await this.handle.close();
  }
}
