import "./recordForms.css";
import { useId } from "react";
import { CATEGORIES } from "../../../../lib/consent/codes";

/**
 * Where a record is filed, which decides who may read it under a grant. Left on "suggested", the category follows
 * from the record (lib/fhir categoryOf); sensitive categories (mental health, …) are never guessed, so the person
 * picks them here.
 */
export function CategorySelect({
  value,
  onChange,
  label = "File it under",
  noneLabel = "The usual category for this kind of record",
  categories,
}: {
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  label?: string;
  /** What leaving it unchosen means here (the usual category; in a filter, all of them). */
  noneLabel?: string;
  /** The categories offered (a provider's grant); all of them when absent. */
  categories?: readonly number[];
}) {
  const id = useId();
  const offered = categories === undefined ? CATEGORIES : CATEGORIES.filter((c) => categories.includes(c.id));
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}>
        <option value="">{noneLabel}</option>
        {offered.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
