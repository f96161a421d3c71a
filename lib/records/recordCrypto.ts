import {
  bytesToHex,
  newDataKey,
  newRecordId,
  openRecord,
  readEnvelopeHeader,
  sealRecord,
  unwrapFromBundle,
  unwrapOwnerKey,
  wrapOwnerKey,
  type BufferProgress,
  type EncryptionKeyPair,
  type EnvelopeHeader,
  type KeyBundle,
} from "../crypto";

/** A record sealed on the client, ready to upload: only ciphertext leaves the device. */
export interface SealedRecord {
  envelope: Uint8Array;
  /** The record id as the bytes32 the ledger stores (16 random bytes, zero-padded on the right). */
  recordId: string;
  dataKey: Uint8Array;
}

/** The 16-byte envelope record id as the ledger's bytes32 (right-padded with zeros). */
export function recordIdToBytes32(recordId: Uint8Array): string {
  return bytesToHex(recordId) + "0".repeat(64 - recordId.length * 2);
}

/**
 * Encrypts a record for its patient under a fresh data key; the data key travels wrapped for the patient's
 * X25519 key inside the envelope header, so the patient can always reopen it.
 */
export function sealPatientRecord(
  plaintext: Uint8Array,
  params: { patient: string; patientPublicKey: Uint8Array; category: number; onProgress?: BufferProgress },
): SealedRecord {
  const dataKey = newDataKey();
  const recordId = newRecordId();
  const patient = params.patient.toLowerCase();
  const ownerKey = wrapOwnerKey(dataKey, params.patientPublicKey, recordId, patient);
  const envelope = sealRecord(plaintext, { recordId, category: params.category, patient, ownerKey }, dataKey, params.onProgress);
  return { envelope, recordId: recordIdToBytes32(recordId), dataKey };
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

/** The data key of one of the patient's own records, recovered from its header (used to re-wrap for a grantee). */
export function ownDataKey(envelope: Uint8Array, keys: EncryptionKeyPair): { header: EnvelopeHeader; dataKey: Uint8Array } {
  const { header } = readEnvelopeHeader(envelope);
  return { header, dataKey: unwrapOwnerKey(header, keys.privateKey) };
}

/** Opens a record a grantee received, with the data key from the grant's key bundle. */
export function openGrantedRecord(
  envelope: Uint8Array,
  cid: string,
  bundle: KeyBundle,
  keys: EncryptionKeyPair,
  onProgress?: BufferProgress,
): { header: EnvelopeHeader; plaintext: Uint8Array } {
  return openRecord(envelope, unwrapFromBundle(bundle, cid, keys.privateKey), onProgress);
}
