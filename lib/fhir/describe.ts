import { doseText, headlineOf, medicationName, observationValue } from "./facts";
import { codeIn, conceptText, first, fhirDate, humanName, quantityText, rangeText, referenceDisplay, str } from "./read";
import { isFhirResource, resourcesOf, type FhirResource } from "./resource";
import { OBSERVATION_CATEGORY } from "./systems";

/** What a timeline line shows for a record. */
export interface ResourceDescription {
  /** What kind of record, in plain words ("Allergy", "Prescription", "Lab result"). */
  kind: string;
  /** What it says in a few words ("Asthma", "Amoxicillin — 500 mg", "HbA1c 6.1 %"). Never empty. */
  title: string;
  /** The clinically relevant date as the resource writes it (FHIR date or dateTime; sortable, show with `fhirDate`). */
  date?: string;
  /** Who wrote or asserted it, by display name (recorder, requester, performer, asserter, author). */
  author?: string;
  /** Secondary facts on one line ("Active · since 2019-04-02"). */
  summary?: string;
}

const KINDS: Record<string, string> = {
  Condition: "Condition",
  AllergyIntolerance: "Allergy",
  MedicationStatement: "Medication",
  MedicationRequest: "Prescription",
  MedicationDispense: "Dispensed medicine",
  MedicationAdministration: "Medicine given",
  Medication: "Medicine",
  DiagnosticReport: "Report",
  ImagingStudy: "Imaging study",
  Immunization: "Vaccination",
  DocumentReference: "Document",
  Patient: "Personal details",
  Procedure: "Procedure",
  DetectedIssue: "Prescribing alert",
  Encounter: "Visit",
  CarePlan: "Care plan",
  FamilyMemberHistory: "Family history",
};

function kindOf(r: FhirResource): string {
  if (r.resourceType === "Observation") {
    const categories = Array.isArray(r.category) ? r.category.map((c) => codeIn(c, OBSERVATION_CATEGORY)) : [];
    return categories.includes("laboratory") ? "Lab result" : categories.includes("vital-signs") ? "Measurement" : "Observation";
  }
  if (r.resourceType === "Composition" || r.resourceType === "Bundle")
    return r.resourceType === "Bundle" && r.type !== "document" ? "Collection" : "Document";
  const known = KINDS[r.resourceType];
  if (known) return known;
  // "CareTeam" → "Care team": unknown types still read as words.
  const words = r.resourceType.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function capitalized(s: string | undefined): string | undefined {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

function joined(parts: Array<string | undefined | false>): string | undefined {
  return parts.filter((p): p is string => typeof p === "string" && p !== "").join(" · ") || undefined;
}

function withDose(name: string | undefined, dose: string | undefined): string | undefined {
  if (!name) return undefined;
  return dose && !name.includes(dose) ? `${name} — ${dose}` : name;
}

function titleOf(r: FhirResource): string | undefined {
  switch (r.resourceType) {
    case "MedicationStatement":
    case "MedicationRequest":
    case "MedicationAdministration":
      return withDose(medicationName(r), doseText(r));
    case "MedicationDispense":
      return withDose(medicationName(r), quantityText(r.quantity));
    case "Observation": {
      const test = conceptText(r.code);
      const value = observationValue(r);
      return test && value ? `${test} ${value}` : (test ?? value);
    }
    case "Bundle": {
      const inner = resourcesOf(r);
      if (r.type === "document" && inner[0]?.resourceType === "Composition") return str(inner[0].title);
      return `${inner.length} record${inner.length === 1 ? "" : "s"}`;
    }
    default:
      return headlineOf(r);
  }
}

function dateOf(r: FhirResource): string | undefined {
  const period = (p: unknown) => str((p as { start?: unknown } | undefined)?.start);
  switch (r.resourceType) {
    case "Condition":
    case "AllergyIntolerance":
      return str(r.onsetDateTime) ?? period(r.onsetPeriod) ?? str(r.recordedDate);
    case "MedicationStatement":
      return str(r.effectiveDateTime) ?? period(r.effectivePeriod) ?? str(r.dateAsserted);
    case "MedicationRequest":
      return str(r.authoredOn);
    case "MedicationDispense":
      return str(r.whenHandedOver) ?? str(r.whenPrepared);
    case "MedicationAdministration":
      return str(r.effectiveDateTime) ?? period(r.effectivePeriod);
    case "Observation":
    case "DiagnosticReport":
      return str(r.effectiveDateTime) ?? period(r.effectivePeriod) ?? str(r.effectiveInstant) ?? str(r.issued);
    case "Immunization":
      return str(r.occurrenceDateTime) ?? str(r.recorded);
    case "Procedure":
      return str(r.performedDateTime) ?? period(r.performedPeriod);
    case "DocumentReference":
      return (
        period((r.context as { period?: unknown } | undefined)?.period) ??
        str(first<{ attachment?: { creation?: string } }>(r.content)?.attachment?.creation) ??
        str(r.date)
      );
    case "DetectedIssue":
      return str(r.identifiedDateTime) ?? period(r.identifiedPeriod);
    case "Composition":
      return str(r.date);
    case "Bundle":
      return str(r.timestamp);
    case "Encounter":
      return period(r.period);
    default:
      return undefined;
  }
}

function authorOf(r: FhirResource): string | undefined {
  const actor = (list: unknown) => referenceDisplay(first<{ actor?: unknown }>(list)?.actor);
  switch (r.resourceType) {
    case "Condition":
    case "AllergyIntolerance":
      return referenceDisplay(r.recorder) ?? referenceDisplay(r.asserter);
    case "MedicationStatement":
      return referenceDisplay(r.informationSource);
    case "MedicationRequest":
      return referenceDisplay(r.requester) ?? referenceDisplay(r.recorder);
    case "MedicationDispense":
    case "Immunization":
    case "Procedure":
    case "MedicationAdministration":
      return actor(r.performer) ?? referenceDisplay(r.recorder);
    case "Observation":
    case "DiagnosticReport":
      return referenceDisplay(first(r.performer)) ?? referenceDisplay(first(r.resultsInterpreter));
    case "DocumentReference":
    case "Composition":
      return referenceDisplay(first(r.author)) ?? referenceDisplay(r.authenticator);
    case "DetectedIssue":
      return referenceDisplay(r.author);
    case "Bundle": {
      const composition = resourcesOf(r)[0];
      return composition?.resourceType === "Composition" ? authorOf(composition) : undefined;
    }
    default:
      return undefined;
  }
}

const CRITICALITY_WORDS: Record<string, string> = { high: "High risk", low: "Low risk", "unable-to-assess": "Risk not assessed" };
const SEVERITY_WORDS: Record<string, string> = { high: "Severe", moderate: "Moderate", low: "Minor" };

function summaryOf(r: FhirResource): string | undefined {
  switch (r.resourceType) {
    case "Condition":
      return joined([
        capitalized(conceptText(r.clinicalStatus)),
        typeof r.onsetDateTime === "string" && `since ${fhirDate(r.onsetDateTime)}`,
        typeof r.abatementDateTime === "string" && `until ${fhirDate(r.abatementDateTime)}`,
      ]);
    case "AllergyIntolerance": {
      const reaction = first<{ manifestation?: unknown[]; severity?: string }>(r.reaction);
      const manifestation = conceptText(first(reaction?.manifestation));
      return joined([
        CRITICALITY_WORDS[str(r.criticality) ?? ""],
        manifestation && (reaction?.severity ? `${manifestation} (${reaction.severity})` : manifestation),
        Array.isArray(r.category) && r.category.filter((c) => typeof c === "string").join(", "),
      ]);
    }
    case "MedicationStatement":
    case "MedicationRequest": {
      const dosage = first<{ text?: string }>(r.dosage) ?? first<{ text?: string }>(r.dosageInstruction);
      const supply = r.dispenseRequest as { quantity?: unknown; numberOfRepeatsAllowed?: number } | undefined;
      const refills = supply?.numberOfRepeatsAllowed;
      return joined([
        capitalized(str(r.status)),
        str(dosage?.text),
        quantityText(supply?.quantity) && `quantity ${quantityText(supply?.quantity)}`,
        typeof refills === "number" && `${refills} refill${refills === 1 ? "" : "s"}`,
        conceptText(first(r.reasonCode)) && `for ${conceptText(first(r.reasonCode))}`,
      ]);
    }
    case "MedicationDispense":
      return joined([capitalized(str(r.status)), str(first<{ text?: string }>(r.dosageInstruction)?.text)]);
    case "Observation":
      return joined([
        conceptText(first(r.interpretation)),
        rangeText(first(r.referenceRange)) && `normal range ${rangeText(first(r.referenceRange))}`,
        r.status !== "final" && capitalized(str(r.status)),
      ]);
    case "Immunization":
      return joined([r.status !== "completed" && capitalized(str(r.status)), str(r.lotNumber) && `lot ${str(r.lotNumber)}`]);
    case "DocumentReference":
      return joined([conceptText(r.type), str(first<{ attachment?: { contentType?: string } }>(r.content)?.attachment?.contentType)]);
    case "DetectedIssue":
      return joined([
        SEVERITY_WORDS[str(r.severity) ?? ""],
        str(r.detail),
        conceptText(first<{ action?: unknown }>(r.mitigation)?.action) &&
          `overridden: ${conceptText(first<{ action?: unknown }>(r.mitigation)?.action)}`,
      ]);
    case "Patient":
      return joined([str(r.birthDate) && `born ${str(r.birthDate)}`, str(r.gender)]);
    case "Composition":
      return joined(Array.isArray(r.section) ? (r.section as Array<{ title?: unknown }>).map((s) => str(s.title)) : []);
    case "Bundle": {
      const composition = resourcesOf(r)[0];
      return composition?.resourceType === "Composition" ? summaryOf(composition) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * What a timeline shows for a FHIR resource: kind, title, date, author and a one-line summary. Total: any JSON
 * object with a resourceType gets a description, whatever system wrote it.
 */
export function describeResource(resource: FhirResource): ResourceDescription {
  if (!isFhirResource(resource)) return { kind: "Record", title: "Record" };
  const kind = kindOf(resource);
  const title = titleOf(resource) ?? `${kind} (no name given)`;
  const out: ResourceDescription = { kind, title };
  const date = dateOf(resource);
  const author = authorOf(resource);
  const summary = summaryOf(resource);
  if (date) out.date = date;
  if (author) out.author = author;
  if (summary) out.summary = summary;
  return out;
}

/** The name of the patient a Patient resource describes, for headers ("Jane Doe"). */
export function patientName(patient: FhirResource | undefined): string | undefined {
  return patient ? humanName(first(patient.name)) : undefined;
}
