import { useState } from "react";
import { categoryOf, describeResource, resourceBytes, type FhirResource, type FieldError } from "../../../../lib/fhir";
import { CategorySelect } from "./CategorySelect";
import { FieldGrid } from "./FieldGrid";
import type { RecordKind } from "./recordKinds";
import { addedWords, categoryProblem, type RecordTarget } from "./recordTarget";

/**
 * The form of one kind of record (condition, allergy, …): the person fills plain fields, the builder in lib/fhir turns
 * them into a FHIR R4 resource or names what to fix next to each field; nothing is encrypted until it builds.
 */
export function RecordKindForm({
  kind,
  target,
  busy,
  onAdd,
}: {
  kind: RecordKind;
  target: RecordTarget;
  busy: boolean;
  /** Encrypts and adds the built resource; resolves true when it was added (the form then clears). */
  onAdd: (plaintext: Uint8Array, category: number, done: string) => Promise<boolean>;
}) {
  const [values, setValues] = useState(kind.initial);
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [category, setCategory] = useState<number>();

  async function submit() {
    // A field the person cannot see must not speak for them (an end date typed before switching back to "I still have it").
    const hidden = kind.fields.filter((f) => f.showIf && !f.showIf(values)).map((f) => [f.name, ""]);
    const built = kind.build({ ...values, ...Object.fromEntries(hidden) }, target.patient, target.author);
    if (!built.ok) return setErrors(built.errors);
    const resource = built.resource as FhirResource;
    const chosen = category ?? categoryOf(resource);
    const refused = categoryProblem(target, chosen);
    if (refused) return setErrors([{ field: "category", message: refused }]);
    setErrors([]);
    const added = await onAdd(resourceBytes(resource), chosen, addedWords(target, chosen, describeResource(resource).title));
    if (added) setValues(kind.initial);
  }

  const visible = kind.fields.filter((f) => f.showIf?.(values) ?? true);
  const shown = new Set(visible.map((f) => f.name));
  // Errors about things the form fills itself (the patient) have no field to sit next to: they go on top.
  const general = errors.filter((e) => !shown.has(e.field));
  return (
    <form
      className="stack record-form"
      aria-label={`Add ${kind.label.replace(/^An? /, "").replace(/ \(typed\)$/, "")}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {errors.length > 0 && (
        <p className="error" role="alert">
          {general.length > 0 ? general.map((e) => e.message).join(" ") : "Some answers need a look: see the notes under the fields."}
        </p>
      )}
      <FieldGrid
        fields={visible}
        values={values}
        errors={errors}
        onChange={(name, v) => {
          setValues((old) => ({ ...old, [name]: v }));
          // An answer being corrected no longer carries its note; the rest stay until the next submit.
          setErrors((old) => old.filter((e) => e.field !== name));
        }}
      />
      <CategorySelect value={category} onChange={setCategory} categories={target.categories} />
      <button type="submit" className="align-start" disabled={busy}>
        {target.addLabel}
      </button>
    </form>
  );
}
