import { instantOf, type DateInput } from "../dateChecks";
import { FieldChecks } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import type { PartyInput } from "../references";
import { CVX, IMMUNIZATION_ORIGIN } from "../systems";
import type { Immunization } from "../types";
import { concept, notes } from "./elements";

/** A vaccination as a form collects it. */
export interface ImmunizationForm {
  /** The vaccine ("Influenza, seasonal"). */
  vaccine: string;
  /** CDC CVX code ("140"). */
  cvxCode?: string;
  /** When it was given. */
  date: DateInput;
  lotNumber?: string;
  /** Who gave it. */
  performer?: PartyInput;
  /** The patient reports it from memory or a card, not from the record of whoever gave it. */
  reportedByPatient?: boolean;
  note?: string;
  patient: PartyInput;
}

/** Builds a FHIR R4 Immunization (completed) from a form, or says what to fix. */
export function buildImmunization(form: ImmunizationForm, options?: BuildOptions): BuildResult<Immunization> {
  const c = new FieldChecks(options);
  const vaccine = c.text("vaccine", form.vaccine, "Enter the name of the vaccine, for example Influenza.", 200);
  const cvx = c.code("cvxCode", form.cvxCode, "cvx");
  const date = c.pastTime("date", form.date, "the date of the vaccination", "Enter the date of the vaccination.");
  const lot = c.text("lotNumber", form.lotNumber, undefined, 64);
  const performer = c.party("performer", form.performer, "the person who gave it");
  const note = c.text("note", form.note);
  const patient = c.patient(form.patient);
  const reported = form.reportedByPatient === true;
  return c.resource<Immunization>("Immunization", () => ({
    status: "completed",
    vaccineCode: concept(vaccine!, CVX, cvx),
    patient: patient!,
    occurrenceDateTime: date!,
    recorded: instantOf(c.now),
    primarySource: !reported,
    reportOrigin: reported
      ? {
          coding: [{ system: IMMUNIZATION_ORIGIN, code: "recall", display: "Parent/Guardian/Patient Recall" }],
          text: "Reported by the patient",
        }
      : undefined,
    lotNumber: lot,
    performer: performer ? [{ actor: performer }] : undefined,
    note: notes(note),
  }));
}
