import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { DisclosureEntry, LogVerification } from "./entries";
import { verifyHashChain } from "./entries";

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
 * Checks a whole log against the roots anchored on-chain: first the hash chain, then every anchored range's
 * root. Reports the first entry that does not match. Entries after the last anchored range are checked by the
 * hash chain only, and counted in `unanchored`.
 */
export function verifyLogAgainstAnchors(
  entries: readonly DisclosureEntry[],
  anchors: readonly AnchoredRoot[],
): LogVerification & { anchoredThrough: number; unanchored: number } {
  const chain = verifyHashChain(entries);
  let anchoredThrough = -1;
  const sorted = [...anchors].sort((a, b) => a.fromSeq - b.fromSeq);
  for (const anchor of sorted) {
    if (anchor.toSeq >= entries.length) {
      return {
        ok: false,
        entries: entries.length,
        firstBadSeq: entries.length,
        reason: `entries up to ${anchor.toSeq} were anchored but the log ends at ${entries.length - 1}`,
        anchoredThrough,
        unanchored: 0,
      };
    }
    const range = entries.slice(anchor.fromSeq, anchor.toSeq + 1);
    if (disclosureRoot(range) !== anchor.merkleRoot) {
      const firstBad = chain.ok ? anchor.fromSeq : Math.min(chain.firstBadSeq ?? anchor.fromSeq, anchor.toSeq);
      return {
        ok: false,
        entries: entries.length,
        firstBadSeq: Math.max(firstBad, anchor.fromSeq),
        reason: `entries ${anchor.fromSeq}..${anchor.toSeq} do not match the root anchored on-chain${anchor.txHash ? ` in ${anchor.txHash}` : ""}`,
        anchoredThrough,
        unanchored: 0,
      };
    }
    anchoredThrough = anchor.toSeq;
  }
  if (!chain.ok) return { ...chain, anchoredThrough, unanchored: entries.length - anchoredThrough - 1 };
  return { ok: true, entries: entries.length, anchoredThrough, unanchored: entries.length - anchoredThrough - 1 };
}
