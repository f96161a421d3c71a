import { CodedError } from "../errors/codedError";

/**
 * Stable reasons a prescribing operation failed; callers branch on `code`, never on the message.
 * Codes are only ever added, never renamed.
 *
 * - `BAD_TABLE`: an interaction table is malformed (shape, unknown ingredient, class, source or condition group,
 *   duplicate id). The message names the first problem.
 * - `NOT_A_MEDICATION`: the proposed resource is not a MedicationRequest, MedicationStatement or MedicationDispense.
 * - `OVERRIDE_REASON_REQUIRED`: a contraindicated or major finding was to be overridden without a reason.
 */
export type PrescribingErrorCode = "BAD_TABLE" | "NOT_A_MEDICATION" | "OVERRIDE_REASON_REQUIRED";

/** Every failure of the prescribing library: `code` is stable, `message` says what was wrong and what to do. */
export class PrescribingError extends CodedError<PrescribingErrorCode> {
  constructor(code: PrescribingErrorCode, message: string) {
    super("PrescribingError", code, message);
  }
}
