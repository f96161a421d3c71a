import "../../../components/recordForms/recordForms.css";
import { checkTimelineFilter, type TimelineFilter } from "../../../../../lib/fhir";
import { CategorySelect } from "../../../components/recordForms/CategorySelect";
import { SelectField } from "../../../components/SelectField";

/** Search words, category, author and date range for the patient's timeline; a wrong date range is said in words. */
export function TimelineFilters({
  filter,
  onChange,
  authors,
}: {
  filter: TimelineFilter;
  onChange: (next: TimelineFilter) => void;
  authors: readonly string[];
}) {
  const problems = checkTimelineFilter(filter);
  const problemOf = (field: string) => problems.find((p) => p.field === field)?.message;
  const set = (patch: Partial<TimelineFilter>) => onChange({ ...filter, ...patch });
  return (
    <div className="timeline-tools" role="search" aria-label="Find records">
      <label>
        Search
        <input
          type="search"
          value={filter.text ?? ""}
          onChange={(e) => set({ text: e.target.value })}
          placeholder="Asthma, HbA1c, Dr. Chen…"
        />
      </label>
      <CategorySelect
        label="Category"
        noneLabel="All categories"
        value={filter.categories?.[0]}
        onChange={(c) => set({ categories: c === undefined ? undefined : [c] })}
      />
      <SelectField
        label="Author"
        value={filter.author}
        options={[{ value: undefined, label: "Anyone" }, ...authors.map((a) => ({ value: a, label: a }))]}
        onChange={(author) => set({ author })}
      />
      {(["from", "to"] as const).map((field) => (
        <div key={field} className={problemOf(field) ? "form-field invalid" : "form-field"}>
          <label htmlFor={`timeline-${field}`}>{field === "from" ? "From" : "To"}</label>
          <input
            id={`timeline-${field}`}
            type="date"
            value={filter[field] ?? ""}
            aria-invalid={problemOf(field) ? true : undefined}
            aria-describedby={problemOf(field) ? `timeline-${field}-error` : undefined}
            onChange={(e) => set({ [field]: e.target.value || undefined })}
          />
          {problemOf(field) && (
            <span id={`timeline-${field}-error`} className="field-error">
              {problemOf(field)}
            </span>
          )}
        </div>
      ))}
    </div>
  );
}
