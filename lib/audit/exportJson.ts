import { isoTime } from "./args";
import type { AuditRow } from "./rows";

/** A row as JSON: the decoded event (or disclosure entry) with an ISO `time` beside its unix `timestamp`. */
export function rowToJson(row: AuditRow): Record<string, unknown> {
  if (row.kind === "disclosure") return { kind: "disclosure", ...row.entry };
  return { ...row, time: isoTime(row.timestamp) };
}

/**
 * Streams rows as NDJSON (one JSON object per line): the format to pipe into `jq` or a log store.
 *
 * @example
 * for await (const line of toJsonLines(rows)) out.write(line);
 */
export async function* toJsonLines(rows: AsyncIterable<AuditRow> | Iterable<AuditRow>): AsyncGenerator<string> {
  for await (const row of rows) yield JSON.stringify(rowToJson(row)) + "\n";
}

/** Streams rows as one JSON array, an element per line, never holding more than one row. */
export async function* toJsonArray(rows: AsyncIterable<AuditRow> | Iterable<AuditRow>): AsyncGenerator<string> {
  let first = true;
  yield "[";
  for await (const row of rows) {
    yield (first ? "\n" : ",\n") + JSON.stringify(rowToJson(row));
    first = false;
  }
  yield first ? "]\n" : "\n]\n";
}
