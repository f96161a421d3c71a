import { categoryLabel } from "../../../lib/consent/codes";

interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
interface CodeableConcept {
  text?: string;
  coding?: Coding[];
}
type Resource = Record<string, unknown> & { resourceType?: string };

function conceptText(c: unknown): string | undefined {
  const concept = c as CodeableConcept | undefined;
  return concept?.text ?? concept?.coding?.find((x) => x.display)?.display ?? concept?.coding?.[0]?.code;
}

function quantity(q: unknown): string | undefined {
  const v = q as { value?: number; unit?: string } | undefined;
  return v?.value === undefined ? undefined : `${v.value}${v.unit ? " " + v.unit : ""}`;
}

/** The facts worth showing for each FHIR resource type, as label → text. */
function facts(r: Resource): Array<[string, string | undefined]> {
  switch (r.resourceType) {
    case "Condition":
      return [
        ["Condition", conceptText(r.code)],
        ["Clinical status", conceptText(r.clinicalStatus)],
        ["Onset", r.onsetDateTime as string | undefined],
        ["Recorded", r.recordedDate as string | undefined],
      ];
    case "AllergyIntolerance":
      return [
        ["Allergy", conceptText(r.code)],
        ["Criticality", r.criticality as string | undefined],
        ["Reaction", conceptText((r.reaction as Array<{ manifestation?: unknown[] }> | undefined)?.[0]?.manifestation?.[0])],
      ];
    case "MedicationStatement":
    case "MedicationRequest":
      return [
        ["Medication", conceptText(r.medicationCodeableConcept)],
        ["Status", r.status as string | undefined],
        [
          "Dosage",
          (r.dosage as Array<{ text?: string }> | undefined)?.[0]?.text ??
            (r.dosageInstruction as Array<{ text?: string }> | undefined)?.[0]?.text,
        ],
      ];
    case "Observation":
      return [
        ["Observation", conceptText(r.code)],
        ["Value", quantity(r.valueQuantity) ?? (r.valueString as string | undefined) ?? conceptText(r.valueCodeableConcept)],
        ["Interpretation", conceptText((r.interpretation as unknown[] | undefined)?.[0])],
        ["Effective", r.effectiveDateTime as string | undefined],
      ];
    case "Immunization":
      return [
        ["Vaccine", conceptText(r.vaccineCode)],
        ["Date", r.occurrenceDateTime as string | undefined],
        ["Status", r.status as string | undefined],
      ];
    case "DiagnosticReport":
      return [
        ["Report", conceptText(r.code)],
        ["Conclusion", r.conclusion as string | undefined],
        ["Issued", r.issued as string | undefined],
      ];
    case "Patient": {
      const name = (r.name as Array<{ given?: string[]; family?: string }> | undefined)?.[0];
      return [
        ["Name", name ? [...(name.given ?? []), name.family].filter(Boolean).join(" ") : undefined],
        ["Born", r.birthDate as string | undefined],
        ["Gender", r.gender as string | undefined],
      ];
    }
    default:
      return [["Resource", r.resourceType]];
  }
}

/** A decrypted record as a readable clinical card (FHIR R4 JSON), or a plain note for other content. */
export function RecordCard({ plaintext, category }: { plaintext: Uint8Array; category: number }) {
  let resource: Resource | undefined;
  try {
    resource = JSON.parse(new TextDecoder().decode(plaintext)) as Resource;
  } catch {
    resource = undefined;
  }
  if (resource === undefined || typeof resource.resourceType !== "string") {
    return (
      <article className="card" data-testid="record-card">
        <h4>{categoryLabel(category)}</h4>
        <p>{plaintext.byteLength} bytes of non-FHIR content (decrypted in this browser).</p>
      </article>
    );
  }
  return (
    <article className="card" data-testid="record-card">
      <h4>
        {resource.resourceType} <span className="muted">· {categoryLabel(category)}</span>
      </h4>
      <dl>
        {facts(resource)
          .filter(([, v]) => v !== undefined && v !== "")
          .map(([label, value]) => (
            <div key={label} className="fact">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </article>
  );
}
