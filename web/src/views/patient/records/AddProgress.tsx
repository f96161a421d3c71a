import type { AddRecordStage } from "../../../../../lib/client";
import { STAGE_WORDS } from "./useAddRecord";

/** The progress bar of a record being encrypted, uploaded and announced. */
export function AddProgress({ progress }: { progress?: { stage: AddRecordStage; fraction: number } }) {
  if (!progress) return null;
  return (
    <label className="progress">
      {STAGE_WORDS[progress.stage]} ({Math.round(progress.fraction * 100)}%)
      <progress max={1} value={progress.fraction} />
    </label>
  );
}
