import type { DisclosureEntry } from "../disclosure";
import type { LedgerEvent } from "./events";

/** A disclosure log entry as a row of an audit trail, beside the chain events. */
export interface DisclosureRow {
  kind: "disclosure";
  entry: DisclosureEntry;
}

/** One row of an audit trail: a chain event or a (verified) disclosure. */
export type AuditRow = LedgerEvent | DisclosureRow;

/**
 * Interleaves chain events (in chain order) with disclosure entries: an entry decided at block B comes after every
 * event of blocks ≤ B, so a disclosure always follows the grant it was released under. Streams the events; the
 * entries (already in memory, one patient's) are sorted by (block, seq).
 */
export async function* mergeRows(
  events: AsyncIterable<LedgerEvent> | Iterable<LedgerEvent>,
  entries: readonly DisclosureEntry[] = [],
): AsyncGenerator<AuditRow> {
  const sorted = [...entries].sort((a, b) => a.block - b.block || a.seq - b.seq);
  let next = 0;
  for await (const event of events) {
    while (next < sorted.length && sorted[next].block < event.blockNumber) yield { kind: "disclosure", entry: sorted[next++] };
    yield event;
  }
  while (next < sorted.length) yield { kind: "disclosure", entry: sorted[next++] };
}
