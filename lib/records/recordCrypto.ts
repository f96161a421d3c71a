import {
  bytesToHex,
  dataKeyFromBundle,
  hexToBytes,
  newDataKey,
  newRecordId,
  openRecord,
  readEnvelopeHeader,
  sealRecord,
  unwrapOwnerKey,
  wrapCategoryKey,
  wrapOwnerKey,
  type BufferProgress,
  type EncryptionKeyPair,
  type EnvelopeHeader,
  type EnvelopeHeaderInput,
  type KeyBundle,
  type KeyDirectoryEntry,
} from "../crypto";

/** A record sealed on the client, ready to upload: only ciphertext leaves the device. */
export interface SealedRecord {
  envelope: Uint8Array;
  /** The record id as the bytes32 the ledger stores (16 random bytes, zero-padded on the right). */
  recordId: string;
  dataKey: Uint8Array;
}

/** Who a new record is sealed for: the patient's own key and the patient's key of the record's category. */
export interface PatientRecordKeys {
  /** The patient the record belongs to. */
  patient: string;
  /** The patient's X25519 public key (from the ledger's `encryptionKeyOf`). */
  patientPublicKey: Uint8Array;
  /**
   * The entry of the record's category in the patient's key directory (checked against the digest on-chain with
   * `openKeyDirectory`); the record's category is this entry's category.
   */
  categoryKey: KeyDirectoryEntry;
}

/** The 16-byte envelope record id as the ledger's bytes32 (right-padded with zeros). */
export function recordIdToBytes32(recordId: Uint8Array): string {
  return bytesToHex(recordId) + "0".repeat(64 - recordId.length * 2);
}

/**
 * A header for a new record under a fresh data key, wrapped twice: for the patient (who can always reopen it) and
 * for the patient's category key at its current version (which the grantees of that category hold). For sealing
 * with `sealRecordStream`; {@link sealPatientRecord} does it in one call.
 */
export function newPatientRecordHeader(keys: PatientRecordKeys): { header: EnvelopeHeaderInput; dataKey: Uint8Array } {
  const dataKey = newDataKey();
  const recordId = newRecordId();
  const { category, keyVersion, publicKey } = keys.categoryKey;
  const header: EnvelopeHeaderInput = {
    recordId,
    category,
    patient: keys.patient,
    categoryKeyVersion: keyVersion,
    ownerKey: wrapOwnerKey(dataKey, keys.patientPublicKey, recordId, keys.patient),
    categoryKey: wrapCategoryKey(dataKey, hexToBytes(publicKey), recordId, keys.patient, category, keyVersion),
  };
  return { header, dataKey };
}

/** Encrypts a record for its patient and the patient's category key under a fresh data key (see {@link newPatientRecordHeader}). */
export function sealPatientRecord(plaintext: Uint8Array, params: PatientRecordKeys & { onProgress?: BufferProgress }): SealedRecord {
  const { header, dataKey } = newPatientRecordHeader(params);
  const envelope = sealRecord(plaintext, header, dataKey, params.onProgress);
  return { envelope, recordId: recordIdToBytes32(header.recordId), dataKey };
}

/** Opens one of the patient's own records with the patient's key pair. */
export function openOwnRecord(
  envelope: Uint8Array,
  keys: EncryptionKeyPair,
  onProgress?: BufferProgress,
): { header: EnvelopeHeader; plaintext: Uint8Array } {
  const { header } = readEnvelopeHeader(envelope);
  return openRecord(envelope, unwrapOwnerKey(header, keys.privateKey), onProgress);
}

/**
 * Opens a record a grantee received, with the grantee's key bundle: the category key of the header's (category,
 * key version), or an entry for the record. Throws `NOT_IN_BUNDLE` when the bundle covers neither (another patient,
 * another category, or a key version issued after the bundle), `WRONG_KEY` when the keys are not the grantee's or
 * anything was altered, and the envelope errors of `openRecord`.
 */
export function openRecordWithBundle(
  envelope: Uint8Array,
  bundle: KeyBundle,
  granteeKeys: EncryptionKeyPair,
  onProgress?: BufferProgress,
): { header: EnvelopeHeader; plaintext: Uint8Array } {
  const { header } = readEnvelopeHeader(envelope);
  const dataKey = dataKeyFromBundle(header, bundle, granteeKeys.privateKey);
  try {
    return openRecord(envelope, dataKey, onProgress);
  } finally {
    dataKey.fill(0);
  }
}
