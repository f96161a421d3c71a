import type { FhirAllergyIntolerance, FhirCondition, MedicationResource, VaultRecord } from "./fhirTypes";
import { isMedicationResource } from "./identifyDrug";

/** A vault's decrypted records sorted into what the check reads. */
export interface PartitionedVault {
  medications: VaultRecord<MedicationResource>[];
  allergies: VaultRecord<FhirAllergyIntolerance>[];
  conditions: VaultRecord<FhirCondition>[];
}

type Resource = { resourceType?: unknown; id?: unknown; entry?: unknown };

/**
 * Sorts decrypted records (any FHIR resource, including Bundles such as the International Patient Summary, whose
 * entries are read one by one) into medications, allergies and conditions. Everything else is ignored. A Bundle
 * entry keeps the record's author; its reference is the entry's `fullUrl`, else the record's reference with the
 * entry's zero-based index (`ipfs://…#entry-3`).
 */
export function partitionVault(records: readonly VaultRecord<unknown>[]): PartitionedVault {
  const out: PartitionedVault = { medications: [], allergies: [], conditions: [] };
  const visit = (resource: unknown, author: string | undefined, resourceRef: string | undefined) => {
    const r = resource as Resource | null;
    if (!r || typeof r !== "object") return;
    const record = { resource, ...(author ? { author } : {}), ...(resourceRef ? { resourceRef } : {}) };
    if (r.resourceType === "Bundle" && Array.isArray(r.entry)) {
      r.entry.forEach((entry: { resource?: unknown; fullUrl?: unknown }, i: number) => {
        const ref = typeof entry?.fullUrl === "string" ? entry.fullUrl : resourceRef ? `${resourceRef}#entry-${i}` : undefined;
        visit(entry?.resource, author, ref);
      });
    } else if (isMedicationResource(r)) out.medications.push(record as VaultRecord<MedicationResource>);
    else if (r.resourceType === "AllergyIntolerance") out.allergies.push(record as VaultRecord<FhirAllergyIntolerance>);
    else if (r.resourceType === "Condition") out.conditions.push(record as VaultRecord<FhirCondition>);
  };
  for (const record of records) visit(record.resource, record.author, record.resourceRef);
  return out;
}
