/**
 * FHIR R4 for people who do not type FHIR: form builders with plain-language errors, record categories, import of
 * other portals' exports, timeline descriptions and search, and the International Patient Summary with its triage
 * view. Isomorphic (no Node or DOM imports).
 */

// Reading any resource
export type { FhirResource } from "./resource";
export { isFhirResource, resourcesOf, resourceBytes } from "./resource";
export { conceptText, quantityText, fhirDate, humanName } from "./read";
export type { Fact } from "./facts";
export { factsOf, headlineOf } from "./facts";
export type { ResourceDescription } from "./describe";
export { describeResource, patientName } from "./describe";
export { categoryOf, DEFAULT_CATEGORY } from "./category";

// Forms → resources
export type { FieldError, BuildResult, BuildOptions } from "./formResult";
export { FhirFormError, unwrap } from "./formResult";
export type { DateInput } from "./dateChecks";
export type { NumberInput } from "./formChecks";
export type { PartyInput, ReferenceInput } from "./references";
export { newResourceId } from "./ids";
export { codeProblem, type CodeKind } from "./codeChecks";
export * from "./choices";
export { buildCondition, type ConditionForm } from "./build/condition";
export { buildAllergyIntolerance, type AllergyForm } from "./build/allergyIntolerance";
export { buildMedicationStatement, type MedicationStatementForm } from "./build/medicationStatement";
export { buildMedicationRequest, type MedicationRequestForm } from "./build/medicationRequest";
export { buildMedicationDispense, dispenseFormFrom, type MedicationDispenseForm } from "./build/medicationDispense";
export { buildLabResult, type LabResultForm } from "./build/observation";
export { buildImmunization, type ImmunizationForm } from "./build/immunization";
export { buildDocumentReference, bytesToBase64, type DocumentForm } from "./build/documentReference";
export { buildDetectedIssue, type DetectedIssueForm } from "./build/detectedIssue";
export { buildPatient, type PatientForm } from "./build/patient";
export type * from "./types";

// Import, timeline, emergency summary
export { importFhir, type ImportResult, type ImportedRecord, type ImportProblem } from "./importFhir";
export { filterTimeline, newestFirst, authorsOf, checkTimelineFilter, type TimelineItem, type TimelineFilter } from "./search";
export { buildPatientSummary, type PatientSummaryInput } from "./patientSummary";
export { triageSummary, type TriageSummary, type TriageAllergy, type TriageItem, type SectionState } from "./triage";
