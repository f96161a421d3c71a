import { useRef, useState } from "react";
import {
  buildDocumentReference,
  bytesToBase64,
  categoryOf,
  DOCUMENT_KINDS,
  resourceBytes,
  type DocumentKind,
  type FhirResource,
  type FieldError,
} from "../../../../lib/fhir";
import { formatBytes } from "../recordContent";
import { CategorySelect } from "./CategorySelect";
import { FieldGrid } from "./FieldGrid";
import type { FieldSpec } from "./recordKinds";
import { addedWords, categoryProblem, type RecordTarget } from "./recordTarget";

const FIELDS: readonly FieldSpec[] = [
  { name: "title", label: "Title", kind: "text", hint: "For example Discharge letter." },
  { name: "kind", label: "What it is", kind: "select", options: DOCUMENT_KINDS },
  { name: "date", label: "Date of the document", kind: "date" },
];

/** Today in the person's own calendar (YYYY-MM-DD), the default date of a document they add. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * A PDF or image (a letter, a scan, a photo of a card) with its title, kind and date: one FHIR DocumentReference that
 * carries the file inside, encrypted in this browser like every record.
 */
export function FileRecordForm({
  target,
  busy,
  onAdd,
}: {
  target: RecordTarget;
  busy: boolean;
  onAdd: (plaintext: Uint8Array, category: number, done: string) => Promise<boolean>;
}) {
  const [file, setFile] = useState<File>();
  const [values, setValues] = useState<Record<string, string>>({ title: "", kind: "note", date: today() });
  const [errors, setErrors] = useState<readonly FieldError[]>([]);
  const [category, setCategory] = useState<number>();
  const input = useRef<HTMLInputElement>(null);

  function pick(picked: File | undefined) {
    setFile(picked);
    setErrors([]);
    if (!picked) return;
    // The file's name is the best first guess at a title; images are usually scans or photos of imaging.
    setValues((v) => ({ ...v, title: v.title || picked.name, kind: picked.type.startsWith("image/") ? "imaging-report" : v.kind }));
  }

  async function submit() {
    if (!file) return setErrors([{ field: "file", message: "Choose the file to add." }]);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const built = buildDocumentReference({
      title: values.title,
      kind: values.kind as DocumentKind,
      contentType: file.type || "application/octet-stream",
      date: values.date,
      dataBase64: bytesToBase64(bytes),
      sizeBytes: bytes.length,
      author: target.author,
      patient: target.patient,
    });
    if (!built.ok) return setErrors(built.errors);
    const resource = built.resource as unknown as FhirResource;
    const chosen = category ?? categoryOf(resource);
    const refused = categoryProblem(target, chosen);
    if (refused) return setErrors([{ field: "category", message: refused }]);
    setErrors([]);
    const done = addedWords(target, chosen, values.title.trim());
    if (!(await onAdd(resourceBytes(resource), chosen, done))) return;
    setFile(undefined);
    setValues({ title: "", kind: "note", date: today() });
    if (input.current) input.current.value = "";
  }

  const fileError = errors.find((e) => e.field === "file" || e.field === "dataBase64" || e.field === "contentType")?.message;
  const categoryError = errors.find((e) => e.field === "category")?.message;
  return (
    <form
      className="stack record-form"
      aria-label="Add a document, scan or photo"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {categoryError && (
        <p className="error" role="alert">
          {categoryError}
        </p>
      )}
      <div className={fileError ? "form-field invalid" : "form-field"}>
        <label htmlFor="record-file">File (PDF or image)</label>
        <input
          id="record-file"
          ref={input}
          type="file"
          accept="application/pdf,image/*"
          aria-invalid={fileError ? true : undefined}
          aria-describedby={fileError ? "record-file-error" : undefined}
          onChange={(e) => pick(e.target.files?.[0])}
        />
        {file && <span className="muted">{`${file.name} · ${formatBytes(file.size)}`}</span>}
        {fileError && (
          <span id="record-file-error" className="field-error">
            {fileError}
          </span>
        )}
      </div>
      <FieldGrid fields={FIELDS} values={values} errors={errors} onChange={(name, v) => setValues((old) => ({ ...old, [name]: v }))} />
      <CategorySelect value={category} onChange={setCategory} categories={target.categories} />
      <button type="submit" className="align-start" disabled={busy}>
        Encrypt &amp; upload
      </button>
    </form>
  );
}
