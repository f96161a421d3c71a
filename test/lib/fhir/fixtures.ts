import { expect } from "chai";
import type {
  AllergyForm,
  BuildResult,
  ConditionForm,
  DocumentForm,
  FieldError,
  LabResultForm,
  MedicationDispenseForm,
  MedicationRequestForm,
  MedicationStatementForm,
} from "../../../lib/fhir";
import { fhirSchemaErrors, missingRequiredElements } from "../../support/fhirSchema";

/** The clock every builder test runs at. */
export const NOW = new Date("2026-03-01T10:00:00Z");

/** Jane Doe, the demo patient (development account 1), as a form knows her. */
export const JANE = { display: "Jane Doe", address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" };
/** Dr. Alice Chen (account 2). */
export const DR_CHEN = { display: "Dr. Alice Chen", address: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc" };
/** Main Street Pharmacy (account 9). */
export const PHARMACY = { display: "Main Street Pharmacy", address: "0xa0ee7a142d267c1f36714e4a8f75612f20a79720" };

/** Jane's penicillin allergy as she enters it; suites that need another take it and change the fields they test. */
export const PENICILLIN: AllergyForm = {
  substance: "Penicillin",
  category: "medication",
  criticality: "high",
  reaction: "Anaphylaxis",
  reactionSeverity: "severe",
  patient: JANE,
};

/** Jane's asthma as Dr. Chen records it, SNOMED CT coded. */
export const ASTHMA: ConditionForm = {
  name: "Asthma",
  snomedCode: "195967001",
  onsetDate: "2019-04-02",
  clinicalStatus: "active",
  patient: JANE,
  recorder: DR_CHEN,
};

/** Jane's reliever inhaler, as she lists it herself. */
export const SALBUTAMOL: MedicationStatementForm = {
  drug: "Salbutamol inhaler",
  dose: "2 puffs when needed",
  status: "active",
  startDate: "2019-04",
  patient: JANE,
  informationSource: JANE,
};

/** Dr. Chen's amoxicillin course for Jane: 500 mg by mouth three times a day, 21 capsules. */
export const AMOXICILLIN: MedicationRequestForm = {
  drug: "Amoxicillin 500 mg capsule",
  rxnormCode: "308191",
  doseValue: 500,
  doseUnit: "mg",
  route: "oral",
  frequency: "three-times-daily",
  quantity: 21,
  quantityUnit: "capsule",
  requester: DR_CHEN,
  patient: JANE,
};

/** Main Street Pharmacy hands Jane that course: the prescription it fills, 21 capsules, the time she took them. */
export const AMOXICILLIN_DISPENSE: MedicationDispenseForm = {
  drug: "Amoxicillin 500 mg oral capsule",
  rxnormCode: "308191",
  authorizingPrescription: "MedicationRequest/rx-1",
  quantity: 21,
  quantityUnit: "capsule",
  whenHandedOver: "2026-03-01T09:15:00Z",
  performer: PHARMACY,
  patient: JANE,
};

/** Jane's HbA1c from Riverside Lab: LOINC coded, a little above its normal range. */
export const HBA1C: LabResultForm = {
  test: "HbA1c",
  loincCode: "4548-4",
  value: 6.1,
  unit: "%",
  referenceLow: 4,
  referenceHigh: 5.6,
  interpretation: "high",
  effectiveDate: "2026-01-20",
  performer: { display: "Riverside Lab" },
  patient: JANE,
};

/** Dr. Chen's discharge letter for Jane, a PDF described without its bytes; suites add the link or the file. */
export const DISCHARGE_LETTER: DocumentForm = {
  title: "Discharge letter",
  kind: "discharge-summary",
  contentType: "application/pdf",
  date: "2026-02-14",
  author: DR_CHEN,
  patient: JANE,
};

/** Asserts a resource (or document Bundle, entry by entry) is valid FHIR R4: HL7's JSON schema and R4's required elements. */
export function expectValidR4(resource: object): void {
  expect(fhirSchemaErrors(resource), "R4 schema").to.deep.equal([]);
  expect(missingRequiredElements(resource as Record<string, unknown>), "R4 required elements").to.deep.equal([]);
}

/** The resource of a successful build (fails the test with the errors otherwise). */
export function built<T>(result: BuildResult<T>): T {
  if (!result.ok) expect.fail(`expected the form to build, got ${JSON.stringify(result.errors)}`);
  return result.resource;
}

/** The resource of a successful build, asserted valid FHIR R4 first. */
export function builtValid<T extends object>(result: BuildResult<T>): T {
  const resource = built(result);
  expectValidR4(resource);
  return resource;
}

/** The errors of a failed build, by field. */
export function errorsOf<T>(result: BuildResult<T>): Record<string, string> {
  if (result.ok) expect.fail(`expected errors, but the form built ${JSON.stringify(result.resource)}`);
  return Object.fromEntries(result.errors.map((e: FieldError) => [e.field, e.message]));
}

/** Messages people read never leak a JavaScript error or parser text. */
export function expectPlainLanguage(messages: readonly string[]): void {
  for (const m of messages) {
    expect(m, m).to.match(/^[A-Z0-9“]/);
    expect(m, m).to.match(/[.!]$/);
    expect(m, m).not.to.match(/undefined|null|NaN|\[object|SyntaxError|Unexpected token|JSON\.parse|TypeError|at position/);
  }
}
