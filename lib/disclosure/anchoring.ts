import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { ChainStart, DisclosureEntry, LogVerification } from "./entries";
import { GENESIS_HASH, verifyHashChain } from "./entries";

/** One root a gateway posted to DisclosureAnchor: entries fromSeq..toSeq (inclusive). */
export interface AnchoredRoot {
  fromSeq: number;
  toSeq: number;
  merkleRoot: string;
  txHash?: string;
}

/** Leaf encoding of the anchored Merkle trees: (uint64 seq, bytes32 entry hash), OpenZeppelin's standard tree. */
const LEAF_ENCODING = ["uint64", "bytes32"];

/**
 * Merkle root over a contiguous range of log entries, as posted to DisclosureAnchor. OpenZeppelin's
 * StandardMerkleTree (double-hashed, sorted-pair leaves) so the same root can be checked on-chain with MerkleProof.
 */
export function disclosureRoot(entries: readonly DisclosureEntry[]): string {
  if (entries.length === 0) throw new Error("A disclosure root needs at least one entry.");
  return StandardMerkleTree.of(
    entries.map((e) => [e.seq, "0x" + e.hash]),
    LEAF_ENCODING,
  ).root;
}

/**
 * Checks a log against the roots anchored on-chain: first the hash chain, then every anchored range's root. Reports
 * the first entry that does not match. Entries after the last anchored range are checked by the hash chain only, and
 * counted in `unanchored`. With `start`, `entries` is the log's tail from `start.seq` (an incremental check that
 * trusts what an earlier check verified) and only anchors at or after `start.seq` are checked.
 */
export function verifyLogAgainstAnchors(
  entries: readonly DisclosureEntry[],
  anchors: readonly AnchoredRoot[],
  start: ChainStart = { seq: 0, prevHash: GENESIS_HASH },
): LogVerification & { anchoredThrough: number; unanchored: number } {
  const chain = verifyHashChain(entries, start);
  const total = start.seq + entries.length;
  let anchoredThrough = start.seq - 1;
  const sorted = [...anchors].filter((a) => a.fromSeq >= start.seq).sort((a, b) => a.fromSeq - b.fromSeq);
  for (const anchor of sorted) {
    if (anchor.toSeq >= total) {
      return {
        ok: false,
        entries: total,
        firstBadSeq: total,
        reason: `entries up to ${anchor.toSeq} were anchored but the log ends at ${total - 1}`,
        anchoredThrough,
        unanchored: 0,
      };
    }
    const range = entries.slice(anchor.fromSeq - start.seq, anchor.toSeq - start.seq + 1);
    if (disclosureRoot(range) !== anchor.merkleRoot) {
      const firstBad = chain.ok ? anchor.fromSeq : Math.min(chain.firstBadSeq ?? anchor.fromSeq, anchor.toSeq);
      return {
        ok: false,
        entries: total,
        firstBadSeq: Math.max(firstBad, anchor.fromSeq),
        reason: `entries ${anchor.fromSeq}..${anchor.toSeq} do not match the root anchored on-chain${anchor.txHash ? ` in ${anchor.txHash}` : ""}`,
        anchoredThrough,
        unanchored: 0,
      };
    }
    anchoredThrough = anchor.toSeq;
  }
  if (!chain.ok) return { ...chain, anchoredThrough, unanchored: total - anchoredThrough - 1 };
  return { ok: true, entries: total, anchoredThrough, unanchored: total - anchoredThrough - 1 };
}
