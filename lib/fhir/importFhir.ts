import type { Category } from "../consent/codes";
import { indexEntries, withBundleLinks } from "./bundleLinks";
import { categoryOf } from "./category";
import { describeResource, type ResourceDescription } from "./describe";
import { isFhirId, newResourceId } from "./ids";
import { parseFhirText } from "./parseFhirText";
import { isFhirResource, type FhirResource } from "./resource";

/** One entry of an imported file, ready to encrypt and add to the vault as its own record. */
export interface ImportedRecord {
  /** Where it was in the file (1 = first entry, line or element). */
  entry: number;
  /** The resource, made to stand alone (see `withBundleLinks`), with an id. */
  resource: FhirResource;
  category: Category;
  title: string;
  description: ResourceDescription;
}

/** An entry that was not imported (or a warning about the file), in words. */
export interface ImportProblem {
  entry?: number;
  resourceType?: string;
  message: string;
}

/** What an import found: the records to add and what it could not import. */
export interface ImportResult {
  records: ImportedRecord[];
  problems: ImportProblem[];
  /** What the file was: a Bundle (with its type), one resource, a JSON array of resources, or NDJSON lines. */
  shape?: "bundle" | "resource" | "list" | "ndjson";
  bundleType?: string;
}

/** Resource types that are someone's health information and become records. */
const IMPORTABLE = new Set([
  "Patient",
  "RelatedPerson",
  "Condition",
  "Procedure",
  "FamilyMemberHistory",
  "AllergyIntolerance",
  "MedicationStatement",
  "MedicationRequest",
  "MedicationDispense",
  "MedicationAdministration",
  "DetectedIssue",
  "Observation",
  "DiagnosticReport",
  "ImagingStudy",
  "Media",
  "Immunization",
  "ImmunizationRecommendation",
  "MolecularSequence",
  "DocumentReference",
  "Composition",
  "Bundle",
  "Encounter",
  "EpisodeOfCare",
  "CarePlan",
  "CareTeam",
  "Goal",
  "ClinicalImpression",
  "RiskAssessment",
  "ServiceRequest",
  "NutritionOrder",
  "DeviceUseStatement",
  "QuestionnaireResponse",
  "Flag",
]);

/** Types that describe who or what, not the patient's health: their names are kept on the records that cite them. */
const SUPPORTING = new Set([
  "Practitioner",
  "PractitionerRole",
  "Organization",
  "Location",
  "HealthcareService",
  "Device",
  "Medication",
  "Specimen",
  "Endpoint",
]);

function label(entry: number, r: FhirResource | undefined): string {
  if (!r) return `Entry ${entry}`;
  const title = describeResource(r).title;
  return `Entry ${entry} (${r.resourceType}${title.endsWith("(no name given)") ? "" : ` “${title}”`})`;
}

/**
 * Imports a FHIR file exported by another portal: a Bundle of any type (collection, document, searchset,
 * transaction, …), a single resource, a JSON array of resources or NDJSON. Each health-record entry becomes one
 * record with its category, title and description; everything else is reported in words. Never throws.
 */
export function importFhir(text: string): ImportResult {
  const file = parseFhirText(typeof text === "string" ? text : "");
  if (!file.ok) return { records: [], problems: [{ message: file.problem }] };
  const problems: ImportProblem[] = file.problems.map((message) => ({ message }));
  const index = indexEntries(file.entries);
  const seen = new Set<string>();
  const records: ImportedRecord[] = [];
  const patients = new Set<string>();
  for (const entry of file.entries) {
    const r = entry.resource;
    if (!isFhirResource(r)) {
      const message =
        r === undefined && entry.request
          ? `Entry ${entry.number} holds no record (it is an instruction, “${entry.request}”), so it was skipped.`
          : `Entry ${entry.number} holds no FHIR record, so it was skipped.`;
      problems.push({ entry: entry.number, message });
      continue;
    }
    const at = { entry: entry.number, resourceType: r.resourceType };
    if (SUPPORTING.has(r.resourceType)) {
      problems.push({
        ...at,
        message: `${label(entry.number, r)} describes a person, place or product, not your health, so it is not a record of its own; its name is kept on the records that mention it.`,
      });
      continue;
    }
    if (!IMPORTABLE.has(r.resourceType)) {
      problems.push({ ...at, message: `${label(entry.number, r)} is technical information, not a health record, so it was skipped.` });
      continue;
    }
    const key = typeof r.id === "string" ? `${r.resourceType}/${r.id}` : undefined;
    if (key !== undefined && seen.has(key)) {
      problems.push({ ...at, message: `${label(entry.number, r)} appears twice in the file; it was imported once.` });
      continue;
    }
    if (key !== undefined) seen.add(key);
    if (r.resourceType === "Patient") patients.add(key ?? String(entry.number));
    const resource = withBundleLinks(r, index);
    // A record must be addressable by others (a dispense cites its prescription): keep valid ids, mint missing ones.
    if (typeof resource.id !== "string" || !isFhirId(resource.id)) resource.id = newResourceId();
    const description = describeResource(resource);
    records.push({ entry: entry.number, resource, category: categoryOf(resource), title: description.title, description });
  }
  if (patients.size > 1)
    problems.push({
      message: "This file describes more than one person. Check that every record is yours before adding it to your vault.",
    });
  if (records.length === 0 && problems.length > 0) problems.push({ message: "Nothing in this file could be imported as a health record." });
  return { records, problems, shape: file.shape, bundleType: file.bundleType };
}
