import { useId } from "react";
import { CATEGORIES } from "../../../../../lib/consent/codes";

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
}: {
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  label?: string;
  /** What leaving it unchosen means here (the usual category; in a filter, all of them). */
  noneLabel?: string;
}) {
  const id = useId();
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}>
        <option value="">{noneLabel}</option>
        {CATEGORIES.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
