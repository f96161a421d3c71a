/**
 * What a clinician reads on a FHIR R4 resource, pulled out as label → text pairs. Pure: no DOM, so the mapping
 * is tested without a browser (test/web/fhirFacts.test.ts).
 */

interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
interface CodeableConcept {
  text?: string;
  coding?: Coding[];
}
interface Quantity {
  value?: number;
  unit?: string;
  code?: string;
}

/** A FHIR resource as parsed JSON. */
export type FhirResource = Record<string, unknown> & { resourceType: string };

/** One fact on a clinical card. */
export type Fact = readonly [label: string, value: string];

/** The readable text of a CodeableConcept: its text, else the first display, else the first code. */
export function conceptText(c: unknown): string | undefined {
  const concept = c as CodeableConcept | undefined;
  if (concept === undefined || concept === null || typeof concept !== "object") return undefined;
  return concept.text ?? concept.coding?.find((x) => x.display)?.display ?? concept.coding?.[0]?.code;
}

/** "7.2 mmol/L": a Quantity's value and unit (UCUM code when there is no unit text). */
export function quantityText(q: unknown): string | undefined {
  const v = q as Quantity | undefined;
  if (v === undefined || v === null || typeof v.value !== "number") return undefined;
  const unit = v.unit ?? v.code;
  return unit ? `${v.value} ${unit}` : String(v.value);
}

function rangeText(r: unknown): string | undefined {
  const range = r as { low?: Quantity; high?: Quantity; text?: string } | undefined;
  if (range === undefined) return undefined;
  if (range.text) return range.text;
  const low = quantityText(range.low);
  const high = quantityText(range.high);
  if (low && high) return `${low} – ${high}`;
  if (low) return `≥ ${low}`;
  if (high) return `≤ ${high}`;
  return undefined;
}

/**
 * A FHIR date or dateTime for people, without depending on the reader's locale: dates stay "2019-04-02",
 * date-times become "2026-01-20 08:30 UTC". Anything else is returned as given.
 */
export function fhirDate(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return v;
  const t = new Date(v);
  if (Number.isNaN(t.getTime())) return v;
  return t.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function str(v: unknown): string | undefined {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

function first<T>(v: unknown): T | undefined {
  return Array.isArray(v) ? (v[0] as T) : undefined;
}

/** An Observation's value in any of the value[x] forms this app meets. */
function observationValue(r: Record<string, unknown>): string | undefined {
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

function humanName(n: unknown): string | undefined {
  const name = n as { text?: string; given?: string[]; family?: string } | undefined;
  if (name === undefined) return undefined;
  return name.text ?? ([...(name.given ?? []), name.family].filter(Boolean).join(" ") || undefined);
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
      return conceptText(r.medicationCodeableConcept) ?? str((r.medicationReference as { display?: string } | undefined)?.display);
    case "Immunization":
      return conceptText(r.vaccineCode);
    case "Patient":
      return humanName(first(r.name));
    case "Composition":
      return str(r.title);
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
      default:
        return [["Resource", r.resourceType]];
    }
  })();
  return facts.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== "");
}

/** Whether a parsed JSON value is a FHIR resource (an object with a string resourceType). */
export function isFhirResource(v: unknown): v is FhirResource {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { resourceType?: unknown }).resourceType === "string";
}

/** The resources to show for a parsed FHIR document: a Bundle's entries (in order), or the one resource itself. */
export function resourcesOf(resource: FhirResource): FhirResource[] {
  if (resource.resourceType !== "Bundle") return [resource];
  const entries = Array.isArray(resource.entry) ? (resource.entry as Array<{ resource?: unknown }>) : [];
  return entries.map((e) => e.resource).filter(isFhirResource);
}
