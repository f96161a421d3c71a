import { ADDRESS_SYSTEM } from "../../audit/fhirCodes";
import { DISPENSE_STATUSES, keysOf, type DispenseStatus } from "../choices";
import type { DateInput } from "../dateChecks";
import { medicationName } from "../facts";
import { compact, FieldChecks, type NumberInput } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import { codeIn, first, referenceDisplay, str } from "../read";
import type { PartyInput, ReferenceInput } from "../references";
import type { FhirResource } from "../resource";
import { RXNORM, UCUM } from "../systems";
import type { MedicationDispense, Reference } from "../types";
import { concept, notes, quantity } from "./elements";

/** A pharmacy's record that it handed a prescription over, as its form collects it. */
export interface MedicationDispenseForm {
  drug: string;
  rxnormCode?: string;
  /** The prescription filled: `MedicationRequest/<id>`. */
  authorizingPrescription: ReferenceInput;
  quantity: NumberInput;
  quantityUnit: string;
  daysSupply?: NumberInput;
  /** When the patient received it (required once completed). */
  whenHandedOver?: DateInput;
  /** The pharmacy. */
  performer: PartyInput;
  patient?: PartyInput;
  /** The directions on the label. */
  dosageText?: string;
  note?: string;
  status?: DispenseStatus;
}

/** Builds a FHIR R4 MedicationDispense from a pharmacy's form, or says what to fix. */
export function buildMedicationDispense(form: MedicationDispenseForm, options?: BuildOptions): BuildResult<MedicationDispense> {
  const c = new FieldChecks(options);
  const drug = c.text("drug", form.drug, "Enter the name of the medicine dispensed.", 200);
  const rxnorm = c.code("rxnormCode", form.rxnormCode, "rxnorm");
  const prescription = c.reference(
    "authorizingPrescription",
    form.authorizingPrescription,
    "The prescription",
    "Choose the prescription this dispense fills.",
  );
  if (prescription?.reference && !/^(MedicationRequest\/|urn:uuid:|https?:)/.test(prescription.reference))
    c.fail("authorizingPrescription", "The prescription must be a MedicationRequest record.");
  const amount = c.number("quantity", form.quantity, {
    missing: "Enter the quantity handed over, for example 21.",
    what: "the quantity",
    example: "21",
    min: 0,
    exclusive: true,
  });
  const amountUnit = c.text("quantityUnit", form.quantityUnit, "Say what the quantity counts, for example capsules.", 40);
  const days = c.number("daysSupply", form.daysSupply, { what: "the days of supply", example: "7", min: 1, max: 366, integer: true });
  const status =
    c.choice("status", form.status, keysOf(DISPENSE_STATUSES), "Choose whether the medicine was handed over or is being prepared.") ??
    "completed";
  const handedOver = c.pastTime(
    "whenHandedOver",
    form.whenHandedOver,
    "the time the medicine was handed over",
    status === "completed" ? "Enter when the medicine was handed over." : undefined,
  );
  const performer = c.party("performer", form.performer, "the pharmacy", "Name the pharmacy that dispensed it.");
  const patient = c.patient(form.patient, false);
  const dosageText = c.text("dosageText", form.dosageText, undefined, 500);
  const note = c.text("note", form.note);
  return c.resource<MedicationDispense>("MedicationDispense", () => ({
    status,
    medicationCodeableConcept: concept(drug!, RXNORM, rxnorm),
    subject: patient,
    performer: [{ actor: performer! }],
    authorizingPrescription: [prescription as Reference],
    quantity: quantity(amount!, amountUnit!),
    daysSupply: days === undefined ? undefined : { value: days, unit: "days", system: UCUM, code: "d" },
    whenHandedOver: handedOver,
    dosageInstruction: dosageText ? [{ text: dosageText }] : undefined,
    note: notes(note),
  }));
}

/**
 * A dispense form filled in from the prescription it fills (drug, code, quantity, directions, patient), for the
 * pharmacy to confirm. The pharmacy still names itself and the hand-over time.
 */
export function dispenseFormFrom(request: FhirResource): Partial<MedicationDispenseForm> {
  const dispense = request.dispenseRequest as
    { quantity?: { value?: number; unit?: string }; expectedSupplyDuration?: { value?: number } } | undefined;
  const subject = request.subject as { reference?: string; display?: string; identifier?: { system?: string; value?: string } } | undefined;
  return compact<Partial<MedicationDispenseForm>>({
    drug: medicationName(request),
    rxnormCode: codeIn(request.medicationCodeableConcept, RXNORM),
    authorizingPrescription: typeof request.id === "string" ? `MedicationRequest/${request.id}` : undefined,
    quantity: dispense?.quantity?.value,
    quantityUnit: str(dispense?.quantity?.unit),
    daysSupply: dispense?.expectedSupplyDuration?.value,
    dosageText: str(first<{ text?: string }>(request.dosageInstruction)?.text),
    patient: subject
      ? compact({
          reference: subject.reference,
          display: referenceDisplay(subject),
          address: subject.identifier?.system === ADDRESS_SYSTEM ? subject.identifier.value : undefined,
        })
      : undefined,
  });
}
