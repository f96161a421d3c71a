import type { FhirCodeableConcept, FhirIdentifier, FhirReference } from "../audit/fhirTypes";

/**
 * The parts of FHIR R4 (https://hl7.org/fhir/R4/) the interaction check reads and writes, typed just enough to
 * keep it honest. Records come from other providers' clients, so every field the check reads is optional.
 */
export type { FhirCodeableConcept, FhirCoding, FhirIdentifier, FhirReference } from "../audit/fhirTypes";

/** A Medication resource (only as a `contained` resource of a request, statement or dispense). */
export interface FhirMedication {
  resourceType: "Medication";
  id?: string;
  code?: FhirCodeableConcept;
}

/** Fields shared by the three resources that say a patient takes, or is to take, a drug. */
interface MedicationResourceBase {
  id?: string;
  status?: string;
  medicationCodeableConcept?: FhirCodeableConcept;
  medicationReference?: FhirReference;
  contained?: { resourceType: string; id?: string; [field: string]: unknown }[];
  subject?: FhirReference;
}

/** FHIR R4 MedicationRequest (a prescription). */
export interface FhirMedicationRequest extends MedicationResourceBase {
  resourceType: "MedicationRequest";
  intent?: string;
  requester?: FhirReference;
  authoredOn?: string;
  detectedIssue?: FhirReference[];
  [field: string]: unknown;
}

/** FHIR R4 MedicationStatement (the patient takes, took or will take a drug). */
export interface FhirMedicationStatement extends MedicationResourceBase {
  resourceType: "MedicationStatement";
  informationSource?: FhirReference;
  [field: string]: unknown;
}

/** FHIR R4 MedicationDispense (a pharmacy supplied a drug). */
export interface FhirMedicationDispense extends MedicationResourceBase {
  resourceType: "MedicationDispense";
  performer?: { actor?: FhirReference }[];
  [field: string]: unknown;
}

/** Any resource that names a drug the patient takes or is to take. */
export type MedicationResource = FhirMedicationRequest | FhirMedicationStatement | FhirMedicationDispense;

/** FHIR R4 AllergyIntolerance. */
export interface FhirAllergyIntolerance {
  resourceType: "AllergyIntolerance";
  id?: string;
  clinicalStatus?: FhirCodeableConcept;
  verificationStatus?: FhirCodeableConcept;
  category?: string[];
  code?: FhirCodeableConcept;
  recorder?: FhirReference;
  asserter?: FhirReference;
  [field: string]: unknown;
}

/** FHIR R4 Condition (a problem or diagnosis). */
export interface FhirCondition {
  resourceType: "Condition";
  id?: string;
  clinicalStatus?: FhirCodeableConcept;
  verificationStatus?: FhirCodeableConcept;
  code?: FhirCodeableConcept;
  recorder?: FhirReference;
  asserter?: FhirReference;
  [field: string]: unknown;
}

/** FHIR R4 DetectedIssue: a clinical issue found with a proposed action, and how it was handled. */
export interface FhirDetectedIssue {
  resourceType: "DetectedIssue";
  id?: string;
  identifier?: FhirIdentifier[];
  status: "registered" | "preliminary" | "final" | "amended" | "corrected" | "cancelled" | "entered-in-error" | "unknown";
  code?: FhirCodeableConcept;
  severity?: "high" | "moderate" | "low";
  patient?: FhirReference;
  identifiedDateTime?: string;
  author?: FhirReference;
  implicated?: FhirReference[];
  detail?: string;
  reference?: string;
  mitigation?: { action: FhirCodeableConcept; date?: string; author?: FhirReference }[];
}

/** A record the prescriber's client decrypted from the patient's vault, with who recorded it (from the chain). */
export interface VaultRecord<R> {
  /** The decrypted FHIR resource. */
  resource: R;
  /** Who added the record (a provider's name, or "the patient"); shown next to a finding. */
  author?: string;
  /** How to refer to the record, e.g. `ipfs://<cid>` or `MedicationRequest/<id>`. */
  resourceRef?: string;
}

/** Code systems the check understands. */
export const RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm";
/** SNOMED CT. */
export const SNOMED_SYSTEM = "http://snomed.info/sct";
/** ICD-10 (WHO) and ICD-10-CM: both are read, by code prefix. */
export const ICD10_SYSTEMS: readonly string[] = ["http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm"];
