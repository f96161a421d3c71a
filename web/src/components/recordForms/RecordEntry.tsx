import { useState } from "react";
import type { ActorContext } from "../../../../lib/client";
import { Status } from "../Status";
import { AddProgress } from "./AddProgress";
import { FileRecordForm } from "./FileRecordForm";
import { PastedJsonForm } from "./PastedJsonForm";
import { RecordKindForm } from "./RecordKindForm";
import type { RecordKind } from "./recordKinds";
import type { RecordTarget } from "./recordTarget";
import { useAddRecord } from "./useAddRecord";

const FILE = "file";

/**
 * Adding a record without typing FHIR, to the patient's own vault or (for a provider with write access) to a
 * patient's: a form per kind of record (built into FHIR R4 in lib/fhir), a PDF or image as it is, or — for those who
 * have it — pasted FHIR JSON. Encrypted in this browser first, filed only under the categories the target allows.
 */
export function RecordEntry({
  actor,
  target,
  kinds,
  onAdded,
}: {
  actor: ActorContext;
  target: RecordTarget;
  kinds: readonly RecordKind[];
  onAdded: () => void;
}) {
  // The first kind the adder may file as it usually is (a lab result under a grant for lab results).
  const [kindKey, setKindKey] = useState(() => (kinds.find((k) => target.categories?.includes(k.category) ?? true) ?? kinds[0]).key);
  const [done, setDone] = useState<string>();
  const { busy, error, setError, run, progress, add } = useAddRecord(actor, target.patient.address);
  const kind = kinds.find((k) => k.key === kindKey);

  async function addRecord(plaintext: Uint8Array, category: number, message: string): Promise<boolean> {
    setDone(undefined);
    const ok = await run("Adding the record", async () => {
      await add(plaintext, category);
      return true;
    });
    if (!ok) return false;
    setDone(message);
    onAdded();
    return true;
  }

  return (
    <>
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
        {kinds.map((k) => (
          <option key={k.key} value={k.key}>
            {k.label}
          </option>
        ))}
        <option value={FILE}>A document, scan or photo (PDF or image file)</option>
      </select>
      {kind ? (
        <RecordKindForm key={kind.key} kind={kind} target={target} busy={busy !== undefined} onAdd={addRecord} />
      ) : (
        <FileRecordForm target={target} busy={busy !== undefined} onAdd={addRecord} />
      )}
      <details>
        <summary>Paste FHIR JSON (advanced)</summary>
        <PastedJsonForm target={target} busy={busy !== undefined} onAdd={addRecord} onInvalid={(m) => setError(m)} />
      </details>
      <AddProgress progress={progress} whose={target.whose} />
      <Status busy={progress ? undefined : busy} done={done} error={error} />
    </>
  );
}
