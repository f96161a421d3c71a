/**
 * The key directory: a patient's category public keys, one per record category at its current key version, as one
 * canonical JSON document stored as a raw block whose sha2-256 digest the patient publishes on-chain
 * (`ConsentLedger.setKeyDirectory`). An author (the patient, or a provider adding a record) reads the digest from
 * the chain, fetches the document, checks it with {@link openKeyDirectory}, and wraps each new record's data key
 * for the public key of the record's category (see `wrapCategoryKey`).
 *
 * `{ "categories": [{ "category", "keyVersion", "publicKey" }, … all 13 categories in order], "patient", "version": 1 }`
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { CATEGORIES } from "../consent/codes";
import { checksumAddress, normalizeAddress } from "./address";
import { bytesToHex, equalBytes, hexToBytes, isBytes } from "./bytes";
import { deriveCategoryKeyPair } from "./categoryKeys";
import { asArray, asRecord, asString, encodeCanonicalJson, parseJsonDocument, requireCanonical } from "./canonicalJson";
import { badFormat, CryptoError } from "./errors";
import { assertKeyVersion, MAX_KEY_VERSION } from "./fields";
import type { EncryptionKeyPair } from "./walletKeys";

/** The only key directory format version this build reads and writes. */
export const KEY_DIRECTORY_VERSION = 1;

/** Every record category, in order: a directory has exactly one entry for each. */
const CATEGORY_IDS: readonly number[] = CATEGORIES.map((c) => c.id);
const PUBLIC_KEY_PATTERN = /^0x[0-9a-f]{64}$/;
const DIGEST_PATTERN = /^0x[0-9a-fA-F]{64}$/;

/** One category's current public key. */
export interface KeyDirectoryEntry {
  /** Record category (0..12). */
  category: number;
  /** Current key version of the category (u32); a rotation adds one. */
  keyVersion: number;
  /** X25519 public key of (patient, category, keyVersion), `0x` + 64 lower-case hex digits. */
  publicKey: string;
}

/** A patient's category public keys, one entry per category in category order. */
export interface KeyDirectory {
  version: 1;
  /** The patient, EIP-55. */
  patient: string;
  categories: KeyDirectoryEntry[];
}

/**
 * The patient's directory with every category at version 0, or at `keyVersions[category]` where given (e.g. to
 * rebuild a directory after rotations). Only the patient can build it: it needs the patient's private key.
 */
export function buildKeyDirectory(
  patientKeys: EncryptionKeyPair,
  patient: string,
  keyVersions: Readonly<Record<number, number>> = {},
): KeyDirectory {
  for (const key of Object.keys(keyVersions)) {
    if (!CATEGORY_IDS.includes(Number(key))) throw badFormat(`keyVersions names category ${key}, which does not exist`);
  }
  const categories = CATEGORY_IDS.map((category) => categoryEntry(patientKeys, patient, category, keyVersions[category] ?? 0));
  const directory: KeyDirectory = { version: KEY_DIRECTORY_VERSION, patient: checksumAddress(patient), categories };
  checkDirectory(directory);
  return directory;
}

/**
 * A new directory in which each of `categories` is one key version further, with its new public key. Records
 * sealed from then on are wrapped for the new keys, which no bundle issued before the rotation holds. Throws
 * `WRONG_KEY` when `patientKeys` are not the keys the directory was built with.
 */
export function rotateCategories(directory: KeyDirectory, categories: readonly number[], patientKeys: EncryptionKeyPair): KeyDirectory {
  checkDirectory(directory);
  const rotate = new Set(categories);
  for (const category of rotate) directoryEntry(directory, category);
  const next = directory.categories.map((entry) => {
    if (!rotate.has(entry.category)) return { ...entry };
    assertOwnEntry(entry, patientKeys, directory.patient);
    if (entry.keyVersion === MAX_KEY_VERSION) throw badFormat(`category ${entry.category} is at the last key version`);
    return categoryEntry(patientKeys, directory.patient, entry.category, entry.keyVersion + 1);
  });
  return { version: KEY_DIRECTORY_VERSION, patient: directory.patient, categories: next };
}

/** The entry of `category` (what an author wraps a new record of that category for); `BAD_FORMAT` if none. */
export function directoryEntry(directory: KeyDirectory, category: number): KeyDirectoryEntry {
  const entry = directory.categories.find((e) => e.category === category);
  if (entry === undefined) throw badFormat(`the key directory of ${directory.patient} has no key for category ${category}`);
  return entry;
}

/**
 * Throws `WRONG_KEY` unless the directory's public keys of `categories` (default: all) derive from `patientKeys`,
 * so that the keys handed to a grantee really open what authors wrap for the directory.
 */
export function assertDirectoryKeys(
  directory: KeyDirectory,
  patientKeys: EncryptionKeyPair,
  categories: readonly number[] = CATEGORY_IDS,
): void {
  for (const category of categories) assertOwnEntry(directoryEntry(directory, category), patientKeys, directory.patient);
}

/** Canonical JSON (keys sorted, no whitespace, categories in order) as UTF-8: one directory, one encoding, one CID. */
export function encodeKeyDirectory(directory: KeyDirectory): Uint8Array {
  checkDirectory(directory);
  return encodeCanonicalJson({
    version: directory.version,
    patient: checksumAddress(directory.patient),
    categories: directory.categories.map((e) => ({ category: e.category, keyVersion: e.keyVersion, publicKey: e.publicKey })),
  });
}

/** The sha2-256 digest of the directory's canonical encoding, `0x` hex: what `setKeyDirectory` publishes. */
export function keyDirectoryDigest(directory: KeyDirectory): string {
  return bytesToHex(sha256(encodeKeyDirectory(directory)));
}

/**
 * Parses and validates a directory. Throws `BAD_FORMAT` for anything but exactly a canonical v1 directory (bad
 * UTF-8 or JSON, missing or unknown fields, not all 13 categories in order, bad key versions or public keys,
 * another encoding of the same content) and `UNSUPPORTED_VERSION` for another version.
 */
export function decodeKeyDirectory(bytes: Uint8Array): KeyDirectory {
  const root = asRecord(parseJsonDocument(bytes, "key directory"), "key directory", ["version", "patient", "categories"]);
  if (root.version !== KEY_DIRECTORY_VERSION) {
    if (typeof root.version === "number") {
      throw new CryptoError("UNSUPPORTED_VERSION", `key directory version ${root.version} is not supported (expected 1)`);
    }
    throw badFormat("key directory version must be the number 1");
  }
  const directory: KeyDirectory = {
    version: KEY_DIRECTORY_VERSION,
    patient: checksumAddress(asString(root.patient, "key directory patient")),
    categories: asArray(root.categories, "key directory categories").map((raw, i): KeyDirectoryEntry => {
      const entry = asRecord(raw, `key directory category ${i}`, ["category", "keyVersion", "publicKey"]);
      return {
        category: entry.category as number,
        keyVersion: entry.keyVersion as number,
        publicKey: asString(entry.publicKey, `key directory category ${i} publicKey`),
      };
    }),
  };
  checkDirectory(directory);
  requireCanonical(bytes, encodeKeyDirectory(directory), "key directory");
  return directory;
}

/**
 * A directory fetched from a store, checked against what the chain says before any key in it is used: its bytes
 * must hash to `expected.digest` (from `keyDirectoryOf(patient)`; else `TAMPERED`) and it must be `expected.patient`'s
 * (else `BAD_FORMAT`). This is how an author avoids wrapping a record for a key a gateway substituted.
 */
export function openKeyDirectory(bytes: Uint8Array, expected: { digest: string; patient: string }): KeyDirectory {
  if (typeof expected.digest !== "string" || !DIGEST_PATTERN.test(expected.digest)) {
    throw badFormat("the expected key directory digest must be 0x and 64 hex digits");
  }
  const patient = normalizeAddress(expected.patient);
  const actual = bytesToHex(sha256(parseBytes(bytes)));
  if (actual !== expected.digest.toLowerCase()) {
    throw new CryptoError(
      "TAMPERED",
      `the key directory served for ${checksumAddress(patient)} hashes to ${actual}, not to the digest ${expected.digest} on-chain`,
    );
  }
  const directory = decodeKeyDirectory(bytes);
  if (normalizeAddress(directory.patient) !== patient) {
    throw badFormat(`the key directory published by ${checksumAddress(patient)} names another patient, ${directory.patient}`);
  }
  return directory;
}

function categoryEntry(patientKeys: EncryptionKeyPair, patient: string, category: number, keyVersion: number): KeyDirectoryEntry {
  assertKeyVersion(keyVersion, `keyVersion of category ${category}`);
  const pair = deriveCategoryKeyPair(patientKeys.privateKey, patient, category, keyVersion);
  pair.privateKey.fill(0);
  return { category, keyVersion, publicKey: bytesToHex(pair.publicKey) };
}

function assertOwnEntry(entry: KeyDirectoryEntry, patientKeys: EncryptionKeyPair, patient: string): void {
  const pair = deriveCategoryKeyPair(patientKeys.privateKey, patient, entry.category, entry.keyVersion);
  pair.privateKey.fill(0);
  if (!equalBytes(pair.publicKey, hexToBytes(entry.publicKey))) {
    throw new CryptoError(
      "WRONG_KEY",
      `the key directory's key for category ${entry.category} (version ${entry.keyVersion}) was not derived from these ` +
        `keys of ${patient}; use the patient's own encryption key`,
    );
  }
}

function checkDirectory(directory: KeyDirectory): void {
  if (typeof directory !== "object" || directory === null) throw badFormat("key directory must be an object");
  if (directory.version !== KEY_DIRECTORY_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `key directory version ${String(directory.version)} is not supported`);
  }
  normalizeAddress(directory.patient);
  if (!Array.isArray(directory.categories) || directory.categories.length !== CATEGORY_IDS.length) {
    throw badFormat(`a key directory lists exactly the ${CATEGORY_IDS.length} record categories`);
  }
  directory.categories.forEach((entry, i) => {
    if (typeof entry !== "object" || entry === null) throw badFormat(`key directory entry ${i} must be an object`);
    // In category order, so one directory has one encoding and a lookup cannot find two keys for one category.
    if (entry.category !== CATEGORY_IDS[i]) {
      throw badFormat(`key directory entry ${i} must be category ${CATEGORY_IDS[i]}, not ${JSON.stringify(entry.category)}`);
    }
    assertKeyVersion(entry.keyVersion, `keyVersion of category ${entry.category}`);
    if (typeof entry.publicKey !== "string" || !PUBLIC_KEY_PATTERN.test(entry.publicKey)) {
      throw badFormat(`publicKey of category ${entry.category} must be 0x and 64 lower-case hex digits`);
    }
  });
}

function parseBytes(bytes: Uint8Array): Uint8Array {
  if (!isBytes(bytes)) throw badFormat("key directory must be a Uint8Array");
  return bytes;
}
