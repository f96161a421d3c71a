import { categoryLabel, PURPOSES, purposeCode } from "../consent/codes";
import type { DisclosureEntry } from "../disclosure";
import { isoTime } from "./args";
import { periodAt, type ConsentReconstruction } from "./consents";
import { EMERGENCY_CATEGORY, sameAddress } from "./filters";

/** One line of an accounting of disclosures (45 CFR 164.528(b)(2)): when, to whom, what, why. */
export interface AccountingRow {
  /** Unix seconds. */
  time: number;
  /** ISO 8601 UTC. */
  date: string;
  /** The block the release was decided at, or the break-glass block: the order of the accounting. */
  block: number;
  /** Display name from the provider registry as of the disclosure. */
  recipientName: string;
  recipientAddress: string;
  category: number;
  categoryLabel: string;
  /** The record released (absent for a break-glass opening, which releases the emergency summary). */
  recordCid?: string;
  /** "Problems & diagnoses record bafk…", in words. */
  description: string;
  purpose: number;
  purposeCode: string;
  purposeLabel: string;
  /** `grant`: released under a consent; `emergency`: released under break-glass; `break-glass`: the opening itself. */
  basis: "grant" | "emergency" | "break-glass";
  /** The grant it was released under (`<block>-<logIndex>` of the AccessGranted event). */
  consentId?: string;
  /** Evidence: the log entry, or the transaction. */
  logSeq?: number;
  txHash?: string;
}

/** Inputs of {@link accountingOfDisclosures}. */
export interface AccountingInput {
  patient: string;
  /** The disclosure log, already verified against the anchored roots (entries of other patients are skipped). */
  entries: readonly DisclosureEntry[];
  rec: ConsentReconstruction;
  /** Window, unix seconds: [from, to). HIPAA gives the patient up to six years back. */
  from?: number;
  to?: number;
}

/** Six years, the span 45 CFR 164.528(a)(3) lets a patient ask about. */
export const SIX_YEARS_SECONDS = 6 * 365.25 * 86_400;

/**
 * The accounting of disclosures for one patient: every release of their records to someone else (reads by the
 * patient themself are not disclosures, 164.528(a)(1)(iii)) and every break-glass opening, oldest first.
 */
export function accountingOfDisclosures(input: AccountingInput): AccountingRow[] {
  const { patient, rec, from, to } = input;
  const inRange = (t: number): boolean => (from === undefined || t >= from) && (to === undefined || t < to);
  const rows: AccountingRow[] = [];
  for (const entry of input.entries) {
    if (!sameAddress(entry.patient, patient) || entry.basis === "patient" || sameAddress(entry.reader, patient)) continue;
    const time = Math.floor(Date.parse(entry.time) / 1000);
    if (!inRange(time)) continue;
    const consent = entry.basis === "grant" ? periodAt(rec, entry.patient, entry.reader, entry.block) : undefined;
    rows.push({
      time,
      date: isoTime(time),
      block: entry.block,
      recipientName: rec.providers.nameOf(entry.reader, entry.block),
      recipientAddress: entry.reader,
      category: entry.category,
      categoryLabel: categoryLabel(entry.category),
      recordCid: entry.cid,
      description: `${categoryLabel(entry.category)} record ${entry.cid}`,
      purpose: entry.purpose,
      purposeCode: purposeCode(entry.purpose),
      purposeLabel: purposeLabel(entry.purpose),
      basis: entry.basis === "emergency" ? "emergency" : "grant",
      consentId: consent?.id,
      logSeq: entry.seq,
    });
  }
  for (const window of rec.emergencies) {
    if (!sameAddress(window.patient, patient) || !inRange(window.opened.timestamp)) continue;
    rows.push({
      time: window.opened.timestamp,
      date: isoTime(window.opened.timestamp),
      block: window.opened.blockNumber,
      recipientName: rec.providers.nameOf(window.provider, window.opened.blockNumber),
      recipientAddress: window.provider,
      category: EMERGENCY_CATEGORY,
      categoryLabel: categoryLabel(EMERGENCY_CATEGORY),
      description: `Break-glass access to the ${categoryLabel(EMERGENCY_CATEGORY).toLowerCase()} until ${isoTime(window.expiresAt)}`,
      purpose: window.reasonCode,
      purposeCode: purposeCode(window.reasonCode),
      purposeLabel: purposeLabel(window.reasonCode),
      basis: "break-glass",
      txHash: window.opened.txHash,
    });
  }
  // Chain order, not clock order: a release decided at block B follows the break-glass or grant of blocks ≤ B even
  // when the gateway's clock and the chain's disagree.
  return rows.sort((a, b) => a.block - b.block || (a.logSeq ?? -1) - (b.logSeq ?? -1));
}

/** What the HTML report says about where its facts come from. */
export interface AccountingMeta {
  patient: string;
  chainId: number;
  /** Last block read. */
  throughBlock: number;
  from?: number;
  to?: number;
  /** Unix seconds. */
  generatedAt: number;
  /** The disclosure log's check, or undefined when no log was given. */
  log?: { entries: number; anchoredThrough: number; unanchored: number };
}

/**
 * A printable HTML accounting of disclosures (no PDF needed: print it from the browser). Every value is escaped.
 */
export function accountingHtml(rows: readonly AccountingRow[], meta: AccountingMeta): string {
  const range = `${meta.from !== undefined ? isoTime(meta.from) : "the first block"} to ${meta.to !== undefined ? isoTime(meta.to) : "block " + meta.throughBlock}`;
  const logNote =
    meta.log === undefined
      ? "No gateway disclosure log was given: releases of records are not listed, only break-glass openings recorded on-chain."
      : `Gateway disclosure log: ${meta.log.entries} entries, verified against the roots anchored on-chain through entry #${meta.log.anchoredThrough}` +
        (meta.log.unanchored > 0
          ? `; the last ${meta.log.unanchored} entries are checked by their hash chain only (not yet anchored).`
          : ".");
  const body =
    rows.length === 0
      ? `<tr><td colspan="6" class="empty">No disclosures in this period.</td></tr>`
      : rows
          .map(
            (r) => `<tr>
  <td>${esc(r.date.replace("T", " ").replace("Z", " UTC"))}</td>
  <td>${esc(r.recipientName)}<br><code>${esc(r.recipientAddress)}</code></td>
  <td>${esc(r.categoryLabel)}${r.recordCid !== undefined ? `<br><code>${esc(r.recordCid)}</code>` : ""}</td>
  <td>${esc(r.purposeLabel)} <span class="code">(${esc(r.purposeCode)})</span></td>
  <td>${esc(r.basis === "grant" ? "Under the patient's consent" : r.basis === "emergency" ? "Emergency (break-glass) release" : "Emergency access opened (break-glass)")}${r.consentId !== undefined ? `<br><span class="code">consent ${esc(r.consentId)}</span>` : ""}</td>
  <td class="code">${esc(r.logSeq !== undefined ? `log #${r.logSeq}` : (r.txHash ?? ""))}</td>
</tr>`,
          )
          .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Accounting of disclosures — ${esc(meta.patient)}</title>
<style>
  body { font: 11pt/1.4 system-ui, sans-serif; margin: 2em; color: #111; }
  h1 { font-size: 16pt; margin: 0 0 .2em; }
  p.meta { margin: .2em 0; color: #333; }
  table { border-collapse: collapse; width: 100%; margin-top: 1em; }
  th, td { border: 1px solid #999; padding: .35em .5em; text-align: left; vertical-align: top; }
  th { background: #eee; }
  code, .code { font-family: ui-monospace, monospace; font-size: 8.5pt; word-break: break-all; color: #333; }
  td.empty { text-align: center; color: #666; }
  footer { margin-top: 1.5em; font-size: 9pt; color: #444; }
  @media print { body { margin: 0; } tr { break-inside: avoid; } thead { display: table-header-group; } }
</style>
</head>
<body>
<h1>Accounting of disclosures</h1>
<p class="meta">Patient: <code>${esc(meta.patient)}</code></p>
<p class="meta">Period: ${esc(range)} · ${rows.length} ${rows.length === 1 ? "entry" : "entries"}</p>
<p class="meta">Source: consent ledger on chain ${meta.chainId} through block ${meta.throughBlock}. ${esc(logNote)}</p>
<table>
<thead><tr><th>Date</th><th>Recipient</th><th>What was disclosed</th><th>Purpose</th><th>Basis</th><th>Evidence</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
<footer>Prepared ${esc(isoTime(meta.generatedAt))} under 45 CFR 164.528 (date, recipient name and address, description of what was disclosed, purpose).
Disclosures to the patient themself are not listed. Recipients' names are those of the provider registry at the time.</footer>
</body>
</html>
`;
}

function purposeLabel(id: number): string {
  return PURPOSES.find((p) => p.id === id)?.label ?? `purpose ${id}`;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
