import { useMemo, useState } from "react";
import type { VaultRecord } from "../../../../../lib/client/gatewayClient";
import { categoryLabel } from "../../../../../lib/consent/codes";
import { authorsOf, filterTimeline, newestFirst, type TimelineFilter } from "../../../../../lib/fhir";
import { authorLabel, type Directory } from "../../../components/names";
import { RecordTimeline } from "../../../components/RecordTimeline";
import { PrintableRecords, type PrintLine } from "./PrintableRecords";
import type { RecordFace } from "./recordFaces";
import { TimelineFilters } from "./TimelineFilters";

/**
 * The patient's vault as a timeline she can scan: each record titled by what it says (decrypted here), searchable
 * and filtered by category, author and date, with records ticked for a printout.
 */
export function PatientTimeline({
  records,
  faces,
  patient,
  patientName,
  dir,
  open,
}: {
  records: readonly VaultRecord[];
  faces: ReadonlyMap<string, RecordFace>;
  patient: string;
  patientName?: string;
  dir: Directory;
  open: (record: VaultRecord) => Promise<Uint8Array>;
}) {
  const [filter, setFilter] = useState<TimelineFilter>({});
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const lines = useMemo(
    () =>
      records.map((r): PrintLine & { record: VaultRecord } => {
        const face = faces.get(r.cid);
        return {
          record: r,
          cid: r.cid,
          category: r.category,
          title: face?.title ?? categoryLabel(r.category),
          kind: face?.kind ?? "Record",
          summary: face?.summary,
          // The ledger's author (signed on-chain), named from the registry: not what the record says of itself.
          author: authorLabel(r.author, patient, dir),
          date: face?.date,
          addedAt: r.addedAt,
        };
      }),
    [records, faces, patient, dir],
  );
  // Dates filter on the record's own date when it has one, else on when it was added.
  // Newest first by what the record is about (the test, the onset), which is what people scan for.
  const shown = newestFirst(
    filterTimeline(
      lines.map((l) => ({ ...l, date: l.date ?? l.addedAt })),
      filter,
    ),
  );
  const shownCids = new Set(shown.map((l) => l.cid));
  const picked = lines.filter((l) => selected.has(l.cid));

  function select(cid: string, on: boolean) {
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(cid);
      else next.delete(cid);
      return next;
    });
  }

  return (
    <>
      {records.length > 0 && <TimelineFilters filter={filter} onChange={setFilter} authors={authorsOf(lines)} />}
      {records.length > 0 && (
        <div className="actions">
          <p className="muted grow" role="status">
            Showing {shown.length} of {records.length} record{records.length === 1 ? "" : "s"}
            {picked.length > 0 && ` · ${picked.length} selected`}
          </p>
          <button className="secondary" onClick={() => setSelected(new Set([...selected, ...shownCids]))} disabled={shown.length === 0}>
            Select all shown
          </button>
          <button className="secondary" onClick={() => setSelected(new Set())} disabled={picked.length === 0}>
            Clear selection
          </button>
          <button onClick={() => window.print()} disabled={picked.length === 0}>
            Print selected
          </button>
        </div>
      )}
      {records.length > 0 && shown.length === 0 ? (
        <p className="muted">No record matches: clear a filter to see more.</p>
      ) : (
        <RecordTimeline
          records={shown.map((l) => l.record)}
          patient={patient}
          dir={dir}
          open={open}
          testId="my-records"
          faces={faces}
          selected={selected}
          onSelect={select}
          ordered
        />
      )}
      <PrintableRecords lines={picked} patientName={patientName} />
    </>
  );
}
