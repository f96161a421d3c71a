import type { FieldError } from "../../../../lib/fhir";
import { FormField } from "./FormField";
import type { FieldSpec, FormValues } from "./recordKinds";

/** A record form's fields in the form grid, each with the builder's error for it (matched by field name) under it. */
export function FieldGrid({
  fields,
  values,
  errors,
  onChange,
}: {
  fields: readonly FieldSpec[];
  values: FormValues;
  errors: readonly FieldError[];
  onChange: (name: string, value: string) => void;
}) {
  return (
    <div className="form-grid">
      {fields.map((f) => (
        <FormField
          key={f.name}
          spec={f}
          value={values[f.name] ?? ""}
          error={errors.find((e) => e.field === f.name)?.message}
          onChange={(v) => onChange(f.name, v)}
        />
      ))}
    </div>
  );
}
