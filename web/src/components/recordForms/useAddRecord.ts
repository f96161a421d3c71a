import { useState } from "react";
import { addOwnRecord, type ActorContext, type AddRecordStage } from "../../../../lib/client";
import { addRecordForPatient } from "../../../../lib/client/recordActions";
import { useAction } from "../useAsync";

/** Words for each stage of adding a record to `whose` vault ("your", "Jane Doe's"), for the progress line. */
export function stageWords(stage: AddRecordStage, whose = "your"): string {
  if (stage === "encrypting") return whose === "your" ? "Encrypting in this browser" : "Encrypting in this browser for the patient";
  if (stage === "uploading") return "Uploading the ciphertext";
  return `Recording it in ${whose} vault on the ledger`;
}

/**
 * Adds records through the SDK (which encrypts them in this browser before anything is uploaded), one action at a
 * time, with the stage and fraction for a progress bar: to the actor's own vault, or — given another `patient` — to
 * that patient's vault under the actor's write grant (sealed for the patient, announced with the actor as author).
 * Shared by the forms, the file upload, the pasted JSON and the import so they all encrypt the same way.
 */
export function useAddRecord(actor: ActorContext, patient: string = actor.address) {
  const [progress, setProgress] = useState<{ stage: AddRecordStage; fraction: number }>();
  const action = useAction();
  const own = patient.toLowerCase() === actor.address.toLowerCase();

  async function add(plaintext: Uint8Array, category: number): Promise<void> {
    const onProgress = (stage: AddRecordStage, fraction: number) => setProgress({ stage, fraction });
    try {
      if (own) await addOwnRecord(actor, { plaintext, category, onProgress });
      else await addRecordForPatient(actor, { patient, plaintext, category, onProgress });
    } finally {
      setProgress(undefined);
    }
  }

  return { ...action, progress, add };
}
