import { CONDITION_STATUSES, keysOf, type ConditionStatus } from "../choices";
import { earliestInstant, instantOf, type DateInput } from "../dateChecks";
import { FieldChecks } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import type { PartyInput } from "../references";
import { CONDITION_CATEGORY, CONDITION_CLINICAL, SNOMED } from "../systems";
import type { Condition } from "../types";
import { coded, concept, notes } from "./elements";

/** A problem or diagnosis as a form collects it. */
export interface ConditionForm {
  /** The condition in the person's words ("Asthma"). */
  name: string;
  /** SNOMED CT concept id, when the form offers one (e.g. from a picker). */
  snomedCode?: string;
  /** When it started (a full or partial date: "2019", "2019-04", "2019-04-02"). */
  onsetDate: DateInput;
  clinicalStatus: ConditionStatus;
  /** When it went away (only for a resolved condition). */
  resolvedDate?: DateInput;
  note?: string;
  /** Whom the record is about. */
  patient: PartyInput;
  /** Who records it (the patient, or a clinician). */
  recorder?: PartyInput;
}

/** Builds a FHIR R4 Condition (problem-list item) from a form, or says what to fix. */
export function buildCondition(form: ConditionForm, options?: BuildOptions): BuildResult<Condition> {
  const c = new FieldChecks(options);
  const name = c.text("name", form.name, "Enter the name of the condition, for example Asthma.", 200);
  const snomed = c.code("snomedCode", form.snomedCode, "snomed");
  const onset = c.pastTime("onsetDate", form.onsetDate, "the date the condition started", "Enter the date the condition started.");
  const status = c.choice(
    "clinicalStatus",
    form.clinicalStatus,
    keysOf(CONDITION_STATUSES),
    "Choose whether you still have this condition.",
    true,
  );
  const resolved = c.pastTime("resolvedDate", form.resolvedDate, "the date the condition went away");
  if (resolved !== undefined && status === "active")
    c.fail("resolvedDate", "A condition you still have has no end date: clear the end date, or mark it as gone away.");
  if (resolved !== undefined && onset !== undefined && earliestInstant(resolved) < earliestInstant(onset))
    c.fail("resolvedDate", "The date the condition went away is before the date it started.");
  const note = c.text("note", form.note);
  const patient = c.patient(form.patient);
  const recorder = c.party("recorder", form.recorder, "the person recording it");
  return c.resource<Condition>("Condition", () => ({
    clinicalStatus: coded(CONDITION_CLINICAL, status!, status === "active" ? "Active" : "Resolved"),
    category: [coded(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")],
    code: concept(name!, SNOMED, snomed),
    subject: patient!,
    onsetDateTime: onset!,
    abatementDateTime: resolved,
    recordedDate: instantOf(c.now),
    recorder,
    note: notes(note),
  }));
}
