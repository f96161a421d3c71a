import {
  FREQUENCIES,
  keysOf,
  MEDICATION_REQUEST_STATUSES,
  ROUTES,
  type FrequencyKey,
  type MedicationRequestStatus,
  type RouteKey,
} from "../choices";
import { instantOf, type DateInput } from "../dateChecks";
import { compact, FieldChecks, type NumberInput } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import type { PartyInput, ReferenceInput } from "../references";
import { RXNORM, UCUM } from "../systems";
import type { MedicationRequest, Reference } from "../types";
import { dosageOf } from "./dosage";
import { concept, notes, quantity } from "./elements";

/** A prescription as the prescriber's form collects it (issue 17). */
export interface MedicationRequestForm {
  /** The drug by name ("Amoxicillin 500 mg capsule"). */
  drug: string;
  /** Its RxNorm concept id: required, the interaction check keys on it. */
  rxnormCode: string;
  doseValue: NumberInput;
  /** Unit of one dose: a key of `UNITS` ("mg", "tablet", "puff") or any text. */
  doseUnit: string;
  route: RouteKey;
  frequency: FrequencyKey;
  /** Take only when needed (in addition to, or instead of, a schedule). */
  asNeeded?: boolean;
  /** How much to dispense. */
  quantity: NumberInput;
  /** What the quantity counts ("capsule", "mL"). */
  quantityUnit: string;
  /** Repeat fills allowed after the first (0 when omitted). */
  refills?: NumberInput;
  /** Days the supply should last. */
  supplyDays?: NumberInput;
  /** What it is for ("Chest infection"). */
  reason?: string;
  /** Instructions for the patient ("Take with food"). */
  patientInstruction?: string;
  /** A note to the pharmacist. */
  note?: string;
  /** The prescriber. */
  requester: PartyInput;
  patient: PartyInput;
  /** DetectedIssue records of the interaction check this prescription went ahead despite. */
  detectedIssues?: readonly ReferenceInput[];
  status?: MedicationRequestStatus;
  /** When it was written (now when omitted). */
  authoredOn?: DateInput;
}

/** Builds a FHIR R4 MedicationRequest (intent: order) from a prescriber's form, or says what to fix. */
export function buildMedicationRequest(form: MedicationRequestForm, options?: BuildOptions): BuildResult<MedicationRequest> {
  const c = new FieldChecks(options);
  const drug = c.text("drug", form.drug, "Enter the drug’s name, for example Amoxicillin 500 mg capsule.", 200);
  const rxnorm = c.code("rxnormCode", form.rxnormCode, "rxnorm", "Enter the drug’s RxNorm code: the interaction check needs it.");
  const dose = c.number("doseValue", form.doseValue, {
    missing: "Enter the dose, for example 500.",
    what: "the dose",
    example: "500",
    min: 0,
    exclusive: true,
  });
  const doseUnit = c.text("doseUnit", form.doseUnit, "Choose the unit of the dose, for example mg or tablet.", 40);
  const route = c.choice("route", form.route, keysOf(ROUTES), "Choose how the drug is taken, for example by mouth.", true);
  const frequency = c.choice("frequency", form.frequency, keysOf(FREQUENCIES), "Choose how often the drug is taken.", true);
  const amount = c.number("quantity", form.quantity, {
    missing: "Enter how much to dispense, for example 21.",
    what: "the quantity",
    example: "21",
    min: 0,
    exclusive: true,
  });
  const amountUnit = c.text("quantityUnit", form.quantityUnit, "Say what the quantity counts, for example capsules or mL.", 40);
  const refills = c.number("refills", form.refills, { what: "the number of refills", example: "2", min: 0, max: 99, integer: true }) ?? 0;
  const supplyDays = c.number("supplyDays", form.supplyDays, { what: "the days of supply", example: "7", min: 1, max: 366, integer: true });
  const reason = c.text("reason", form.reason, undefined, 200);
  const instruction = c.text("patientInstruction", form.patientInstruction, undefined, 500);
  const note = c.text("note", form.note);
  const requester = c.party("requester", form.requester, "the prescriber", "Name the prescriber.");
  const patient = c.patient(form.patient, "Choose the patient this prescription is for.");
  const status =
    c.choice("status", form.status, keysOf(MEDICATION_REQUEST_STATUSES), "Choose whether the prescription is active or a draft.") ??
    "active";
  const authoredOn = c.pastTime("authoredOn", form.authoredOn, "the date of the prescription") ?? instantOf(c.now);
  const issues = (form.detectedIssues ?? [])
    .map((ref, i) =>
      c.reference(`detectedIssues.${i}`, ref, "An interaction finding", "An interaction finding is empty: remove it or link the record."),
    )
    .filter((r): r is Reference => r !== undefined);
  return c.resource<MedicationRequest>("MedicationRequest", () => ({
    status,
    intent: "order",
    medicationCodeableConcept: concept(drug!, RXNORM, rxnorm),
    subject: patient!,
    authoredOn,
    requester: requester!,
    reasonCode: reason ? [{ text: reason }] : undefined,
    dosageInstruction: [
      dosageOf({
        value: dose!,
        unit: doseUnit!,
        route: route!,
        frequency: frequency!,
        asNeeded: form.asNeeded === true,
        patientInstruction: instruction,
      }),
    ],
    dispenseRequest: compact({
      numberOfRepeatsAllowed: refills,
      quantity: quantity(amount!, amountUnit!),
      expectedSupplyDuration: supplyDays === undefined ? undefined : { value: supplyDays, unit: "days", system: UCUM, code: "d" },
    }),
    detectedIssue: issues.length > 0 ? issues : undefined,
    note: notes(note),
  }));
}
