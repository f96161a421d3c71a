import { useRef, useState } from "react";
import { categoryLabel } from "../../../../../lib/consent/codes";
import { DEFAULT_CATEGORY } from "../../../../../lib/fhir";
import { formatBytes } from "../../../components/recordContent";
import { suggestedCategory } from "../suggestedCategory";
import { CategorySelect } from "./CategorySelect";

/** A PDF or image (a letter, a scan, a photo of a card) added as it is, encrypted in this browser. */
export function FileRecordForm({
  busy,
  onAdd,
}: {
  busy: boolean;
  onAdd: (plaintext: Uint8Array, category: number, done: string) => Promise<boolean>;
}) {
  const [file, setFile] = useState<File>();
  const [category, setCategory] = useState<number>();
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function submit() {
    if (!file) return setMissing(true);
    const chosen = category ?? suggestedCategory(file, DEFAULT_CATEGORY);
    const added = await onAdd(
      new Uint8Array(await file.arrayBuffer()),
      chosen,
      `Added to your vault as ${categoryLabel(chosen)}: ${file.name}.`,
    );
    if (!added) return;
    setFile(undefined);
    if (input.current) input.current.value = "";
  }

  return (
    <form
      className="stack record-form"
      aria-label="Add a document, scan or photo"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className={missing ? "form-field invalid" : "form-field"}>
        <label htmlFor="record-file">File (PDF or image)</label>
        <input
          id="record-file"
          ref={input}
          type="file"
          accept="application/pdf,image/*"
          aria-invalid={missing || undefined}
          aria-describedby={missing ? "record-file-error" : undefined}
          onChange={(e) => {
            setFile(e.target.files?.[0]);
            setMissing(false);
          }}
        />
        {file && <span className="muted">{`${file.name} · ${formatBytes(file.size)}`}</span>}
        {missing && (
          <span id="record-file-error" className="field-error">
            Choose the file to add.
          </span>
        )}
      </div>
      <CategorySelect value={category} onChange={setCategory} />
      <button type="submit" className="align-start" disabled={busy}>
        Encrypt &amp; upload
      </button>
    </form>
  );
}
