import { conceptText, first, humanName, str } from "./read";
import type { FhirResource } from "./resource";
import type { FileEntry } from "./parseFhirText";
import { isFhirResource } from "./resource";

/** Resources of one file by every name a reference may use for them: fullUrl and `Type/id`. */
export type BundleIndex = Map<string, FhirResource>;

/** Indexes a file's resources for {@link withBundleLinks}. */
export function indexEntries(entries: readonly FileEntry[]): BundleIndex {
  const index: BundleIndex = new Map();
  for (const e of entries) {
    if (!isFhirResource(e.resource)) continue;
    if (e.fullUrl) index.set(e.fullUrl, e.resource);
    if (typeof e.resource.id === "string") index.set(`${e.resource.resourceType}/${e.resource.id}`, e.resource);
  }
  return index;
}

function target(reference: string, index: BundleIndex): FhirResource | undefined {
  const exact = index.get(reference);
  if (exact) return exact;
  // An absolute or versioned reference (https://host/fhir/Practitioner/7/_history/2) still names Type/id.
  const relative = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return relative ? index.get(relative[1]) : undefined;
}

/** The name a person would recognise for a referenced resource (a doctor's name, a clinic's name, a medicine). */
function nameOf(r: FhirResource): string | undefined {
  switch (r.resourceType) {
    case "Patient":
    case "Practitioner":
    case "RelatedPerson":
      return humanName(first(r.name));
    case "Medication":
      return conceptText(r.code);
    case "PractitionerRole":
      return (
        str((r.practitioner as { display?: unknown } | undefined)?.display) ??
        str((r.organization as { display?: unknown } | undefined)?.display)
      );
    default:
      return str(r.name) ?? conceptText(r.code);
  }
}

function linked(value: unknown, index: BundleIndex): unknown {
  if (Array.isArray(value)) return value.map((v) => linked(v, index));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = linked(v, index);
  if (typeof out.reference === "string" && out.display === undefined) {
    const found = target(out.reference, index);
    const name = found ? nameOf(found) : undefined;
    if (name) out.display = name;
  }
  return out;
}

/**
 * A copy of a resource made to stand alone, since each imported entry becomes its own record: references to
 * other entries of the file gain the display name of what they point at (so "Practitioner/7" reads "Dr. Ana
 * Ruiz"), and a `medicationReference` to a Medication in the file becomes that medication's code.
 */
export function withBundleLinks(resource: FhirResource, index: BundleIndex): FhirResource {
  const copy = linked(resource, index) as FhirResource;
  const medication = copy.medicationReference as { reference?: string } | undefined;
  if (medication?.reference) {
    const found = target(medication.reference, index);
    if (found?.resourceType === "Medication" && found.code) {
      // Rebuild so the choice element keeps its place in the key order (JSON order is cosmetic but reads better).
      const entries = Object.entries(copy).map(([k, v]) =>
        k === "medicationReference" ? ["medicationCodeableConcept", found.code] : [k, v],
      );
      return Object.fromEntries(entries) as FhirResource;
    }
  }
  return copy;
}
