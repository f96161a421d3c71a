/**
 * The choices the record forms offer, each with the label a person reads and the code FHIR stores. Forms render
 * these lists; builders accept only their keys.
 */

/** Clinical status of a problem. */
export const CONDITION_STATUSES = [
  { key: "active", label: "I still have it" },
  { key: "resolved", label: "It has gone away" },
] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number]["key"];

/** What an allergy is to. */
export const ALLERGY_CATEGORIES = [
  { key: "medication", label: "A medicine" },
  { key: "food", label: "A food" },
  { key: "environment", label: "Something in the environment (pollen, dust, latex, stings)" },
] as const;
export type AllergyCategory = (typeof ALLERGY_CATEGORIES)[number]["key"];

/** How dangerous a future reaction could be (FHIR AllergyIntolerance.criticality). */
export const CRITICALITIES = [
  { key: "high", label: "High risk: a reaction could be life-threatening" },
  { key: "low", label: "Low risk: reactions are unpleasant but not dangerous" },
  { key: "unable-to-assess", label: "Not sure" },
] as const;
export type Criticality = (typeof CRITICALITIES)[number]["key"];

/** How bad the reaction was. */
export const REACTION_SEVERITIES = [
  { key: "mild", label: "Mild" },
  { key: "moderate", label: "Moderate" },
  { key: "severe", label: "Severe" },
] as const;
export type ReactionSeverity = (typeof REACTION_SEVERITIES)[number]["key"];

/** Whether a person takes a medicine (FHIR MedicationStatement.status). */
export const MEDICATION_STATEMENT_STATUSES = [
  { key: "active", label: "I take it now" },
  { key: "intended", label: "I am about to start it" },
  { key: "on-hold", label: "I have paused it" },
  { key: "completed", label: "I finished the course" },
  { key: "stopped", label: "I stopped taking it" },
  { key: "not-taken", label: "It was prescribed but I do not take it" },
] as const;
export type MedicationStatementStatus = (typeof MEDICATION_STATEMENT_STATUSES)[number]["key"];

/** State of a prescription when it is written. */
export const MEDICATION_REQUEST_STATUSES = [
  { key: "active", label: "Active (ready to dispense)" },
  { key: "draft", label: "Draft (not yet signed)" },
] as const;
export type MedicationRequestStatus = (typeof MEDICATION_REQUEST_STATUSES)[number]["key"];

/** Routes of administration (SNOMED CT, from FHIR's route-codes value set). */
export const ROUTES = [
  { key: "oral", label: "By mouth", snomed: "26643006", display: "Oral route" },
  { key: "sublingual", label: "Under the tongue", snomed: "37839007", display: "Sublingual route" },
  { key: "inhaled", label: "Inhaled", snomed: "447694001", display: "Respiratory tract route" },
  { key: "nasal", label: "In the nose", snomed: "46713006", display: "Nasal route" },
  { key: "topical", label: "On the skin", snomed: "6064005", display: "Topical route" },
  { key: "transdermal", label: "Skin patch", snomed: "45890007", display: "Transdermal route" },
  { key: "eye", label: "In the eye", snomed: "54485002", display: "Ophthalmic route" },
  { key: "ear", label: "In the ear", snomed: "10547007", display: "Otic route" },
  { key: "subcutaneous", label: "Injection under the skin", snomed: "34206005", display: "Subcutaneous route" },
  { key: "intramuscular", label: "Injection into a muscle", snomed: "78421000", display: "Intramuscular route" },
  { key: "intravenous", label: "Into a vein", snomed: "47625008", display: "Intravenous route" },
  { key: "rectal", label: "Rectal", snomed: "37161004", display: "Rectal route" },
  { key: "vaginal", label: "Vaginal", snomed: "16857009", display: "Vaginal route" },
] as const;
export type RouteKey = (typeof ROUTES)[number]["key"];

/**
 * How often a dose is taken: FHIR Timing (frequency per period) plus the HL7 timing abbreviation where one exists.
 * "as-needed" has no schedule.
 */
export const FREQUENCIES = [
  { key: "once-daily", label: "once a day", code: "QD", frequency: 1, period: 1, periodUnit: "d" },
  { key: "twice-daily", label: "twice a day", code: "BID", frequency: 2, period: 1, periodUnit: "d" },
  { key: "three-times-daily", label: "three times a day", code: "TID", frequency: 3, period: 1, periodUnit: "d" },
  { key: "four-times-daily", label: "four times a day", code: "QID", frequency: 4, period: 1, periodUnit: "d" },
  { key: "every-4-hours", label: "every 4 hours", code: "Q4H", frequency: 1, period: 4, periodUnit: "h" },
  { key: "every-6-hours", label: "every 6 hours", code: "Q6H", frequency: 1, period: 6, periodUnit: "h" },
  { key: "every-8-hours", label: "every 8 hours", code: "Q8H", frequency: 1, period: 8, periodUnit: "h" },
  { key: "at-bedtime", label: "at bedtime", code: "BED", frequency: 1, period: 1, periodUnit: "d" },
  { key: "once-weekly", label: "once a week", code: "WK", frequency: 1, period: 1, periodUnit: "wk" },
  { key: "as-needed", label: "when needed", code: undefined, frequency: undefined, period: undefined, periodUnit: undefined },
] as const;
export type FrequencyKey = (typeof FREQUENCIES)[number]["key"];

/** Dose and quantity units with their UCUM code where UCUM has one (forms, e.g. tablets, are counted: no code). */
export const UNITS = [
  { key: "mg", label: "mg", ucum: "mg" },
  { key: "g", label: "g", ucum: "g" },
  { key: "mcg", label: "micrograms", ucum: "ug" },
  { key: "mL", label: "mL", ucum: "mL" },
  { key: "units", label: "units", ucum: "[iU]" },
  { key: "tablet", label: "tablet", ucum: undefined },
  { key: "capsule", label: "capsule", ucum: undefined },
  { key: "puff", label: "puff", ucum: undefined },
  { key: "drop", label: "drop", ucum: undefined },
  { key: "patch", label: "patch", ucum: undefined },
] as const;

/** Lab result interpretation (HL7 v3 ObservationInterpretation). */
export const INTERPRETATIONS = [
  { key: "normal", label: "Normal", code: "N", display: "Normal" },
  { key: "high", label: "High", code: "H", display: "High" },
  { key: "low", label: "Low", code: "L", display: "Low" },
  { key: "abnormal", label: "Abnormal", code: "A", display: "Abnormal" },
  { key: "critical-high", label: "Critically high", code: "HH", display: "Critical high" },
  { key: "critical-low", label: "Critically low", code: "LL", display: "Critical low" },
] as const;
export type InterpretationKey = (typeof INTERPRETATIONS)[number]["key"];

/** Whether a lab result is final. */
export const LAB_STATUSES = [
  { key: "final", label: "Final" },
  { key: "preliminary", label: "Preliminary" },
  { key: "amended", label: "Corrected" },
] as const;
export type LabStatus = (typeof LAB_STATUSES)[number]["key"];

/** Kinds of document, with their LOINC document type ("other" has none). */
export const DOCUMENT_KINDS = [
  { key: "note", label: "Clinical note", loinc: "11506-3", display: "Progress note" },
  { key: "discharge-summary", label: "Discharge summary", loinc: "18842-5", display: "Discharge summary" },
  { key: "lab-report", label: "Lab report", loinc: "11502-2", display: "Laboratory report" },
  { key: "imaging-report", label: "Imaging report or image", loinc: "18748-4", display: "Diagnostic imaging study" },
  { key: "referral", label: "Referral letter", loinc: "57133-1", display: "Referral note" },
  { key: "other", label: "Other document", loinc: undefined, display: undefined },
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]["key"];

/** State of a dispense. */
export const DISPENSE_STATUSES = [
  { key: "completed", label: "Handed over" },
  { key: "in-progress", label: "Being prepared" },
] as const;
export type DispenseStatus = (typeof DISPENSE_STATUSES)[number]["key"];

/** Kinds of problem an interaction check finds (HL7 v3 ActCode). */
export const ISSUE_KINDS = [
  { key: "drug-drug", label: "Drug interaction", code: "DRG", display: "Drug Interaction Alert" },
  { key: "drug-allergy", label: "Allergy to the drug", code: "ALGY", display: "Allergy Alert" },
  { key: "drug-condition", label: "Not advised with a condition", code: "COND", display: "Condition Alert" },
  { key: "duplicate-therapy", label: "Same kind of drug twice", code: "DUPTHPY", display: "Duplicate Therapy Alert" },
] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number]["key"];

/** How serious a finding is (FHIR DetectedIssue.severity). */
export const ISSUE_SEVERITIES = [
  { key: "high", label: "Severe" },
  { key: "moderate", label: "Moderate" },
  { key: "low", label: "Minor" },
] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number]["key"];

/** Why a prescriber goes ahead despite a finding (HL7 v3 ActCode detected-issue management codes). */
export const OVERRIDE_REASONS = [
  { key: "therapy-appropriate", label: "The benefit outweighs the risk", code: "1", display: "Therapy Appropriate" },
  { key: "assessed-patient", label: "I assessed the patient", code: "2", display: "Assessed Patient" },
  { key: "patient-explanation", label: "The patient explained it", code: "3", display: "Patient Explanation" },
  { key: "indication", label: "There is an appropriate indication", code: "22", display: "appropriate indication or diagnosis" },
  { key: "prior-therapy", label: "The patient took both before without harm", code: "23", display: "prior therapy documented" },
] as const;
export type OverrideKind = (typeof OVERRIDE_REASONS)[number]["key"];

/** Administrative gender (FHIR Patient.gender). */
export const GENDERS = [
  { key: "female", label: "Female" },
  { key: "male", label: "Male" },
  { key: "other", label: "Other" },
  { key: "unknown", label: "Prefer not to say" },
] as const;
export type Gender = (typeof GENDERS)[number]["key"];

/** The keys of a choice list, for checks. */
export function keysOf<T extends { key: string }>(list: readonly T[]): T["key"][] {
  return list.map((c) => c.key);
}
