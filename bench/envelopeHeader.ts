import { generateEncryptionKeyPair, newRecordId, wrapCategoryKey, wrapOwnerKey, type EnvelopeHeaderInput } from "../lib/crypto";

/** The synthetic patient the encryption benches seal records for (the local chain's second account). */
export const BENCH_PATIENT = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

/**
 * A complete envelope header for a fresh record of `category`, its data key wrapped for throwaway owner and
 * category keys: what a real upload carries, so the benches seal the same bytes a client would.
 */
export function benchHeader(dataKey: Uint8Array, category: number): EnvelopeHeaderInput {
  const recordId = newRecordId();
  return {
    recordId,
    category,
    patient: BENCH_PATIENT,
    categoryKeyVersion: 0,
    ownerKey: wrapOwnerKey(dataKey, generateEncryptionKeyPair().publicKey, recordId, BENCH_PATIENT),
    categoryKey: wrapCategoryKey(dataKey, generateEncryptionKeyPair().publicKey, recordId, BENCH_PATIENT, category, 0),
  };
}
