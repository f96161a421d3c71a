import { useState } from "react";
import "./records/records.css";
import type { ActorContext } from "../../../../lib/client";
import { Status } from "../../components/Status";
import { AddProgress } from "./records/AddProgress";
import { FileRecordForm } from "./records/FileRecordForm";
import { PastedJsonForm } from "./records/PastedJsonForm";
import { RECORD_KINDS } from "./records/recordKinds";
import { RecordKindForm } from "./records/RecordKindForm";
import { useAddRecord } from "./records/useAddRecord";

const FILE = "file";

/**
 * Adds a record to the patient's own vault without typing FHIR: a form per kind of record (built into FHIR R4 in
 * lib/fhir), a PDF or image as it is, or — for those who have it — pasted FHIR JSON. Encrypted here first.
 */
export function UploadForm({ actor, onUploaded }: { actor: ActorContext; onUploaded: () => void }) {
  const [kindKey, setKindKey] = useState(RECORD_KINDS[0].key);
  const [done, setDone] = useState<string>();
  const { busy, error, setError, run, progress, add } = useAddRecord(actor);
  const kind = RECORD_KINDS.find((k) => k.key === kindKey);
  const me = { address: actor.address };

  async function addRecord(plaintext: Uint8Array, category: number, message: string): Promise<boolean> {
    setDone(undefined);
    const ok = await run("Adding the record", async () => {
      await add(plaintext, category);
      return true;
    });
    if (!ok) return false;
    setDone(message);
    onUploaded();
    return true;
  }

  return (
    <section className="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Add a record</h2>
      <p className="muted">
        The record is locked (encrypted) in this browser before it is sent: the servers that keep it never see what it says.
      </p>
      <label htmlFor="record-kind">What are you adding?</label>
      <select
        id="record-kind"
        value={kindKey}
        onChange={(e) => {
          setKindKey(e.target.value);
          setDone(undefined);
          setError(undefined);
        }}
      >
        {RECORD_KINDS.map((k) => (
          <option key={k.key} value={k.key}>
            {k.label}
          </option>
        ))}
        <option value={FILE}>A document, scan or photo (PDF or image file)</option>
      </select>
      {kind ? (
        <RecordKindForm key={kind.key} kind={kind} me={me} busy={busy !== undefined} onAdd={addRecord} />
      ) : (
        <FileRecordForm me={me} busy={busy !== undefined} onAdd={addRecord} />
      )}
      <details>
        <summary>Paste FHIR JSON (advanced)</summary>
        <PastedJsonForm busy={busy !== undefined} onAdd={addRecord} onInvalid={(m) => setError(m)} />
      </details>
      <AddProgress progress={progress} />
      <Status busy={progress ? undefined : busy} done={done} error={error} />
    </section>
  );
}
