import type { VaultRecord } from "../../../../../lib/client/gatewayClient";
import { buildPatientSummary, triageSummary, type BuildResult, type DocumentBundle, type FhirResource } from "../../../../../lib/fhir";
import type { RecordFace } from "../records/recordFaces";

/** The three lists of an emergency summary, in triage order. */
export const SUMMARY_SECTIONS = [
  { key: "allergies", title: "Allergies", types: ["AllergyIntolerance"] },
  { key: "problems", title: "Problems", types: ["Condition"] },
  { key: "medications", title: "Medications", types: ["MedicationStatement", "MedicationRequest"] },
] as const;

export type SummarySection = (typeof SUMMARY_SECTIONS)[number]["key"];

/** A record the patient may put in her emergency summary. */
export interface SummaryChoice {
  cid: string;
  section: SummarySection;
  title: string;
  resource: FhirResource;
  /** Still current (an active allergy or problem, a medicine she takes): ticked until she says otherwise. */
  current: boolean;
}

/**
 * The vault's allergies, problems and medications, decrypted, as choices for the emergency summary. Whether one is
 * current is triage's own rule (lib/fhir/triage.ts), so what is pre-ticked is what the ER view would list.
 */
export function summaryChoices(records: readonly VaultRecord[], faces: ReadonlyMap<string, RecordFace>): SummaryChoice[] {
  const out: SummaryChoice[] = [];
  for (const r of records) {
    const resource = faces.get(r.cid)?.resource;
    const section = SUMMARY_SECTIONS.find((s) => resource && (s.types as readonly string[]).includes(resource.resourceType));
    if (!resource || !section) continue;
    const triage = triageSummary(resource);
    out.push({
      cid: r.cid,
      section: section.key,
      title: faces.get(r.cid)!.title,
      resource,
      current: triage.notShown === 0,
    });
  }
  return out;
}

/**
 * The International Patient Summary of the picked records, by and about the patient (her name as she wants the ER
 * to read it, her wallet address as her identifier), or what to fix.
 */
export function summaryFromChoices(
  patient: { name: string; address: string },
  picked: readonly SummaryChoice[],
): BuildResult<DocumentBundle> {
  const of = (section: SummarySection) => picked.filter((c) => c.section === section).map((c) => c.resource);
  return buildPatientSummary({
    patient,
    author: { display: patient.name || undefined, address: patient.address },
    allergies: of("allergies"),
    problems: of("problems"),
    medications: of("medications"),
  });
}
