import { tableOf } from "../data/tableOf";

/**
 * The choices the record forms offer, each with the label a person reads and the code FHIR stores. Forms render
 * these lists; builders accept only their keys.
 */

/** Clinical status of a problem. */
export const CONDITION_STATUSES = tableOf(
  ["key", "label"],
  [
    ["active", "I still have it"],
    ["resolved", "It has gone away"],
  ],
);
export type ConditionStatus = (typeof CONDITION_STATUSES)[number]["key"];

/** What an allergy is to. */
export const ALLERGY_CATEGORIES = tableOf(
  ["key", "label"],
  [
    ["medication", "A medicine"],
    ["food", "A food"],
    ["environment", "Something in the environment (pollen, dust, latex, stings)"],
  ],
);
export type AllergyCategory = (typeof ALLERGY_CATEGORIES)[number]["key"];

/** How dangerous a future reaction could be (FHIR AllergyIntolerance.criticality). */
export const CRITICALITIES = tableOf(
  ["key", "label"],
  [
    ["high", "High risk: a reaction could be life-threatening"],
    ["low", "Low risk: reactions are unpleasant but not dangerous"],
    ["unable-to-assess", "Not sure"],
  ],
);
export type Criticality = (typeof CRITICALITIES)[number]["key"];

/** How bad the reaction was. */
export const REACTION_SEVERITIES = tableOf(
  ["key", "label"],
  [
    ["mild", "Mild"],
    ["moderate", "Moderate"],
    ["severe", "Severe"],
  ],
);
export type ReactionSeverity = (typeof REACTION_SEVERITIES)[number]["key"];

/** Whether a person takes a medicine (FHIR MedicationStatement.status). */
export const MEDICATION_STATEMENT_STATUSES = tableOf(
  ["key", "label"],
  [
    ["active", "I take it now"],
    ["intended", "I am about to start it"],
    ["on-hold", "I have paused it"],
    ["completed", "I finished the course"],
    ["stopped", "I stopped taking it"],
    ["not-taken", "It was prescribed but I do not take it"],
  ],
);
export type MedicationStatementStatus = (typeof MEDICATION_STATEMENT_STATUSES)[number]["key"];

/** State of a prescription when it is written. */
export const MEDICATION_REQUEST_STATUSES = tableOf(
  ["key", "label"],
  [
    ["active", "Active (ready to dispense)"],
    ["draft", "Draft (not yet signed)"],
  ],
);
export type MedicationRequestStatus = (typeof MEDICATION_REQUEST_STATUSES)[number]["key"];

/** Routes of administration (SNOMED CT, from FHIR's route-codes value set). */
export const ROUTES = tableOf(
  ["key", "label", "snomed", "display"],
  [
    ["oral", "By mouth", "26643006", "Oral route"],
    ["sublingual", "Under the tongue", "37839007", "Sublingual route"],
    ["inhaled", "Inhaled", "447694001", "Respiratory tract route"],
    ["nasal", "In the nose", "46713006", "Nasal route"],
    ["topical", "On the skin", "6064005", "Topical route"],
    ["transdermal", "Skin patch", "45890007", "Transdermal route"],
    ["eye", "In the eye", "54485002", "Ophthalmic route"],
    ["ear", "In the ear", "10547007", "Otic route"],
    ["subcutaneous", "Injection under the skin", "34206005", "Subcutaneous route"],
    ["intramuscular", "Injection into a muscle", "78421000", "Intramuscular route"],
    ["intravenous", "Into a vein", "47625008", "Intravenous route"],
    ["rectal", "Rectal", "37161004", "Rectal route"],
    ["vaginal", "Vaginal", "16857009", "Vaginal route"],
  ],
);
export type RouteKey = (typeof ROUTES)[number]["key"];

/**
 * How often a dose is taken: FHIR Timing (frequency per period) plus the HL7 timing abbreviation where one exists.
 * "as-needed" has no schedule.
 */
export const FREQUENCIES = tableOf(
  ["key", "label", "code", "frequency", "period", "periodUnit"],
  [
    ["once-daily", "once a day", "QD", 1, 1, "d"],
    ["twice-daily", "twice a day", "BID", 2, 1, "d"],
    ["three-times-daily", "three times a day", "TID", 3, 1, "d"],
    ["four-times-daily", "four times a day", "QID", 4, 1, "d"],
    ["every-4-hours", "every 4 hours", "Q4H", 1, 4, "h"],
    ["every-6-hours", "every 6 hours", "Q6H", 1, 6, "h"],
    ["every-8-hours", "every 8 hours", "Q8H", 1, 8, "h"],
    ["at-bedtime", "at bedtime", "BED", 1, 1, "d"],
    ["once-weekly", "once a week", "WK", 1, 1, "wk"],
    ["as-needed", "when needed", undefined, undefined, undefined, undefined],
  ],
);
export type FrequencyKey = (typeof FREQUENCIES)[number]["key"];

/** Dose and quantity units with their UCUM code where UCUM has one (forms, e.g. tablets, are counted: no code). */
export const UNITS = tableOf(
  ["key", "label", "ucum"],
  [
    ["mg", "mg", "mg"],
    ["g", "g", "g"],
    ["mcg", "micrograms", "ug"],
    ["mL", "mL", "mL"],
    ["units", "units", "[iU]"],
    ["tablet", "tablet", undefined],
    ["capsule", "capsule", undefined],
    ["puff", "puff", undefined],
    ["drop", "drop", undefined],
    ["patch", "patch", undefined],
  ],
);

/** Lab result interpretation (HL7 v3 ObservationInterpretation). */
export const INTERPRETATIONS = tableOf(
  ["key", "label", "code", "display"],
  [
    ["normal", "Normal", "N", "Normal"],
    ["high", "High", "H", "High"],
    ["low", "Low", "L", "Low"],
    ["abnormal", "Abnormal", "A", "Abnormal"],
    ["critical-high", "Critically high", "HH", "Critical high"],
    ["critical-low", "Critically low", "LL", "Critical low"],
  ],
);
export type InterpretationKey = (typeof INTERPRETATIONS)[number]["key"];

/** Whether a lab result is final. */
export const LAB_STATUSES = tableOf(
  ["key", "label"],
  [
    ["final", "Final"],
    ["preliminary", "Preliminary"],
    ["amended", "Corrected"],
  ],
);
export type LabStatus = (typeof LAB_STATUSES)[number]["key"];

/** Kinds of document, with their LOINC document type ("other" has none). */
export const DOCUMENT_KINDS = tableOf(
  ["key", "label", "loinc", "display"],
  [
    ["note", "Clinical note", "11506-3", "Progress note"],
    ["discharge-summary", "Discharge summary", "18842-5", "Discharge summary"],
    ["lab-report", "Lab report", "11502-2", "Laboratory report"],
    ["imaging-report", "Imaging report or image", "18748-4", "Diagnostic imaging study"],
    ["referral", "Referral letter", "57133-1", "Referral note"],
    ["other", "Other document", undefined, undefined],
  ],
);
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]["key"];

/** State of a dispense. */
export const DISPENSE_STATUSES = tableOf(
  ["key", "label"],
  [
    ["completed", "Handed over"],
    ["in-progress", "Being prepared"],
  ],
);
export type DispenseStatus = (typeof DISPENSE_STATUSES)[number]["key"];

/** Kinds of problem an interaction check finds (HL7 v3 ActCode). */
export const ISSUE_KINDS = tableOf(
  ["key", "label", "code", "display"],
  [
    ["drug-drug", "Drug interaction", "DRG", "Drug Interaction Alert"],
    ["drug-allergy", "Allergy to the drug", "ALGY", "Allergy Alert"],
    ["drug-condition", "Not advised with a condition", "COND", "Condition Alert"],
    ["duplicate-therapy", "Same kind of drug twice", "DUPTHPY", "Duplicate Therapy Alert"],
  ],
);
export type IssueKind = (typeof ISSUE_KINDS)[number]["key"];

/** How serious a finding is (FHIR DetectedIssue.severity). */
export const ISSUE_SEVERITIES = tableOf(
  ["key", "label"],
  [
    ["high", "Severe"],
    ["moderate", "Moderate"],
    ["low", "Minor"],
  ],
);
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number]["key"];

/** Why a prescriber goes ahead despite a finding (HL7 v3 ActCode detected-issue management codes). */
export const OVERRIDE_REASONS = tableOf(
  ["key", "label", "code", "display"],
  [
    ["therapy-appropriate", "The benefit outweighs the risk", "1", "Therapy Appropriate"],
    ["assessed-patient", "I assessed the patient", "2", "Assessed Patient"],
    ["patient-explanation", "The patient explained it", "3", "Patient Explanation"],
    ["indication", "There is an appropriate indication", "22", "appropriate indication or diagnosis"],
    ["prior-therapy", "The patient took both before without harm", "23", "prior therapy documented"],
  ],
);
export type OverrideKind = (typeof OVERRIDE_REASONS)[number]["key"];

/** Administrative gender (FHIR Patient.gender). */
export const GENDERS = tableOf(
  ["key", "label"],
  [
    ["female", "Female"],
    ["male", "Male"],
    ["other", "Other"],
    ["unknown", "Prefer not to say"],
  ],
);
export type Gender = (typeof GENDERS)[number]["key"];

/** The keys of a choice list, for checks. */
export function keysOf<T extends { key: string }>(list: readonly T[]): T["key"][] {
  return list.map((c) => c.key);
}
