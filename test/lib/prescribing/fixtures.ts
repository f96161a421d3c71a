import {
  RXNORM_SYSTEM,
  SNOMED_SYSTEM,
  type Coverage,
  type FhirAllergyIntolerance,
  type FhirCondition,
  type FhirMedicationRequest,
  type FhirMedicationStatement,
  type MedicationResource,
  type VaultRecord,
} from "../../../lib/prescribing";

/** Synthetic FHIR resources for the interaction-check tests (never real people). */

/** Every category readable. */
export const ALL_GRANTED: Coverage = { medications: "granted", allergies: "granted", conditions: "granted" };

/** How a drug is written in a record: by RxNorm code only, or by name only. */
export type DrugSpelling = { rxcui: string; display?: string } | { text: string };

/** A MedicationRequest (draft unless another status is given) for a drug. */
export function request(drug: DrugSpelling, extra: Partial<FhirMedicationRequest> = {}): FhirMedicationRequest {
  return {
    resourceType: "MedicationRequest",
    status: "draft",
    intent: "order",
    subject: { reference: "Patient/jane" },
    medicationCodeableConcept:
      "rxcui" in drug
        ? { coding: [{ system: RXNORM_SYSTEM, code: drug.rxcui, ...(drug.display ? { display: drug.display } : {}) }] }
        : { text: drug.text },
    ...extra,
  };
}

/** A MedicationStatement (active) for a drug named in text. */
export function statement(text: string, extra: Partial<FhirMedicationStatement> = {}): FhirMedicationStatement {
  return {
    resourceType: "MedicationStatement",
    status: "active",
    medicationCodeableConcept: { text },
    subject: { reference: "Patient/jane" },
    ...extra,
  };
}

/** An AllergyIntolerance naming its substance in text, or by SNOMED CT code. */
export function allergy(
  substance: string | { snomed: string; display?: string },
  extra: Partial<FhirAllergyIntolerance> = {},
): FhirAllergyIntolerance {
  return {
    resourceType: "AllergyIntolerance",
    clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", code: "active" }] },
    code:
      typeof substance === "string"
        ? { text: substance }
        : { coding: [{ system: SNOMED_SYSTEM, code: substance.snomed, ...(substance.display ? { display: substance.display } : {}) }] },
    patient: { reference: "Patient/jane" },
    ...extra,
  };
}

/** An active Condition, coded (SNOMED CT or ICD-10-CM) or in text. */
export function condition(
  what: { snomed: string; display?: string } | { icd10: string } | { text: string },
  extra: Partial<FhirCondition> = {},
): FhirCondition {
  const code =
    "snomed" in what
      ? { coding: [{ system: SNOMED_SYSTEM, code: what.snomed, ...(what.display ? { display: what.display } : {}) }] }
      : "icd10" in what
        ? { coding: [{ system: "http://hl7.org/fhir/sid/icd-10-cm", code: what.icd10 }] }
        : { text: what.text };
  return {
    resourceType: "Condition",
    clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
    code,
    subject: { reference: "Patient/jane" },
    ...extra,
  };
}

/** Wraps a resource as a vault record. */
export function record<R>(resource: R, author?: string, resourceRef?: string): VaultRecord<R> {
  return { resource, ...(author ? { author } : {}), ...(resourceRef ? { resourceRef } : {}) };
}

/** A medication record for `check`'s `medications`. */
export function medRecord(resource: MedicationResource, author?: string, resourceRef?: string): VaultRecord<MedicationResource> {
  return record(resource, author, resourceRef);
}
