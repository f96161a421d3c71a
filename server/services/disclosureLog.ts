import { createHash } from "node:crypto";
import { mkdir, open, readFile, truncate, type FileHandle } from "node:fs/promises";
import path from "node:path";

/** What one release of ciphertext to one reader was, as recorded before the bytes are sent. */
export interface DisclosureFacts {
  /** Wallet the bytes were released to. */
  reader: string;
  /** Whose record it is. */
  patient: string;
  cid: string;
  category: number;
  /** HL7 PurposeOfUse code of the grant it was released under (0 when the patient reads their own record). */
  purpose: number;
  /** Why it was allowed: "patient", "grant" or "emergency". */
  basis: "patient" | "grant" | "emergency";
  /** Expiry of the grant it was released under (unix seconds; 0 for the patient). */
  grantExpiresAt: number;
  /** Chain head the access decision was read at. */
  block: number;
}

/** One line of the log: the facts, their place in the chain of hashes, and when. */
export interface DisclosureEntry extends DisclosureFacts {
  seq: number;
  time: string;
  prevHash: string;
  hash: string;
}

/** Result of re-computing the hash chain. */
export interface LogVerification {
  ok: boolean;
  entries: number;
  /** The first entry that does not match (absent when ok). */
  firstBadSeq?: number;
  reason?: string;
}

const GENESIS = "0".repeat(64);

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
      const body = { seq: this.entries.length, time: new Date().toISOString(), ...facts, prevHash: prev?.hash ?? GENESIS };
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
    const lines = (await readFile(this.file, "utf8")).split("\n").filter((l) => l.length > 0);
    let prevHash = GENESIS;
    for (const [seq, line] of lines.entries()) {
      let entry: DisclosureEntry;
      try {
        entry = JSON.parse(line) as DisclosureEntry;
      } catch {
        return { ok: false, entries: lines.length, firstBadSeq: seq, reason: "line is not JSON" };
      }
      const { hash, ...body } = entry;
      if (entry.seq !== seq) return { ok: false, entries: lines.length, firstBadSeq: seq, reason: "sequence number out of order" };
      if (entry.prevHash !== prevHash)
        return { ok: false, entries: lines.length, firstBadSeq: seq, reason: "previous hash does not match" };
      if (entryHash(body) !== hash)
        return { ok: false, entries: lines.length, firstBadSeq: seq, reason: "entry hash does not match its content" };
      prevHash = hash;
    }
    return { ok: true, entries: lines.length };
  }

  async close(): Promise<void> {
    await this.tail;
    await this.handle.close();
  }
}

/** sha256 over the entry's fields in a fixed order, so the hash does not depend on how JSON orders keys. */
export function entryHash(body: Omit<DisclosureEntry, "hash">): string {
  const fields = [
    body.seq,
    body.time,
    body.reader,
    body.patient,
    body.cid,
    body.category,
    body.purpose,
    body.basis,
    body.grantExpiresAt,
    body.block,
    body.prevHash,
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}
