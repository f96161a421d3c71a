import { CATEGORIES, type Category } from "../consent/codes";
import { DOCUMENT_KINDS } from "./choices";
import { codeIn } from "./read";
import type { FhirResource } from "./resource";
import { DIAGNOSTIC_SERVICE_SECTION, IPS, LOINC, OBSERVATION_CATEGORY } from "./systems";

function id(key: (typeof CATEGORIES)[number]["key"]): Category {
  return CATEGORIES.find((c) => c.key === key)!.id;
}

/** Where a record lands when its type says nothing more specific: documents and notes are the catch-all. */
export const DEFAULT_CATEGORY: Category = id("NOTES");

/** Resource types whose category follows from the type alone. */
const BY_TYPE: Record<string, Category> = {
  Patient: id("DEMOGRAPHICS"),
  RelatedPerson: id("DEMOGRAPHICS"),
  Condition: id("PROBLEMS"),
  // Past procedures and family history sit with the problem list, as clinicians read them together.
  Procedure: id("PROBLEMS"),
  FamilyMemberHistory: id("PROBLEMS"),
  AllergyIntolerance: id("ALLERGIES"),
  Medication: id("MEDICATIONS"),
  MedicationStatement: id("MEDICATIONS"),
  MedicationRequest: id("MEDICATIONS"),
  MedicationDispense: id("MEDICATIONS"),
  MedicationAdministration: id("MEDICATIONS"),
  // A prescribing check's finding belongs with the prescription it was recorded on.
  DetectedIssue: id("MEDICATIONS"),
  Specimen: id("LABS"),
  ImagingStudy: id("IMAGING"),
  Media: id("IMAGING"),
  Immunization: id("IMMUNIZATIONS"),
  ImmunizationRecommendation: id("IMMUNIZATIONS"),
  MolecularSequence: id("GENETIC"),
};

// v2-0074 diagnostic service sections that are imaging.
const IMAGING_SECTIONS = new Set(["RAD", "CT", "MR", "US", "NMR", "RX", "VUS", "XRC", "CUS", "NMS", "OUS", "CTH", "RUS"]);

function isIps(composition: FhirResource | undefined): boolean {
  return composition !== undefined && codeIn(composition.type, LOINC) === IPS.document.code;
}

function categoryCodes(r: FhirResource, system: string): string[] {
  const list = Array.isArray(r.category) ? r.category : [];
  return list.map((c) => codeIn(c, system)).filter((c): c is string => c !== undefined);
}

/**
 * The record category (`lib/consent/codes.ts`) a FHIR resource belongs to, which decides who may read it under a
 * grant. By type, refined where the resource says more:
 * - Observation: `imaging` category → IMAGING; every other observation (laboratory, vital signs, …) → LABS.
 * - DiagnosticReport: an imaging service section (v2-0074 RAD, CT, MR, US, …) or imaging LOINC type → IMAGING, else LABS.
 * - DocumentReference: by its LOINC type — lab report → LABS, imaging study → IMAGING, any other note → NOTES.
 * - Composition, or a document Bundle led by one: the International Patient Summary → EMERGENCY_SUMMARY, else NOTES.
 * - Anything else (Encounter, CarePlan, unknown types) → {@link DEFAULT_CATEGORY} (NOTES).
 * The sensitive categories (mental health, sexual and reproductive health, substance use, genetic) are never guessed
 * from codes: a wrong guess either hides a record from a treating doctor or exposes it, so the patient chooses them.
 */
export function categoryOf(r: FhirResource): Category {
  const byType = BY_TYPE[r.resourceType];
  if (byType !== undefined) return byType;
  switch (r.resourceType) {
    case "Observation":
      return categoryCodes(r, OBSERVATION_CATEGORY).includes("imaging") ? id("IMAGING") : id("LABS");
    case "DiagnosticReport": {
      const imaging =
        categoryCodes(r, DIAGNOSTIC_SERVICE_SECTION).some((c) => IMAGING_SECTIONS.has(c)) || codeIn(r.code, LOINC) === "18748-4";
      return imaging ? id("IMAGING") : id("LABS");
    }
    case "DocumentReference": {
      const loinc = codeIn(r.type, LOINC);
      const kind = DOCUMENT_KINDS.find((k) => k.loinc !== undefined && k.loinc === loinc)?.key;
      return kind === "lab-report" ? id("LABS") : kind === "imaging-report" ? id("IMAGING") : id("NOTES");
    }
    case "Composition":
      return isIps(r) ? id("EMERGENCY_SUMMARY") : id("NOTES");
    case "Bundle": {
      const firstEntry = Array.isArray(r.entry) ? (r.entry[0] as { resource?: FhirResource } | undefined)?.resource : undefined;
      return r.type === "document" && firstEntry?.resourceType === "Composition" ? categoryOf(firstEntry) : DEFAULT_CATEGORY;
    }
    default:
      return DEFAULT_CATEGORY;
  }
}
