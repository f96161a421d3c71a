import { INTERPRETATIONS, keysOf, LAB_STATUSES, type InterpretationKey, type LabStatus } from "../choices";
import type { DateInput } from "../dateChecks";
import { compact, FieldChecks, type NumberInput } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import type { PartyInput } from "../references";
import { LOINC, OBSERVATION_CATEGORY, OBSERVATION_INTERPRETATION } from "../systems";
import type { Observation } from "../types";
import { coded, concept, notes, quantity } from "./elements";

/** A lab result as a form collects it: a number with its unit, or a result in words. */
export interface LabResultForm {
  /** The test ("HbA1c", "Potassium"). */
  test: string;
  loincCode?: string;
  /** A numeric result… */
  value?: NumberInput;
  unit?: string;
  /** …or a result in words ("Negative"). */
  valueText?: string;
  /** When the sample was taken. */
  effectiveDate: DateInput;
  interpretation?: InterpretationKey;
  referenceLow?: NumberInput;
  referenceHigh?: NumberInput;
  status?: LabStatus;
  /** The laboratory or clinician who reported it. */
  performer?: PartyInput;
  note?: string;
  patient: PartyInput;
}

/** Builds a FHIR R4 Observation (category laboratory) from a form, or says what to fix. */
export function buildLabResult(form: LabResultForm, options?: BuildOptions): BuildResult<Observation> {
  const c = new FieldChecks(options);
  const test = c.text("test", form.test, "Enter the name of the test, for example HbA1c.", 200);
  const loinc = c.code("loincCode", form.loincCode, "loinc");
  const value = c.number("value", form.value, { what: "the result", example: "6.1" });
  const unit = c.text("unit", form.unit, undefined, 40);
  const valueText = c.text("valueText", form.valueText, undefined, 500);
  if (value !== undefined && valueText !== undefined) c.fail("valueText", "Enter the result either as a number or in words, not both.");
  if (value === undefined && valueText === undefined && !c.errors.some((e) => e.field === "value"))
    c.fail("value", "Enter the result, as a number (with its unit) or in words.");
  if (unit !== undefined && value === undefined && valueText !== undefined)
    c.fail("unit", "A unit goes with a number: enter the result as a number, or clear the unit.");
  const effective = c.pastTime(
    "effectiveDate",
    form.effectiveDate,
    "the date the sample was taken",
    "Enter the date the sample was taken.",
  );
  const interpretation = c.choice("interpretation", form.interpretation, keysOf(INTERPRETATIONS), "Choose normal, high, low or abnormal.");
  const low = c.number("referenceLow", form.referenceLow, { what: "the lower limit of the normal range", example: "4" });
  const high = c.number("referenceHigh", form.referenceHigh, { what: "the upper limit of the normal range", example: "5.6" });
  if (low !== undefined && high !== undefined && low > high)
    c.fail("referenceHigh", "The upper limit of the normal range is below the lower limit.");
  if ((low !== undefined || high !== undefined) && value === undefined)
    c.fail("referenceLow", "A normal range goes with a numeric result: enter the result as a number, or clear the range.");
  const status =
    c.choice("status", form.status, keysOf(LAB_STATUSES), "Choose whether the result is final, preliminary or corrected.") ?? "final";
  const performer = c.party("performer", form.performer, "the laboratory");
  const note = c.text("note", form.note);
  const patient = c.patient(form.patient);
  const meaning = INTERPRETATIONS.find((i) => i.key === interpretation);
  return c.resource<Observation>("Observation", () => ({
    status,
    category: [coded(OBSERVATION_CATEGORY, "laboratory", "Laboratory")],
    code: concept(test!, LOINC, loinc),
    subject: patient!,
    effectiveDateTime: effective!,
    performer: performer ? [performer] : undefined,
    valueQuantity: value === undefined ? undefined : quantity(value, unit),
    valueString: valueText,
    interpretation: meaning ? [{ ...coded(OBSERVATION_INTERPRETATION, meaning.code, meaning.display), text: meaning.label }] : undefined,
    referenceRange:
      low !== undefined || high !== undefined
        ? [
            compact({
              low: low === undefined ? undefined : quantity(low, unit),
              high: high === undefined ? undefined : quantity(high, unit),
            }),
          ]
        : undefined,
    note: notes(note),
  }));
}
