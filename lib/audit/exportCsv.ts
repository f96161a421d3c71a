import { CATEGORIES, categoriesOf, categoryLabel, purposeCode, WRITE_BIT } from "../consent/codes";
import type { AccountingRow } from "./accounting";
import { isoTime } from "./args";
import type { ProviderDirectory } from "./directory";
import type { LedgerEvent } from "./events";
import { providerOf } from "./filters";
import type { AuditRow } from "./rows";

/** A value a CSV cell can hold. */
export type CsvValue = string | number | boolean | undefined | null;

/** One column: its header and how to read it from a row. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/** Line end of RFC 4180. */
const CRLF = "\r\n";
const NEEDS_QUOTES = /[",\r\n]/;
/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell by RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled. Text that a
 * spreadsheet would evaluate as a formula (`=`, `+`, `-`, `@`, tab) gets a leading `'`, because provider names and
 * CIDs come from other parties; numbers are written as they are.
 */
export function csvField(value: CsvValue): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += (i === 0 ? "" : ",") + csvField(values[i]);
  return line + CRLF;
}

/**
 * Streams rows as CSV lines: the header first, then one line per row, never holding more than one row.
 *
 * @example
 * for await (const line of toCsv(rows, EVENT_COLUMNS)) out.write(line);
 */
export async function* toCsv<T>(rows: AsyncIterable<T> | Iterable<T>, columns: readonly CsvColumn<T>[]): AsyncGenerator<string> {
  yield csvLine(columns.map((c) => c.header));
  for await (const row of rows) yield csvLine(columns.map((c) => c.value(row)));
}

/** Options of {@link eventColumns}. */
export interface EventColumnOptions {
  /** Resolves counterparty names (as of each event's block); the column stays empty without it. */
  directory?: ProviderDirectory;
}

/**
 * Columns of the audit trail CSV: one line per chain event or disclosure. Times are ISO 8601 UTC; categories are
 * the `ConsentCodes` keys joined by `|`; purposes the HL7 v3 PurposeOfUse codes.
 */
export function eventColumns(options: EventColumnOptions = {}): CsvColumn<AuditRow>[] {
  const { directory } = options;
  return [
    { header: "time", value: (r) => (r.kind === "disclosure" ? r.entry.time : isoTime(r.timestamp)) },
    { header: "block", value: (r) => (r.kind === "disclosure" ? r.entry.block : r.blockNumber) },
    { header: "tx_hash", value: (r) => (r.kind === "disclosure" ? undefined : r.txHash) },
    { header: "log_index", value: (r) => (r.kind === "disclosure" ? undefined : r.logIndex) },
    { header: "log_seq", value: (r) => (r.kind === "disclosure" ? r.entry.seq : undefined) },
    { header: "kind", value: (r) => r.kind },
    { header: "patient", value: (r) => (r.kind === "disclosure" ? r.entry.patient : "patient" in r ? r.patient : undefined) },
    { header: "counterparty", value: (r) => counterparty(r) },
    {
      header: "counterparty_name",
      value: (r) => {
        const who = counterparty(r);
        if (who === undefined || directory === undefined) return undefined;
        const name = directory.nameOf(who, r.kind === "disclosure" ? r.entry.block : r.blockNumber);
        return name === "unregistered" ? undefined : name;
      },
    },
    {
      header: "actor",
      value: (r) =>
        "actor" in r
          ? r.actor
          : r.kind === "record"
            ? r.author
            : r.kind === "providerVerified" || r.kind === "providerDeactivated"
              ? r.registrar
              : undefined,
    },
    { header: "categories", value: (r) => categoriesCell(r) },
    { header: "write", value: (r) => (r.kind === "grant" || r.kind === "request" ? (r.scope & WRITE_BIT) !== 0 : undefined) },
    { header: "purpose", value: (r) => purposeCell(r) },
    {
      header: "expires_at",
      value: (r) =>
        r.kind === "grant" || r.kind === "emergency"
          ? isoTime(r.expiresAt)
          : r.kind === "disclosure" && r.entry.grantExpiresAt > 0
            ? isoTime(r.entry.grantExpiresAt)
            : undefined,
    },
    { header: "key_bundle", value: (r) => (r.kind === "grant" && !/^0x0+$/.test(r.keyBundle) ? r.keyBundle : undefined) },
    { header: "record_id", value: (r) => (r.kind === "record" ? r.recordId : undefined) },
    { header: "cid", value: (r) => (r.kind === "record" ? r.cid : r.kind === "disclosure" ? r.entry.cid : undefined) },
    { header: "detail", value: (r) => detail(r) },
  ];
}

/**
 * Streams an audit trail (chain events, optionally interleaved with disclosures) as RFC 4180 CSV lines.
 *
 * @example
 * for await (const line of eventsToCsv(mergeRows(streamEvents(rpc, deployment), entries), { directory })) out.write(line);
 */
export function eventsToCsv(rows: AsyncIterable<AuditRow> | Iterable<AuditRow>, options: EventColumnOptions = {}): AsyncGenerator<string> {
  return toCsv(rows, eventColumns(options));
}

/** Columns of the accounting of disclosures (45 CFR 164.528): date, recipient name and address, what, purpose. */
export const ACCOUNTING_COLUMNS: readonly CsvColumn<AccountingRow>[] = [
  { header: "date", value: (r) => r.date },
  { header: "recipient_name", value: (r) => r.recipientName },
  { header: "recipient_address", value: (r) => r.recipientAddress },
  { header: "what_was_disclosed", value: (r) => r.description },
  { header: "category", value: (r) => r.categoryLabel },
  { header: "record_cid", value: (r) => r.recordCid },
  { header: "purpose", value: (r) => `${r.purposeCode} (${r.purposeLabel})` },
  { header: "basis", value: (r) => r.basis },
  { header: "consent", value: (r) => r.consentId },
  { header: "evidence", value: (r) => (r.logSeq !== undefined ? `log entry #${r.logSeq}` : r.txHash) },
];

/** Streams an accounting of disclosures as CSV lines. */
export function accountingToCsv(rows: AsyncIterable<AccountingRow> | Iterable<AccountingRow>): AsyncGenerator<string> {
  return toCsv(rows, ACCOUNTING_COLUMNS);
}

function counterparty(r: AuditRow): string | undefined {
  if (r.kind === "disclosure") return r.entry.reader;
  return (
    providerOf(r as LedgerEvent) ??
    (r.kind === "encryptionKey"
      ? r.account
      : r.kind === "roleGranted" || r.kind === "roleRevoked"
        ? r.account
        : r.kind === "anchor"
          ? r.gateway
          : undefined)
  );
}

const CATEGORY_KEYS = new Map<number, string>(CATEGORIES.map((c) => [c.id, c.key]));

/** Scopes repeat across a history: their cell text is built once. */
const SCOPE_CELLS = new Map<number, string>();

function scopeCell(scope: number): string {
  let cell = SCOPE_CELLS.get(scope);
  if (cell === undefined) {
    if (SCOPE_CELLS.size > 10_000) SCOPE_CELLS.clear();
    cell = categoriesOf(scope)
      .map((c) => CATEGORY_KEYS.get(c))
      .join("|");
    SCOPE_CELLS.set(scope, cell);
  }
  return cell;
}

function categoriesCell(r: AuditRow): string | undefined {
  switch (r.kind) {
    case "grant":
    case "request":
      return scopeCell(r.scope);
    case "record":
      return CATEGORY_KEYS.get(r.category) ?? String(r.category);
    case "emergency":
    case "emergencyPolicy":
      return "EMERGENCY_SUMMARY";
    case "disclosure":
      return CATEGORY_KEYS.get(r.entry.category) ?? categoryLabel(r.entry.category);
    default:
      return undefined;
  }
}

function purposeCell(r: AuditRow): string | undefined {
  switch (r.kind) {
    case "grant":
    case "request":
      return purposeCode(r.purpose);
    case "emergency":
      return purposeCode(r.reasonCode);
    case "disclosure":
      return r.entry.purpose === 0 ? undefined : purposeCode(r.entry.purpose);
    default:
      return undefined;
  }
}

function detail(r: AuditRow): string | undefined {
  switch (r.kind) {
    case "request":
      return `requestId=${r.requestId}; durationSeconds=${r.duration}`;
    case "approve":
    case "deny":
      return `requestId=${r.requestId}`;
    case "revokeAll":
      return `newEpoch=${r.newEpoch}`;
    case "encryptionKey":
      return `key=${r.key}`;
    case "emergencyPolicy":
      return `enabled=${r.enabled}; maxWindowSeconds=${r.maxWindow}; summaryDigest=${r.summaryCid}`;
    case "emergency":
      return `summaryDigest=${r.summaryCid}`;
    case "providerVerified":
      return `name=${r.name}; emergencyCapable=${r.emergencyCapable}; licenceHash=${r.licenceHash}`;
    case "roleGranted":
    case "roleRevoked":
      return `role=${r.role}; sender=${r.sender}`;
    case "anchor":
      return `index=${r.index}; seq=${r.fromSeq}..${r.toSeq}; root=${r.merkleRoot}`;
    case "other":
      return [r.name, ...Object.entries(r.args).map(([k, v]) => `${k}=${v}`)].join("; ");
    case "disclosure":
      return `basis=${r.entry.basis}; entryHash=${r.entry.hash}`;
    default:
      return undefined;
  }
}
