import type { DisclosureEntry } from "../../../../lib/disclosure/entries";
import { categoryLabel } from "../../../../lib/consent/codes";
import { disclosureRow } from "../../components/disclosureRows";
import type { Directory } from "../../components/names";

/**
 * One line of the auditor's timeline. Disclosures from the gateway's log are the first source; chain events
 * (grants, revocations, requests, answers, break-glass) map onto the same shape when the audit API serves them,
 * so filtering and display stay one code path.
 */
export interface AuditRow {
  /** Unique and stable: `disclosure-<seq>` (later `<block>-<logIndex>` for chain events). */
  key: string;
  /** Unix seconds. */
  time: number;
  kind: "disclosure";
  patient: string;
  /** The provider involved, when there is one (the reader of a disclosure). */
  provider?: string;
  providerName?: string;
  category?: number;
  emergency: boolean;
  /** "Dr. Alice Chen read Problems & diagnoses". */
  title: string;
  /** Purpose and basis in words. */
  detail: string;
  /** Where it can be checked: the log sequence number (later a transaction hash). */
  evidence: string;
}

/** What the auditor narrows the timeline to; every field optional. Dates are local calendar days (YYYY-MM-DD), both inclusive. */
export interface AuditFilter {
  provider?: string;
  /** Leave out the patient's own reads (which also happen when they share keys for a grant). */
  hideOwnReads?: boolean;
  category?: number;
  from?: string;
  to?: string;
}

/** The disclosure log as timeline rows, oldest first. */
export function rowsFromDisclosures(entries: readonly DisclosureEntry[], dir: Directory): AuditRow[] {
  return entries.map((entry) => {
    const row = disclosureRow(entry, dir);
    return {
      key: `disclosure-${entry.seq}`,
      time: Math.floor(Date.parse(entry.time) / 1000),
      kind: "disclosure" as const,
      patient: entry.patient,
      provider: entry.basis === "patient" ? undefined : entry.reader,
      providerName: entry.basis === "patient" ? undefined : row.readerName,
      category: entry.category,
      emergency: row.emergency,
      title: row.emergency
        ? `Emergency access by ${row.readerName}: ${row.categoryText}`
        : `${entry.basis === "patient" ? "The patient" : row.readerName} read ${row.categoryText}`,
      detail: entry.basis === "patient" ? row.basisText : `${row.purposeText} · ${row.basisText}`,
      evidence: `log entry #${entry.seq}`,
    };
  });
}

/** Unix seconds of the start of a local calendar day "YYYY-MM-DD" (undefined when not a date). */
export function localDayStart(day: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m === null) return undefined;
  return Math.floor(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime() / 1000);
}

/** The rows matching every given filter field, oldest first (ties keep their order). */
export function filterRows(rows: readonly AuditRow[], filter: AuditFilter): AuditRow[] {
  const from = filter.from ? localDayStart(filter.from) : undefined;
  const toStart = filter.to ? localDayStart(filter.to) : undefined;
  const to = toStart === undefined ? undefined : toStart + 86_400;
  return rows
    .filter((r) => !filter.hideOwnReads || r.provider !== undefined)
    .filter((r) => filter.provider === undefined || r.provider?.toLowerCase() === filter.provider.toLowerCase())
    .filter((r) => filter.category === undefined || r.category === filter.category)
    .filter((r) => from === undefined || r.time >= from)
    .filter((r) => to === undefined || r.time < to)
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => a.time - b.time || i - j)
    .map(([r]) => r);
}

/** The providers that appear in the rows, for the filter's picker: address and name, each once. */
export function providersIn(rows: readonly AuditRow[]): Array<{ address: string; name: string }> {
  const seen = new Map<string, string>();
  for (const r of rows) if (r.provider !== undefined && !seen.has(r.provider)) seen.set(r.provider, r.providerName ?? r.provider);
  return [...seen].map(([address, name]) => ({ address, name }));
}

/** The categories that appear in the rows, for the filter's picker. */
export function categoriesIn(rows: readonly AuditRow[]): Array<{ id: number; label: string }> {
  const ids = [...new Set(rows.map((r) => r.category).filter((c): c is number => c !== undefined))].sort((a, b) => a - b);
  return ids.map((id) => ({ id, label: categoryLabel(id) }));
}
