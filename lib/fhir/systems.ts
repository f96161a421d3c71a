/**
 * Code system URIs (FHIR R4 canonical spellings) used by the builders, the import and the patient summary. One
 * place, so a typo in a system URI cannot split one code into two.
 */
export const SNOMED = "http://snomed.info/sct";
/** RxNorm (US National Library of Medicine) concept ids (RXCUI). */
export const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
/** LOINC: lab tests, document and section codes. */
export const LOINC = "http://loinc.org";
/** CDC vaccine codes (CVX). */
export const CVX = "http://hl7.org/fhir/sid/cvx";
/** Unified Code for Units of Measure. */
export const UCUM = "http://unitsofmeasure.org";

export const CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
export const CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
export const ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
export const ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
export const OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
export const OBSERVATION_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
export const TIMING_ABBREVIATION = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation";
export const IMMUNIZATION_ORIGIN = "http://terminology.hl7.org/CodeSystem/immunization-origin";
/** HL7 v3 ActCode: DetectedIssue kinds (DRG, ALGY, COND, DUPTHPY) and mitigation actions. */
export const ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
export const LIST_EMPTY_REASON = "http://terminology.hl7.org/CodeSystem/list-empty-reason";
/** v2 table 0074 (diagnostic service sections: RAD, CT, LAB, …) used by DiagnosticReport.category. */
export const DIAGNOSTIC_SERVICE_SECTION = "http://terminology.hl7.org/CodeSystem/v2-0074";
/** Identifier system for a Bundle's identifier given as a URN. */
export const URN_IETF_RFC_3986 = "urn:ietf:rfc:3986";

/** LOINC codes of the International Patient Summary document and its three required sections. */
export const IPS = {
  document: { code: "60591-5", display: "Patient summary Document" },
  allergies: { code: "48765-2", display: "Allergies and adverse reactions Document" },
  problems: { code: "11450-4", display: "Problem list - Reported" },
  medications: { code: "10160-0", display: "History of Medication use Narrative" },
} as const;
