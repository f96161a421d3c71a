import { CATEGORIES } from "../../../../lib/consent/codes";
import { SelectField } from "../SelectField";

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
  const offered = categories === undefined ? CATEGORIES : CATEGORIES.filter((c) => categories.includes(c.id));
  return (
    <SelectField<number | undefined>
      label={label}
      value={value}
      options={[{ value: undefined, label: noneLabel }, ...offered.map((c) => ({ value: c.id, label: c.label }))]}
      onChange={onChange}
    />
  );
}
