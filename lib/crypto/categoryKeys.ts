/**
 * Category key pairs: one X25519 key pair per (patient, category, version), derived by the patient alone from
 * their own X25519 private key, so the patient stores nothing new and can re-derive every version on any device.
 * A record's data key is wrapped for the public key of its category at the current version (the envelope's
 * `categoryKey`); a grant hands the grantee the private keys of the granted categories (key bundle v2), so the
 * grantee opens records added later in those categories without a new bundle. Bumping the version (rotation on
 * revoke) gives a key the revoked grantee never received.
 *
 * seed = HKDF-SHA256(ikm = patient X25519 private key, salt = "consent-ledger/category-key/v1",
 *                    info = patient (20 bytes) | category u8 | version u32), private key = seed.
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { addressToBytes } from "./address";
import { assertBytes, concatBytes, utf8 } from "./bytes";
import { assertCategory, assertKeyVersion, u32Bytes } from "./fields";
import { X25519_KEY_LENGTH } from "./keywrap";
import { keyPairFromSeed, type EncryptionKeyPair } from "./walletKeys";

const CATEGORY_KEY_SALT = utf8("consent-ledger/category-key/v1");

/**
 * The patient's key pair for `category` at key `version`. Deterministic: the same inputs always give the same
 * pair; any other patient, category or version gives an unrelated one.
 *
 * @example
 * const { publicKey } = deriveCategoryKeyPair(jane.keys.privateKey, jane.address, 1, 0); // Problems, version 0
 */
export function deriveCategoryKeyPair(
  patientPrivateKey: Uint8Array,
  patient: string,
  category: number,
  version: number,
): EncryptionKeyPair {
  assertBytes(patientPrivateKey, X25519_KEY_LENGTH, "patientPrivateKey");
  assertCategory(category);
  assertKeyVersion(version, "version");
  const info = concatBytes(addressToBytes(patient), Uint8Array.of(category), u32Bytes(version));
  const seed = hkdf(sha256, patientPrivateKey, CATEGORY_KEY_SALT, info, X25519_KEY_LENGTH);
  const pair = keyPairFromSeed(seed);
  seed.fill(0);
  return pair;
}
