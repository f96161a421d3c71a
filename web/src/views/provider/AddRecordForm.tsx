import { useRef, useState } from "react";
import { categoriesOf, categoryLabel } from "../../../../lib/consent/codes";
import type { ActorContext } from "../../../../lib/client";
import { addRecordForPatient } from "../../../../lib/client/recordActions";
import { recordPlaintext } from "../../components/recordInput";
import { formatBytes } from "../../components/recordContent";
import { Status } from "../../components/Status";
import { useAction } from "../../components/useAsync";
import { SAMPLE_LAB_RESULT } from "./samples";

const STAGE_WORDS = {
  encrypting: "Encrypting for the patient",
  uploading: "Uploading the ciphertext",
  announcing: "Recording it in the patient's vault",
} as const;

/** Adds a record to a patient's vault under a grant with the write bit: encrypted for the patient's key, signed as its author. */
export function AddRecordForm({
  actor,
  patient,
  patientName,
  scope,
  onAdded,
}: {
  actor: ActorContext;
  patient: string;
  patientName: string;
  scope: number;
  onAdded: () => void;
}) {
  const allowed = categoriesOf(scope);
  const [category, setCategory] = useState(allowed.includes(4) ? 4 : allowed[0]);
  const [text, setText] = useState(SAMPLE_LAB_RESULT);
  const [file, setFile] = useState<File>();
  const [progress, setProgress] = useState<{ stage: keyof typeof STAGE_WORDS; fraction: number }>();
  const [done, setDone] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useAction();

  async function add() {
    setDone(undefined);
    const plaintext = await recordPlaintext(file, text);
    try {
      await addRecordForPatient(actor, { patient, plaintext, category, onProgress: (stage, fraction) => setProgress({ stage, fraction }) });
    } finally {
      setProgress(undefined);
    }
    setDone(`Added to ${patientName}'s vault as ${categoryLabel(category)}. It is encrypted for the patient; you keep no copy of its key.`);
    setFile(undefined);
    if (fileInput.current) fileInput.current.value = "";
    onAdded();
  }

  return (
    <div className="subpanel" role="group" aria-labelledby="add-record-title">
      <h3 id="add-record-title">Add a record to this patient's vault</h3>
      <label>
        Record (FHIR R4 JSON)
        <textarea rows={7} value={text} onChange={(e) => setText(e.target.value)} disabled={file !== undefined} spellCheck={false} />
      </label>
      <label>
        …or a file (PDF, image or FHIR JSON)
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json,application/pdf,image/*"
          onChange={(e) => setFile(e.target.files?.[0])}
        />
      </label>
      {file && (
        <p className="muted">
          {file.name} · {formatBytes(file.size)}
        </p>
      )}
      <label>
        Category (the grant allows these)
        <select value={category} onChange={(e) => setCategory(Number(e.target.value))}>
          {allowed.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>
      </label>
      <button disabled={busy !== undefined} onClick={() => void run("Adding the record", add)}>
        Encrypt &amp; add to vault
      </button>
      {progress && (
        <label className="progress">
          {STAGE_WORDS[progress.stage]} ({Math.round(progress.fraction * 100)}%)
          <progress max={1} value={progress.fraction} />
        </label>
      )}
      <Status busy={progress ? undefined : busy} done={done} error={error} />
    </div>
  );
}
