import type { AddRecordStage } from "../../../../lib/client";
import { stageWords } from "./useAddRecord";

/** The progress bar of a record being encrypted, uploaded and announced in `whose` vault ("your" by default). */
export function AddProgress({ progress, whose }: { progress?: { stage: AddRecordStage; fraction: number }; whose?: string }) {
  if (!progress) return null;
  return (
    <label className="progress">
      {stageWords(progress.stage, whose)} ({Math.round(progress.fraction * 100)}%)
      <progress max={1} value={progress.fraction} />
    </label>
  );
}
