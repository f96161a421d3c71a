import { verifyLogAgainstAnchors, type AnchoredRoot, type DisclosureEntry } from "../disclosure";
import { AuditError } from "./errors";
import type { AnchorEvent, LedgerEvent } from "./events";
import { sameAddress } from "./filters";

/** A root anchored on-chain, with where and when. */
export interface AuditAnchor extends AnchoredRoot {
  gateway: string;
  index: number;
  blockNumber: number;
  /** Unix seconds of the anchoring block. */
  anchoredAt: number;
  txHash: string;
}

/** Outcome of checking a disclosure log against the chain. */
export interface LogCheck {
  ok: boolean;
  entries: number;
  /** Last sequence number covered by an anchored root (-1 when none). */
  anchoredThrough: number;
  /** Entries after the last anchored root: checked by the hash chain only. */
  unanchored: number;
  /** The first entry that does not match, when not ok. */
  firstBadSeq?: number;
  reason?: string;
}

const FIELDS: ReadonlyArray<[keyof DisclosureEntry, "string" | "number"]> = [
  ["seq", "number"],
  ["time", "string"],
  ["reader", "string"],
  ["patient", "string"],
  ["cid", "string"],
  ["category", "number"],
  ["purpose", "number"],
  ["basis", "string"],
  ["grantExpiresAt", "number"],
  ["block", "number"],
  ["release", "string"],
  ["decidedAt", "number"],
  ["justification", "string"],
  ["prevHash", "string"],
  ["hash", "string"],
];

/**
 * Parses a disclosure log (JSON lines, as the gateway writes `disclosures.jsonl`). A line that is not a well-formed
 * entry keeps its place as a placeholder that can never verify, so the check names it instead of silently
 * shifting every later entry. A final line without a newline was never acknowledged by the gateway and is dropped.
 */
export function parseDisclosureLog(text: string): DisclosureEntry[] {
  const complete = text === "" || text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1);
  const lines = complete.split("\n").filter((line) => line.trim().length > 0);
  return lines.map((line, position) => {
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      for (const [field, type] of FIELDS) if (typeof value[field] !== type) throw new Error(`field ${field} is not a ${type}`);
      return value as unknown as DisclosureEntry;
    } catch (err) {
      return placeholder(position, err instanceof Error ? err.message : String(err));
    }
  });
}

/** The gateways that anchored roots, in first-anchor order. */
export function anchoringGateways(events: Iterable<LedgerEvent>): string[] {
  const seen = new Map<string, string>();
  for (const e of events) if (e.kind === "anchor" && !seen.has(e.gateway.toLowerCase())) seen.set(e.gateway.toLowerCase(), e.gateway);
  return [...seen.values()];
}

/**
 * Picks the gateway whose roots a log is checked against: the one named, else the only one that anchored.
 * Undefined when none anchored yet.
 */
export function selectGateway(events: Iterable<LedgerEvent>, gateway?: string): string | undefined {
  if (gateway !== undefined) return gateway;
  const gateways = anchoringGateways(events);
  if (gateways.length > 1) {
    throw new AuditError(
      "AMBIGUOUS_GATEWAY",
      `Several gateways anchored disclosure roots (${gateways.join(", ")}); name the log's gateway with --gateway.`,
    );
  }
  return gateways[0];
}

/** The roots a gateway anchored, in order. */
export function anchorsOf(events: Iterable<LedgerEvent>, gateway: string | undefined): AuditAnchor[] {
  if (gateway === undefined) return [];
  const anchors: AuditAnchor[] = [];
  for (const e of events) {
    if (e.kind === "anchor" && sameAddress(e.gateway, gateway)) anchors.push(toAnchor(e));
  }
  return anchors.sort((a, b) => a.fromSeq - b.fromSeq);
}

/** Checks a log's hash chain and every anchored root, naming the first entry that does not match. */
export function checkLog(entries: readonly DisclosureEntry[], anchors: readonly AnchoredRoot[]): LogCheck {
  return verifyLogAgainstAnchors(entries, anchors);
}

/** A human sentence for a failed {@link LogCheck}, naming the entry. */
export function describeLogFailure(check: LogCheck, entries: readonly DisclosureEntry[]): string {
  const seq = check.firstBadSeq ?? 0;
  const entry = entries[seq];
  const what = entry !== undefined && entry.seq !== -1 ? ` (${entry.time}, reader ${entry.reader}, record ${entry.cid})` : "";
  return `disclosure log entry #${seq} (line ${seq + 1})${what}: ${check.reason ?? "does not verify"}`;
}

function toAnchor(e: AnchorEvent): AuditAnchor {
  return {
    gateway: e.gateway,
    index: e.index,
    fromSeq: e.fromSeq,
    toSeq: e.toSeq,
    merkleRoot: e.merkleRoot,
    txHash: e.txHash,
    blockNumber: e.blockNumber,
    anchoredAt: e.timestamp,
  };
}

function placeholder(position: number, why: string): DisclosureEntry {
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
    release: "ciphertext",
    decidedAt: 0,
    justification: "",
    prevHash: "",
    hash: `unparseable line ${position + 1}: ${why}`,
  };
}
