/**
 * Key bundles (version 2): what a patient's client hands one grantee with a grant, published as one raw block whose
 * digest the grant event carries, so the hand-over of keys is itself on the audit trail. JSON, so auditors can read
 * who got keys to what:
 *
 * `{ "categoryKeys": [{ "category", "keyVersion", "wrappedKey" }], "entries": [{ "category", "cid", "recordId",
 *    "wrappedKey" }], "grantee", "patient", "version": 2 }`
 *
 * - `categoryKeys`: for each granted category, the patient's category private key at every version 0..current,
 *   wrapped for the grantee. Every record of those categories, sealed before or after the bundle (until the patient
 *   rotates the category's key), opens with it: granting needs no envelope download and no renewal.
 * - `entries`: single records' data keys wrapped for the grantee; only the emergency escrow uses them.
 *
 * Canonical: keys sorted, no whitespace, addresses EIP-55, hex lower-case, `categoryKeys` in (category, keyVersion)
 * order, `entries` in CID order. One bundle has one encoding and so one CID; a decoder refuses any other.
 */
import { CATEGORIES, categoryLabel } from "../consent/codes";
// The CID module alone: the ids index also loads the UnixFS importer, which no bundle needs.
import { parseCanonicalCid } from "../ids/cid";
import { isContentIdError } from "../ids/errors";
import { checksumAddress, normalizeAddress } from "./address";
import { bytesToHex, hexToBytes, isBytes } from "./bytes";
import { deriveCategoryKeyPair } from "./categoryKeys";
import { asArray, asRecord, asString, encodeCanonicalJson, parseJsonDocument, requireCanonical } from "./canonicalJson";
import { bundleEntryContext, categoryHolderContext } from "./contexts";
import { unwrapCategoryKey, type EnvelopeHeader } from "./envelope";
import { badFormat, CryptoError } from "./errors";
import { assertCategory, assertKeyVersion } from "./fields";
import { assertDirectoryKeys, directoryEntry, type KeyDirectory } from "./keyDirectory";
import { parseWrappedKey, serializeWrappedKey, unwrapKey, wrapKey } from "./keywrap";
import type { EncryptionKeyPair } from "./walletKeys";

/** The only key bundle format version this build reads and writes (version 1 is no longer read). */
export const KEY_BUNDLE_VERSION = 2;

const CATEGORY_IDS: readonly number[] = CATEGORIES.map((c) => c.id);
const WRAPPED_KEY_HEX = /^0x[0-9a-fA-F]+$/;
const RECORD_ID_HEX = /^0x[0-9a-fA-F]{32}$/;

/** One category private key at one version, wrapped for the grantee. */
export interface BundleCategoryKey {
  /** Record category (0..12). */
  category: number;
  /** Key version of the category (u32). */
  keyVersion: number;
  /** Serialized WrappedKey, `0x` hex, with context `categoryHolderContext(patient, category, keyVersion, grantee)`. */
  wrappedKey: string;
}

/** One record's data key, wrapped for the grantee (emergency escrow). */
export interface KeyBundleEntry {
  /** Canonical CID of the record's envelope. */
  cid: string;
  /** 16-byte record id, `0x` hex. */
  recordId: string;
  /** Record category (0..255). */
  category: number;
  /** Serialized WrappedKey, `0x` hex, with context `bundleEntryContext(recordId, patient, category, grantee)`. */
  wrappedKey: string;
}

/** The keys a patient hands to one grantee. */
export interface KeyBundle {
  version: 2;
  /** Patient address (EIP-55 when built or decoded). */
  patient: string;
  /** Grantee address (EIP-55 when built or decoded). */
  grantee: string;
  /** In (category, keyVersion) order, every version 0..current of each category present. */
  categoryKeys: BundleCategoryKey[];
  /** In CID order, one per record. */
  entries: KeyBundleEntry[];
}

/** One record to put in an entries bundle, with its data key in the clear (the patient's client has it). */
export interface KeyBundleRecord {
  cid: string;
  recordId: Uint8Array;
  category: number;
  dataKey: Uint8Array;
}

/** Inputs of {@link buildKeyBundle}. */
export interface BuildKeyBundleParams {
  patient: string;
  grantee: string;
  /** The grantee's X25519 public key (from the ledger's key directory). */
  granteePublicKey: Uint8Array;
  records: KeyBundleRecord[];
}

/**
 * The bundle of a grant: for each of `categories`, the patient's category private keys at every version from 0 to
 * the directory's current one, wrapped for the grantee and bound to patient, category, version and grantee. Needs
 * the patient's keys (category keys are derived from them) and the patient's current key directory; throws
 * `WRONG_KEY` if the directory was not made with these keys, `BAD_FORMAT` for an unknown category.
 */
export function buildGrantBundle(
  patientKeys: EncryptionKeyPair,
  patient: string,
  grantee: string,
  granteePublicKey: Uint8Array,
  categories: readonly number[],
  directory: KeyDirectory,
): KeyBundle {
  const patientAddress = checksumAddress(patient);
  const granteeAddress = checksumAddress(grantee);
  if (normalizeAddress(directory.patient) !== normalizeAddress(patient)) {
    throw badFormat(`the key directory is ${directory.patient}'s, not ${patientAddress}'s`);
  }
  const granted = [...new Set(categories)].sort((a, b) => a - b);
  const current = granted.map((category) => directoryEntry(directory, category));
  assertDirectoryKeys(directory, patientKeys, granted);
  const categoryKeys: BundleCategoryKey[] = [];
  for (const { category, keyVersion: latest } of current) {
    for (let keyVersion = 0; keyVersion <= latest; keyVersion++) {
      const pair = deriveCategoryKeyPair(patientKeys.privateKey, patientAddress, category, keyVersion);
      const context = categoryHolderContext(patientAddress, category, keyVersion, granteeAddress);
      const wrapped = wrapKey(pair.privateKey, granteePublicKey, context);
      pair.privateKey.fill(0);
      categoryKeys.push({ category, keyVersion, wrappedKey: bytesToHex(serializeWrappedKey(wrapped)) });
    }
  }
  const bundle: KeyBundle = { version: KEY_BUNDLE_VERSION, patient: patientAddress, grantee: granteeAddress, categoryKeys, entries: [] };
  checkBundle(bundle);
  return bundle;
}

/**
 * A bundle of single records' data keys (the emergency escrow, and the escrow's re-wrap for a provider): each
 * wrapped for the grantee and bound to record id, patient, category and grantee, so an entry cannot be reused for
 * another record or moved into another patient's or grantee's bundle.
 */
export function buildKeyBundle(params: BuildKeyBundleParams): KeyBundle {
  const patient = checksumAddress(params.patient);
  const grantee = checksumAddress(params.grantee);
  if (!Array.isArray(params.records)) throw badFormat("records must be an array");
  const entries = params.records.map((record): KeyBundleEntry => {
    checkCid(record.cid);
    assertCategory(record.category);
    if (!isBytes(record.recordId) || record.recordId.length !== 16) throw badFormat(`recordId of ${record.cid} must be 16 bytes`);
    const context = bundleEntryContext(record.recordId, patient, record.category, grantee);
    const wrapped = wrapKey(record.dataKey, params.granteePublicKey, context);
    return {
      cid: record.cid,
      recordId: bytesToHex(record.recordId),
      category: record.category,
      wrappedKey: bytesToHex(serializeWrappedKey(wrapped)),
    };
  });
  entries.sort((a, b) => (a.cid < b.cid ? -1 : a.cid > b.cid ? 1 : 0));
  const bundle: KeyBundle = { version: KEY_BUNDLE_VERSION, patient, grantee, categoryKeys: [], entries };
  checkBundle(bundle);
  return bundle;
}

/** Canonical JSON as UTF-8 (see the module comment), so one bundle always has one encoding and thus one CID. */
export function encodeKeyBundle(bundle: KeyBundle): Uint8Array {
  checkBundle(bundle);
  return encodeCanonicalJson({
    version: bundle.version,
    patient: checksumAddress(bundle.patient),
    grantee: checksumAddress(bundle.grantee),
    categoryKeys: bundle.categoryKeys.map((k) => ({
      category: k.category,
      keyVersion: k.keyVersion,
      wrappedKey: k.wrappedKey.toLowerCase(),
    })),
    entries: bundle.entries.map((e) => ({
      category: e.category,
      cid: e.cid,
      recordId: e.recordId.toLowerCase(),
      wrappedKey: e.wrappedKey.toLowerCase(),
    })),
  });
}

/**
 * Parses and validates a bundle fetched from a store. Throws `BAD_FORMAT` for anything but exactly a canonical v2
 * bundle (bad UTF-8 or JSON, missing or unknown fields, bad addresses, hex or wrapped keys, a duplicate or missing
 * (category, version), a duplicate CID, lists out of order, another encoding of the same content), `BAD_CID` for an
 * entry whose CID is not canonical, and `UNSUPPORTED_VERSION` for another version (version 1 included).
 */
export function decodeKeyBundle(bytes: Uint8Array): KeyBundle {
  const root = asRecord(parseJsonDocument(bytes, "key bundle"), "key bundle", ["version", "patient", "grantee", "categoryKeys", "entries"]);
  if (root.version !== KEY_BUNDLE_VERSION) {
    if (typeof root.version === "number") {
      throw new CryptoError(
        "UNSUPPORTED_VERSION",
        `key bundle version ${root.version} is not supported (this build reads version ${KEY_BUNDLE_VERSION}); the patient must issue the grant again`,
      );
    }
    throw badFormat(`key bundle version must be the number ${KEY_BUNDLE_VERSION}`);
  }
  const bundle: KeyBundle = {
    version: KEY_BUNDLE_VERSION,
    patient: checksumAddress(asString(root.patient, "key bundle patient")),
    grantee: checksumAddress(asString(root.grantee, "key bundle grantee")),
    categoryKeys: asArray(root.categoryKeys, "key bundle categoryKeys").map((raw, i): BundleCategoryKey => {
      const key = asRecord(raw, `categoryKeys[${i}]`, ["category", "keyVersion", "wrappedKey"]);
      return {
        category: key.category as number,
        keyVersion: key.keyVersion as number,
        wrappedKey: asString(key.wrappedKey, `categoryKeys[${i}].wrappedKey`),
      };
    }),
    entries: asArray(root.entries, "key bundle entries").map((raw, i): KeyBundleEntry => {
      const entry = asRecord(raw, `entries[${i}]`, ["cid", "recordId", "category", "wrappedKey"]);
      return {
        cid: asString(entry.cid, `entries[${i}].cid`),
        recordId: asString(entry.recordId, `entries[${i}].recordId`),
        category: entry.category as number,
        wrappedKey: asString(entry.wrappedKey, `entries[${i}].wrappedKey`),
      };
    }),
  };
  checkBundle(bundle);
  requireCanonical(bytes, encodeKeyBundle(bundle), "key bundle");
  return bundle;
}

/**
 * The patient's private key of `category` at `keyVersion`, unwrapped from the bundle with the grantee's private
 * key. Throws `NOT_IN_BUNDLE` when the bundle does not hold that version of that category, `WRONG_KEY` when the
 * private key is not the grantee's or the bundle was altered (a key moved to another patient, grantee, category or
 * version no longer unwraps).
 */
export function categoryKeyFromBundle(bundle: KeyBundle, category: number, keyVersion: number, granteePrivateKey: Uint8Array): Uint8Array {
  const held = bundle.categoryKeys.find((k) => k.category === category && k.keyVersion === keyVersion);
  if (held === undefined) throw notCovered(bundle, category, keyVersion);
  const context = categoryHolderContext(bundle.patient, category, keyVersion, bundle.grantee);
  return unwrapKey(parseWrappedKey(hexToBytes(held.wrappedKey)), granteePrivateKey, context);
}

/**
 * The data key of the record whose (unauthenticated) header is given, from a bundle: through the category key of
 * the header's (category, categoryKeyVersion) when the bundle holds it, else through an entry for the header's
 * record id. Throws `NOT_IN_BUNDLE` when the bundle is another patient's or covers neither, `WRONG_KEY` when the
 * key is not the grantee's or anything on the way was altered. The header is authenticated when the first chunk is
 * opened with the returned key.
 */
export function dataKeyFromBundle(header: EnvelopeHeader, bundle: KeyBundle, granteePrivateKey: Uint8Array): Uint8Array {
  if (normalizeAddress(header.patient) !== normalizeAddress(bundle.patient)) {
    throw new CryptoError(
      "NOT_IN_BUNDLE",
      `this key bundle holds keys of ${checksumAddress(bundle.patient)}'s records; the record belongs to ${checksumAddress(header.patient)}`,
    );
  }
  const held = bundle.categoryKeys.some((k) => k.category === header.category && k.keyVersion === header.categoryKeyVersion);
  if (held) {
    const categoryPrivateKey = categoryKeyFromBundle(bundle, header.category, header.categoryKeyVersion, granteePrivateKey);
    try {
      return unwrapCategoryKey(header, categoryPrivateKey);
    } finally {
      categoryPrivateKey.fill(0);
    }
  }
  const recordId = bytesToHex(header.recordId);
  const entry = bundle.entries.find((e) => e.recordId.toLowerCase() === recordId);
  if (entry !== undefined) return unwrapEntry(bundle, entry, granteePrivateKey);
  throw notCovered(bundle, header.category, header.categoryKeyVersion);
}

/**
 * The data key of record `cid` from a bundle's entries, unwrapped with the grantee's X25519 private key. Throws
 * `NOT_IN_BUNDLE` if the bundle has no entry for `cid`, `WRONG_KEY` if the key is not the grantee's or the entry
 * was altered or moved.
 */
export function unwrapFromBundle(bundle: KeyBundle, cid: string, granteePrivateKey: Uint8Array): Uint8Array {
  const entry = bundle.entries.find((e) => e.cid === cid);
  if (entry === undefined) {
    throw new CryptoError("NOT_IN_BUNDLE", `the key bundle for ${bundle.grantee} holds no key for record ${cid}`);
  }
  return unwrapEntry(bundle, entry, granteePrivateKey);
}

function unwrapEntry(bundle: KeyBundle, entry: KeyBundleEntry, granteePrivateKey: Uint8Array): Uint8Array {
  const context = bundleEntryContext(hexToBytes(entry.recordId), bundle.patient, entry.category, bundle.grantee);
  return unwrapKey(parseWrappedKey(hexToBytes(entry.wrappedKey)), granteePrivateKey, context);
}

function notCovered(bundle: KeyBundle, category: number, keyVersion: number): CryptoError {
  const versions = bundle.categoryKeys.filter((k) => k.category === category).map((k) => k.keyVersion);
  const name = `${categoryLabel(category)} (category ${category})`;
  if (versions.length === 0) {
    return new CryptoError("NOT_IN_BUNDLE", `the key bundle for ${bundle.grantee} does not cover ${name}`);
  }
  return new CryptoError(
    "NOT_IN_BUNDLE",
    `the record is sealed under key version ${keyVersion} of ${name}; the key bundle for ${bundle.grantee} holds versions ` +
      `0..${Math.max(...versions)}, so the patient rotated that key after issuing it: only a grant issued since opens the record`,
  );
}

function checkBundle(bundle: KeyBundle): void {
  if (typeof bundle !== "object" || bundle === null) throw badFormat("key bundle must be an object");
  if (bundle.version !== KEY_BUNDLE_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `key bundle version ${String(bundle.version)} is not supported`);
  }
  normalizeAddress(bundle.patient);
  normalizeAddress(bundle.grantee);
  if (!Array.isArray(bundle.categoryKeys)) throw badFormat("key bundle categoryKeys must be an array");
  if (!Array.isArray(bundle.entries)) throw badFormat("key bundle entries must be an array");
  let previous: BundleCategoryKey | undefined;
  for (const key of bundle.categoryKeys) {
    if (typeof key !== "object" || key === null) throw badFormat("every categoryKeys item must be an object");
    assertCategory(key.category, "categoryKeys category");
    if (!CATEGORY_IDS.includes(key.category)) throw badFormat(`categoryKeys names category ${key.category}, which does not exist`);
    assertKeyVersion(key.keyVersion, `keyVersion of category ${key.category}`);
    // Each category from version 0 up without a gap or a repeat: one lookup answer per (category, version), and a
    // bundle that silently lacks an old version is refused rather than failing later on an old record.
    const expected = previous !== undefined && previous.category === key.category ? previous.keyVersion + 1 : 0;
    if (previous !== undefined && key.category < previous.category) {
      throw badFormat(`categoryKeys are out of order: category ${key.category} after ${previous.category}`);
    }
    if (key.keyVersion !== expected) {
      throw badFormat(
        `categoryKeys of category ${key.category} must run 0, 1, 2, … once each; found version ${key.keyVersion} where ${expected} belongs`,
      );
    }
    checkWrappedKeyHex(key.wrappedKey, `wrappedKey of category ${key.category} version ${key.keyVersion}`);
    previous = key;
  }
  let previousCid: string | undefined;
  for (const entry of bundle.entries) {
    if (typeof entry !== "object" || entry === null) throw badFormat("every entries item must be an object");
    checkCid(entry.cid);
    // Strictly ascending: one encoding per bundle, and two keys for one CID would make lookups depend on order.
    if (previousCid !== undefined && entry.cid <= previousCid) {
      throw badFormat(entry.cid === previousCid ? `key bundle lists record ${entry.cid} twice` : "key bundle entries are not in CID order");
    }
    assertCategory(entry.category, `category of ${entry.cid}`);
    if (typeof entry.recordId !== "string" || !RECORD_ID_HEX.test(entry.recordId)) {
      throw badFormat(`recordId of ${entry.cid} must be 0x + 32 hex digits`);
    }
    checkWrappedKeyHex(entry.wrappedKey, `wrappedKey of ${entry.cid}`);
    previousCid = entry.cid;
  }
}

function checkWrappedKeyHex(value: unknown, what: string): void {
  if (typeof value !== "string" || !WRAPPED_KEY_HEX.test(value)) throw badFormat(`${what} must be 0x hex`);
  parseWrappedKey(hexToBytes(value));
}

function checkCid(cid: unknown): asserts cid is string {
  try {
    parseCanonicalCid(cid as string);
  } catch (cause) {
    if (!isContentIdError(cause)) throw cause;
    throw new CryptoError("BAD_CID", `key bundle entry: ${cause.message}`, { cause });
  }
}
