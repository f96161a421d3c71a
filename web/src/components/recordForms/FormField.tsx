import "./recordForms.css";
import { useId } from "react";
import type { FieldSpec } from "./recordKinds";

/**
 * One labelled input of a record form, with its plain-language error right under it (tied by aria-describedby and
 * aria-invalid, so a screen reader reads the error with the field).
 */
export function FormField({
  spec,
  value,
  error,
  onChange,
}: {
  spec: FieldSpec;
  value: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const describedBy = [spec.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const common = { id, value, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy };
  return (
    <div className={error ? "form-field invalid" : "form-field"}>
      <label htmlFor={id}>
        {spec.label}
        {spec.optional && <span className="muted"> (optional)</span>}
      </label>
      {spec.kind === "select" ? (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          {spec.options?.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </select>
      ) : spec.kind === "textarea" ? (
        <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={spec.kind === "date" ? "date" : "text"}
          inputMode={spec.kind === "number" ? "decimal" : undefined}
          list={spec.suggestions ? `${id}-suggestions` : undefined}
          autoComplete="off"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {spec.suggestions && (
        <datalist id={`${id}-suggestions`}>
          {spec.suggestions.map((s) => (
            <option key={s.code} value={s.label} />
          ))}
        </datalist>
      )}
      {spec.hint && (
        <span id={`${id}-hint`} className="muted field-hint">
          {spec.hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
