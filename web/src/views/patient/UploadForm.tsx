import { useRef, useState } from "react";
import { CATEGORIES } from "../../../../lib/consent/codes";
import { addOwnRecord, type ActorContext } from "../../../../lib/client";
import { useAction } from "../../components/useAsync";
import { Status } from "../../components/Status";
import { formatBytes } from "../../components/recordContent";
import { recordPlaintext } from "../../components/recordInput";
import { SAMPLE_CONDITION } from "./samples";
import { suggestedCategory } from "./suggestedCategory";

const STAGE_WORDS = {
  encrypting: "Encrypting in this browser",
  uploading: "Uploading the ciphertext",
  announcing: "Recording it in your vault on the ledger",
} as const;

/** Adds a record to the patient's own vault: FHIR JSON typed or pasted, or a PDF, image or JSON file; encrypted here first. */
export function UploadForm({ actor, onUploaded }: { actor: ActorContext; onUploaded: () => void }) {
  const [text, setText] = useState(SAMPLE_CONDITION);
  const [file, setFile] = useState<File>();
  const [category, setCategory] = useState(1);
  const [progress, setProgress] = useState<{ stage: keyof typeof STAGE_WORDS; fraction: number }>();
  const [done, setDone] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useAction();

  function clearFile() {
    setFile(undefined);
    if (fileInput.current) fileInput.current.value = "";
  }

  async function upload() {
    setDone(undefined);
    const plaintext = await recordPlaintext(file, text);
    try {
      await addOwnRecord(actor, { plaintext, category, onProgress: (stage, fraction) => setProgress({ stage, fraction }) });
    } finally {
      setProgress(undefined);
    }
    setDone(`Added to your vault${file ? `: ${file.name}` : ""}.`);
    clearFile();
    onUploaded();
  }

  return (
    <section className="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Add a record</h2>
      <p className="muted">The record is encrypted in this browser; only ciphertext reaches the gateway and IPFS.</p>
      <label>
        FHIR R4 JSON
        <textarea rows={7} value={text} onChange={(e) => setText(e.target.value)} disabled={file !== undefined} spellCheck={false} />
      </label>
      <label>
        …or a file (PDF, image or FHIR JSON)
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json,application/pdf,image/*"
          onChange={(e) => {
            const picked = e.target.files?.[0];
            setFile(picked);
            if (picked) setCategory((c) => suggestedCategory(picked, c));
          }}
        />
      </label>
      {file && (
        <p className="muted file-line">
          <span>
            {file.name} · {formatBytes(file.size)}
          </span>
          <button type="button" className="secondary" onClick={clearFile}>
            Use the text instead
          </button>
        </p>
      )}
      <label>
        Category
        <select value={category} onChange={(e) => setCategory(Number(e.target.value))}>
          {CATEGORIES.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <button disabled={busy !== undefined} onClick={() => void run("Adding the record", upload)}>
        Encrypt &amp; upload
      </button>
      {progress && (
        <label className="progress">
          {STAGE_WORDS[progress.stage]} ({Math.round(progress.fraction * 100)}%)
          <progress max={1} value={progress.fraction} />
        </label>
      )}
      <Status busy={progress ? undefined : busy} done={done} error={error} />
    </section>
  );
}
