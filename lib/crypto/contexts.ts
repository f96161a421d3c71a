/**
 * Contexts that bind a wrapped key to what it is the key of. A wrapped key only unwraps when presented with the
 * same context (it is the AEAD's associated data and part of the KEK derivation, see keywrap.ts), so a key lifted
 * from one record, patient, category, version or grantee cannot be passed off as the key of another.
 *
 * Every context starts with a distinct 16-byte label and continues with fixed-length fields, so contexts of
 * different kinds never collide and fields can never be shifted into each other.
 */
import { addressToBytes } from "./address";
import { assertBytes, concatBytes, utf8 } from "./bytes";
import { assertCategory, assertKeyVersion, u32Bytes } from "./fields";

const OWNER_LABEL = utf8("cl/record-key/v1");
const CATEGORY_RECORD_LABEL = utf8("cl/cat-record/v1");
const CATEGORY_HOLDER_LABEL = utf8("cl/cat-holder/v1");
const BUNDLE_ENTRY_LABEL = utf8("cl/bundle-ent/v2");

/**
 * A record's data key wrapped for its owner (the envelope's `ownerKey`): bound to the record id and patient.
 */
export function recordKeyContext(recordId: Uint8Array, patient: string): Uint8Array {
  assertBytes(recordId, 16, "recordId");
  return concatBytes(OWNER_LABEL, recordId, addressToBytes(patient));
}

/**
 * A record's data key wrapped for the patient's category public key (the envelope's `categoryKey`): bound to the
 * record id, patient, category and category key version.
 */
export function categoryRecordContext(recordId: Uint8Array, patient: string, category: number, keyVersion: number): Uint8Array {
  assertBytes(recordId, 16, "recordId");
  assertCategory(category);
  assertKeyVersion(keyVersion);
  return concatBytes(CATEGORY_RECORD_LABEL, recordId, addressToBytes(patient), Uint8Array.of(category), u32Bytes(keyVersion));
}

/**
 * A category private key wrapped for a grantee (a key bundle's `categoryKeys`): bound to the patient, category,
 * key version and grantee.
 */
export function categoryHolderContext(patient: string, category: number, keyVersion: number, grantee: string): Uint8Array {
  assertCategory(category);
  assertKeyVersion(keyVersion);
  return concatBytes(
    CATEGORY_HOLDER_LABEL,
    addressToBytes(patient),
    Uint8Array.of(category),
    u32Bytes(keyVersion),
    addressToBytes(grantee),
  );
}

/**
 * A record's data key wrapped for a grantee (a key bundle's `entries`, used by the emergency escrow): bound to the
 * record id, patient, category and grantee.
 */
export function bundleEntryContext(recordId: Uint8Array, patient: string, category: number, grantee: string): Uint8Array {
  assertBytes(recordId, 16, "recordId");
  assertCategory(category);
  return concatBytes(BUNDLE_ENTRY_LABEL, recordId, addressToBytes(patient), Uint8Array.of(category), addressToBytes(grantee));
}
