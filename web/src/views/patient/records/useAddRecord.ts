import { useState } from "react";
import { addOwnRecord, type ActorContext, type AddRecordStage } from "../../../../../lib/client";
import { useAction } from "../../../components/useAsync";

/** Words for each stage of adding a record, for the progress line. */
export const STAGE_WORDS: Record<AddRecordStage, string> = {
  encrypting: "Encrypting in this browser",
  uploading: "Uploading the ciphertext",
  announcing: "Recording it in your vault on the ledger",
};

/**
 * Adds records to the patient's own vault through the SDK (which encrypts them in this browser before anything is
 * uploaded), one action at a time, with the stage and fraction for a progress bar. Shared by the forms, the file
 * upload, the pasted JSON and the import so they all encrypt the same way.
 */
export function useAddRecord(actor: ActorContext) {
  const [progress, setProgress] = useState<{ stage: AddRecordStage; fraction: number }>();
  const action = useAction();

  async function add(plaintext: Uint8Array, category: number): Promise<void> {
    try {
      await addOwnRecord(actor, { plaintext, category, onProgress: (stage, fraction) => setProgress({ stage, fraction }) });
    } finally {
      setProgress(undefined);
    }
  }

  return { ...action, progress, add };
}
