import { URI_SYSTEM } from "../audit/fhirCodes";
import type { Identifier } from "../fhir/types";

/**
 * How a MedicationDispense names the prescription it fills: by the prescription record's CID, as an identifier
 * `ipfs://<cid>` in system `urn:ietf:rfc:3986` (the spelling the audit export uses for records). The CID is chosen
 * over the FHIR id because it is the one name nobody can reuse: it is the hash of the exact bytes the prescriber
 * announced on the ledger in this patient's vault, whereas any author can write a record with any FHIR id. The
 * `MedicationRequest/<id>` reference is kept beside it for FHIR tools, but status is never decided by it.
 */
export function prescriptionIdentifier(cid: string): Identifier {
  return { system: URI_SYSTEM, value: `ipfs://${cid}` };
}

/** True when `resource` is a completed MedicationDispense whose authorizingPrescription names the record `cid`. */
export function fillsPrescription(resource: unknown, cid: string): boolean {
  const dispense = resource as { resourceType?: unknown; status?: unknown; authorizingPrescription?: unknown } | null;
  if (dispense?.resourceType !== "MedicationDispense" || dispense.status !== "completed") return false;
  if (!Array.isArray(dispense.authorizingPrescription)) return false;
  const wanted = prescriptionIdentifier(cid);
  return dispense.authorizingPrescription.some((ref: { identifier?: Identifier } | null) => {
    const named = ref?.identifier;
    return named?.system === wanted.system && named?.value === wanted.value;
  });
}
