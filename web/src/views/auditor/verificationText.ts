import type { LogVerification } from "../../../../lib/disclosure/entries";

/** The gateway's answer to GET /api/disclosures/verify. */
export type Verification = LogVerification & { anchoredThrough: number; unanchored: number };

/** "Verified: 12 entries…" or "Mismatch from entry #7: …": the disclosure log checked against the roots anchored on-chain. */
export function verificationText(v: Verification): string {
  if (!v.ok) return `Mismatch from entry #${v.firstBadSeq ?? "?"}: ${v.reason ?? "no reason given"}.`;
  if (v.entries === 0) return "The disclosure log is empty; there is nothing to verify yet.";
  const head = `Verified: ${v.entries} entr${v.entries === 1 ? "y" : "ies"}, hash chain intact.`;
  if (v.anchoredThrough < 0) return `${head} None is anchored on-chain yet, so for now they are checked by the hash chain alone.`;
  const pending =
    v.unanchored > 0
      ? ` The ${v.unanchored} newer one${v.unanchored === 1 ? " is" : "s are"} checked by the hash chain until the next anchor.`
      : "";
  return `${head} Entries #0–#${v.anchoredThrough} match the roots anchored on-chain.${pending}`;
}
