import { keysOf, MEDICATION_STATEMENT_STATUSES, type MedicationStatementStatus } from "../choices";
import { earliestInstant, instantOf, type DateInput } from "../dateChecks";
import { compact, FieldChecks } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import type { PartyInput } from "../references";
import { RXNORM } from "../systems";
import type { MedicationStatement } from "../types";
import { concept, notes } from "./elements";

/** A medicine a person takes (or took), as a form collects it. */
export interface MedicationStatementForm {
  /** The medicine in the person's words ("Salbutamol inhaler 100 micrograms"). */
  drug: string;
  rxnormCode?: string;
  /** How it is taken, in words ("2 puffs when needed"). */
  dose?: string;
  status: MedicationStatementStatus;
  startDate?: DateInput;
  endDate?: DateInput;
  /** What it is for ("Asthma"). */
  reason?: string;
  note?: string;
  patient: PartyInput;
  /** Who says so (the patient, or a clinician). */
  informationSource?: PartyInput;
}

/** Builds a FHIR R4 MedicationStatement from a form, or says what to fix. */
export function buildMedicationStatement(form: MedicationStatementForm, options?: BuildOptions): BuildResult<MedicationStatement> {
  const c = new FieldChecks(options);
  const drug = c.text("drug", form.drug, "Enter the name of the medicine, for example Salbutamol inhaler.", 200);
  const rxnorm = c.code("rxnormCode", form.rxnormCode, "rxnorm");
  const dose = c.text("dose", form.dose, undefined, 500);
  const status = c.choice("status", form.status, keysOf(MEDICATION_STATEMENT_STATUSES), "Choose whether you take this medicine now.", true);
  const start = c.pastTime("startDate", form.startDate, "the date you started it");
  const end = c.date("endDate", form.endDate, { what: "the date you stopped it", time: true });
  if (start !== undefined && end !== undefined && earliestInstant(end) < earliestInstant(start))
    c.fail("endDate", "The date you stopped the medicine is before the date you started it.");
  const reason = c.text("reason", form.reason, undefined, 200);
  const note = c.text("note", form.note);
  const patient = c.patient(form.patient);
  const source = c.party("informationSource", form.informationSource, "the person recording it");
  return c.resource<MedicationStatement>("MedicationStatement", () => ({
    status: status!,
    medicationCodeableConcept: concept(drug!, RXNORM, rxnorm),
    subject: patient!,
    effectivePeriod: start || end ? compact({ start, end }) : undefined,
    dateAsserted: instantOf(c.now),
    informationSource: source,
    reasonCode: reason ? [{ text: reason }] : undefined,
    dosage: dose ? [{ text: dose }] : undefined,
    note: notes(note),
  }));
}
