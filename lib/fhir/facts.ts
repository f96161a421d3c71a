/**
 * What a clinician reads on a FHIR R4 resource, pulled out as label → text pairs for a clinical card. Pure: no DOM,
 * so the mapping is tested without a browser (test/web/fhirFacts.test.ts, test/lib/fhir/).
 */
import { conceptText, fhirDate, first, humanName, quantityText, rangeText, referenceDisplay, str } from "./read";
import type { FhirResource } from "./resource";

/** One fact on a clinical card. */
export type Fact = readonly [label: string, value: string];

/** An Observation's value in any of the value[x] forms this app meets. */
export function observationValue(r: Record<string, unknown>): string | undefined {
  return (
    quantityText(r.valueQuantity) ??
    str(r.valueString) ??
    conceptText(r.valueCodeableConcept) ??
    str(r.valueBoolean) ??
    str(r.valueInteger) ??
    (Array.isArray(r.component)
      ? (r.component as Array<Record<string, unknown>>)
          .map((c) => {
            const value = quantityText(c.valueQuantity) ?? str(c.valueString) ?? conceptText(c.valueCodeableConcept);
            return value === undefined ? undefined : `${conceptText(c.code) ?? "?"}: ${value}`;
          })
          .filter(Boolean)
          .join("; ") || undefined
      : undefined)
  );
}

/** The medicine a medication resource is about: its coded concept, else the display of its Medication reference. */
export function medicationName(r: FhirResource): string | undefined {
  return conceptText(r.medicationCodeableConcept) ?? referenceDisplay(r.medicationReference);
}

/** The dose of a medication resource: the first dosage's dose quantity, else its text. */
export function doseText(r: FhirResource): string | undefined {
  const dosage = first<Record<string, unknown>>(r.dosage) ?? first<Record<string, unknown>>(r.dosageInstruction);
  if (!dosage) return undefined;
  const rate = first<Record<string, unknown>>(dosage.doseAndRate);
  return quantityText(rate?.doseQuantity) ?? str(dosage.text);
}

/** The headline of a card: what the resource is about ("Asthma", "Penicillin", "HbA1c"). */
export function headlineOf(r: FhirResource): string | undefined {
  switch (r.resourceType) {
    case "Condition":
    case "AllergyIntolerance":
    case "Observation":
    case "DiagnosticReport":
    case "Procedure":
      return conceptText(r.code);
    case "MedicationStatement":
    case "MedicationRequest":
    case "MedicationDispense":
    case "MedicationAdministration":
      return medicationName(r);
    case "Medication":
      return conceptText(r.code);
    case "Immunization":
      return conceptText(r.vaccineCode);
    case "Patient":
    case "Practitioner":
    case "RelatedPerson":
      return humanName(first(r.name));
    case "Organization":
    case "Location":
    case "HealthcareService":
      return str(r.name);
    case "Composition":
      return str(r.title);
    case "DocumentReference":
      return str(r.description) ?? str(first<{ attachment?: { title?: string } }>(r.content)?.attachment?.title) ?? conceptText(r.type);
    case "DetectedIssue":
      return conceptText(r.code) ?? str(r.detail);
    default:
      return undefined;
  }
}

/** The facts worth showing for each FHIR resource type, in reading order; empty values are left out. */
export function factsOf(r: FhirResource): Fact[] {
  const facts: Array<[string, string | undefined]> = (() => {
    switch (r.resourceType) {
      case "Condition":
        return [
          ["Condition", conceptText(r.code)],
          ["Clinical status", conceptText(r.clinicalStatus)],
          ["Severity", conceptText(r.severity)],
          ["Onset", fhirDate(r.onsetDateTime) ?? str(r.onsetString)],
          ["Resolved", fhirDate(r.abatementDateTime) ?? str(r.abatementString)],
          ["Recorded", fhirDate(r.recordedDate)],
        ];
      case "AllergyIntolerance": {
        const reaction = first<{ manifestation?: unknown[]; severity?: string }>(r.reaction);
        return [
          ["Allergy", conceptText(r.code)],
          ["Criticality", str(r.criticality)],
          ["Reaction", conceptText(first(reaction?.manifestation))],
          ["Severity", str(reaction?.severity)],
          ["Clinical status", conceptText(r.clinicalStatus)],
        ];
      }
      case "MedicationStatement":
      case "MedicationRequest":
        return [
          ["Medication", headlineOf(r)],
          ["Status", str(r.status)],
          ["Dosage", first<{ text?: string }>(r.dosage)?.text ?? first<{ text?: string }>(r.dosageInstruction)?.text],
          [
            "Since",
            fhirDate((r.effectivePeriod as { start?: string } | undefined)?.start) ??
              fhirDate(r.effectiveDateTime) ??
              fhirDate(r.authoredOn),
          ],
          ["Prescriber", referenceDisplay(r.requester)],
        ];
      case "MedicationDispense":
        return [
          ["Medication", headlineOf(r)],
          ["Status", str(r.status)],
          ["Quantity", quantityText(r.quantity)],
          ["Handed over", fhirDate(r.whenHandedOver)],
          ["Pharmacy", referenceDisplay(first<{ actor?: unknown }>(r.performer)?.actor)],
        ];
      case "Observation":
        return [
          ["Observation", conceptText(r.code)],
          ["Value", observationValue(r)],
          ["Reference range", rangeText(first(r.referenceRange))],
          ["Interpretation", conceptText(first(r.interpretation))],
          ["Status", str(r.status)],
          ["Effective", fhirDate(r.effectiveDateTime)],
        ];
      case "Immunization":
        return [
          ["Vaccine", conceptText(r.vaccineCode)],
          ["Date", fhirDate(r.occurrenceDateTime)],
          ["Status", str(r.status)],
        ];
      case "DiagnosticReport":
        return [
          ["Report", conceptText(r.code)],
          ["Conclusion", str(r.conclusion)],
          ["Status", str(r.status)],
          ["Issued", fhirDate(r.issued) ?? fhirDate(r.effectiveDateTime)],
        ];
      case "Procedure":
        return [
          ["Procedure", conceptText(r.code)],
          ["Status", str(r.status)],
          ["Performed", fhirDate(r.performedDateTime)],
        ];
      case "Patient":
        return [
          ["Name", humanName(first(r.name))],
          ["Born", str(r.birthDate)],
          ["Gender", str(r.gender)],
        ];
      case "Composition":
        return [
          ["Document", str(r.title)],
          ["Date", fhirDate(r.date)],
          ["Status", str(r.status)],
          [
            "Sections",
            Array.isArray(r.section)
              ? (r.section as Array<{ title?: string }>)
                  .map((s) => s.title)
                  .filter(Boolean)
                  .join(", ")
              : undefined,
          ],
        ];
      case "DocumentReference": {
        const attachment = first<{ attachment?: { contentType?: string } }>(r.content)?.attachment;
        return [
          ["Document", headlineOf(r)],
          ["Kind", conceptText(r.type)],
          ["Date", fhirDate((r.context as { period?: { start?: string } } | undefined)?.period?.start) ?? fhirDate(r.date)],
          ["File type", str(attachment?.contentType)],
        ];
      }
      case "DetectedIssue":
        return [
          ["Issue", conceptText(r.code)],
          ["Severity", str(r.severity)],
          ["Detail", str(r.detail)],
          ["Override reason", conceptText(first<{ action?: unknown }>(r.mitigation)?.action)],
        ];
      default:
        return [["Resource", r.resourceType]];
    }
  })();
  return facts.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== "");
}
