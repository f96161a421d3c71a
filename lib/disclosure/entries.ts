import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex as nobleHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** What one release of ciphertext to one reader was, as the gateway records it before sending the bytes. */
export interface DisclosureFacts {
  /** Wallet the bytes were released to. */
  reader: string;
  /** Whose record it is. */
  patient: string;
  cid: string;
  category: number;
  /** HL7 PurposeOfUse code of the grant it was released under (0 when the patient reads their own record). */
  purpose: number;
  /** Why it was allowed: the patient's own record, a grant, or a break-glass emergency access. */
  basis: "patient" | "grant" | "emergency";
  /** Expiry of the grant it was released under (unix seconds; 0 for the patient). */
  grantExpiresAt: number;
  /** Chain head the access decision was read at. */
  block: number;
  /** What left the gateway: a record's ciphertext, or (break-glass) the emergency summary's key re-wrapped for the reader. */
  release: "ciphertext" | "emergency-key";
  /** The time the decision was judged at (unix seconds): the later of the head block's time and the gateway's clock. */
  decidedAt: number;
  /** The reader's own words for a break-glass access (empty otherwise). */
  justification: string;
}

/** One line of the disclosure log: the facts, their place in the hash chain, and when. */
export interface DisclosureEntry extends DisclosureFacts {
  seq: number;
  time: string;
  /** Hash of the previous entry (64 hex digits; all zeros for the first). */
  prevHash: string;
  /** sha256 over this entry's fields, see {@link entryHash} (64 hex digits). */
  hash: string;
}

/** The previous-hash of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** Outcome of checking a disclosure log. */
export interface LogVerification {
  ok: boolean;
  entries: number;
  /** The first entry that does not match (absent when ok). */
  firstBadSeq?: number;
  reason?: string;
}

/**
 * sha256 over the entry's fields in a fixed order (a JSON array), so the hash does not depend on how a JSON
 * writer orders keys. Isomorphic: auditors can check a log in the browser with the same code the gateway writes it with.
 */
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
    body.release,
    body.decidedAt,
    body.justification,
    body.prevHash,
  ];
  return nobleHex(sha256(utf8ToBytes(JSON.stringify(fields))));
}

/** Where a partial check of a log starts: the first entry's sequence number and the hash it must chain from. */
export interface ChainStart {
  seq: number;
  prevHash: string;
}

/**
 * Recomputes the hash chain of a log (oldest first) and names the first entry that does not match. With `start`, the
 * entries are the log's tail from `start.seq`, chaining from `start.prevHash` (an incremental check).
 */
export function verifyHashChain(
  entries: readonly DisclosureEntry[],
  start: ChainStart = { seq: 0, prevHash: GENESIS_HASH },
): LogVerification {
  let prevHash = start.prevHash;
  const total = start.seq + entries.length;
  for (const [i, entry] of entries.entries()) {
    const seq = start.seq + i;
    const { hash, ...body } = entry;
    if (entry.seq !== seq) return { ok: false, entries: total, firstBadSeq: seq, reason: "sequence number out of order" };
    if (entry.prevHash !== prevHash) return { ok: false, entries: total, firstBadSeq: seq, reason: "previous hash does not match" };
    if (entryHash(body) !== hash) return { ok: false, entries: total, firstBadSeq: seq, reason: "entry hash does not match its content" };
    prevHash = hash;
  }
  return { ok: true, entries: total };
}
