/** A FHIR resource as parsed JSON: any object with a string `resourceType`. */
export type FhirResource = Record<string, unknown> & { resourceType: string };

/** Whether a parsed JSON value is a FHIR resource (an object with a string resourceType). */
export function isFhirResource(v: unknown): v is FhirResource {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { resourceType?: unknown }).resourceType === "string";
}

/** The resources to show for a parsed FHIR document: a Bundle's entries (in order), or the one resource itself. */
export function resourcesOf(resource: FhirResource): FhirResource[] {
  if (resource.resourceType !== "Bundle") return [resource];
  const entries = Array.isArray(resource.entry) ? (resource.entry as Array<{ resource?: unknown }>) : [];
  return entries.map((e) => e?.resource).filter(isFhirResource);
}

/**
 * The UTF-8 bytes a record holds for a resource: one serialization for built, imported and summary records. Takes
 * any object with a resourceType, so the builders' typed resources (interfaces, without an index signature) pass.
 */
export function resourceBytes(resource: { resourceType: string }): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(resource, null, 2));
}
