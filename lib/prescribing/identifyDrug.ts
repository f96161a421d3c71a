import { conceptDisplay, ingredientsOf, type IngredientMatch } from "./concepts";
import type { FhirCodeableConcept, FhirMedication, MedicationResource } from "./fhirTypes";
import type { InteractionTable } from "./table";

/** A medication record as the check understands it. */
export interface IdentifiedDrug {
  /** What the record calls the drug ("Ibuprofen 400 MG Oral Tablet"). */
  display: string;
  /** The table's ingredients it contains; empty when the table does not know the drug. */
  ingredients: IngredientMatch[];
}

/** The resource types that name a drug the patient takes or is to take. */
export const MEDICATION_RESOURCE_TYPES: readonly string[] = ["MedicationRequest", "MedicationStatement", "MedicationDispense"];

/** True when `value` is a MedicationRequest, MedicationStatement or MedicationDispense. */
export function isMedicationResource(value: unknown): value is MedicationResource {
  const type = (value as { resourceType?: unknown } | null)?.resourceType;
  return typeof type === "string" && MEDICATION_RESOURCE_TYPES.includes(type);
}

/**
 * The drug concept of a medication resource: `medicationCodeableConcept`, or the code of the contained Medication
 * a `medicationReference` points to ("#id"), or at least the reference's display.
 */
export function medicationConcept(resource: MedicationResource): FhirCodeableConcept | undefined {
  if (resource.medicationCodeableConcept) return resource.medicationCodeableConcept;
  const ref = resource.medicationReference;
  if (!ref) return undefined;
  if (ref.reference?.startsWith("#")) {
    const contained = resource.contained?.find((r) => r.resourceType === "Medication" && `#${r.id}` === ref.reference) as
      FhirMedication | undefined;
    if (contained?.code) return contained.code;
  }
  return ref.display ? { text: ref.display } : undefined;
}

/** Recognises the table's ingredients in a medication resource (by RxNorm code, then by name). */
export function identifyDrug(resource: MedicationResource, table: InteractionTable): IdentifiedDrug {
  const concept = medicationConcept(resource);
  return { display: conceptDisplay(concept, "unnamed medication"), ingredients: ingredientsOf(concept, table) };
}

/** Statuses after which a record no longer says the patient takes the drug. */
const ENDED: Record<string, readonly string[]> = {
  MedicationRequest: ["cancelled", "completed", "entered-in-error", "stopped"],
  MedicationStatement: ["completed", "entered-in-error", "stopped", "not-taken"],
  MedicationDispense: ["cancelled", "entered-in-error", "stopped", "declined"],
};

/**
 * True unless the record's status says the drug was stopped, finished, cancelled, declined or never taken. A
 * record without a status counts as current: the check errs on the side of a warning.
 */
export function isMedicationCurrent(resource: MedicationResource): boolean {
  const status = typeof resource.status === "string" ? resource.status.trim().toLowerCase() : undefined;
  return status === undefined || !(ENDED[resource.resourceType] ?? []).includes(status);
}

/** Who recorded a medication, from the resource itself (the vault's record of the author is preferred). */
export function medicationAuthor(resource: MedicationResource): string | undefined {
  switch (resource.resourceType) {
    case "MedicationRequest":
      return resource.requester?.display;
    case "MedicationStatement":
      return resource.informationSource?.display;
    case "MedicationDispense":
      return resource.performer?.find((p) => p.actor?.display)?.actor?.display;
  }
}
