import { useMemo, useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import { formatWhen } from "../../components/format";
import { SelectField } from "../../components/SelectField";
import { AuditExport } from "./AuditExport";
import { categoriesIn, filterRows, providersIn, type AuditFilter, type AuditRow } from "./auditRows";

/**
 * The timeline of audit rows, oldest first, with filters by provider, category and date; with `exportFor`, also the
 * audit API's export buttons for that patient, narrowed by the same provider and date filters.
 */
export function DisclosureTimeline({
  rows,
  exportFor,
}: {
  rows: readonly AuditRow[];
  exportFor?: { actor: ActorContext; patient: string };
}) {
  const [filter, setFilter] = useState<AuditFilter>({});
  const shown = useMemo(() => filterRows(rows, filter), [rows, filter]);
  const providers = useMemo(() => providersIn(rows), [rows]);
  const categories = useMemo(() => categoriesIn(rows), [rows]);

  return (
    <>
      <fieldset className="filters">
        <legend>Filter</legend>
        <SelectField
          label="Provider"
          value={filter.provider}
          options={[{ value: undefined, label: "All providers" }, ...providers.map((p) => ({ value: p.address, label: p.name }))]}
          onChange={(provider) => setFilter((f) => ({ ...f, provider }))}
        />
        <SelectField
          label="Category"
          value={filter.category}
          options={[{ value: undefined, label: "All categories" }, ...categories.map((c) => ({ value: c.id, label: c.label }))]}
          onChange={(category) => setFilter((f) => ({ ...f, category }))}
        />
        <label>
          From
          <input type="date" value={filter.from ?? ""} onChange={(e) => setFilter((f) => ({ ...f, from: e.target.value || undefined }))} />
        </label>
        <label>
          To
          <input type="date" value={filter.to ?? ""} onChange={(e) => setFilter((f) => ({ ...f, to: e.target.value || undefined }))} />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filter.hideOwnReads ?? false}
            onChange={(e) => setFilter((f) => ({ ...f, hideOwnReads: e.target.checked }))}
          />
          Hide the patient's own reads
        </label>
      </fieldset>
      {exportFor && <AuditExport actor={exportFor.actor} patient={exportFor.patient} filter={filter} />}
      <p className="muted" role="status">
        Showing {shown.length} of {rows.length} event{rows.length === 1 ? "" : "s"}, oldest first.
      </p>
      <ol className="log" data-testid="audit-timeline">
        {shown.map((r) => (
          <li key={r.key} className={r.emergency ? "emergency" : undefined}>
            <time dateTime={new Date(r.time * 1000).toISOString()}>{formatWhen(r.time)}</time>
            <span className="who">{r.title}</span>
            <span className="why muted">{r.detail}</span>
            <span className="evidence muted">{r.evidence}</span>
          </li>
        ))}
      </ol>
    </>
  );
}
