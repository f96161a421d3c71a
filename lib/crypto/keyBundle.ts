/**
 * Key bundles: when a patient grants access, their client re-wraps the data keys of the records in scope
 * for the grantee and publishes the bundle on IPFS; the grant event carries its CID, so the hand-over of
 * keys is itself on the audit trail. The bundle is JSON so auditors can read who got keys to what.
 */
import { normalizeAddress } from "./address";
import { bytesToHex, fromUtf8, hexToBytes, isBytes, utf8 } from "./bytes";
import { badFormat, CryptoError } from "./errors";
import { parseWrappedKey, recordKeyContext, serializeWrappedKey, unwrapKey, wrapKey } from "./keywrap";

/** The only key bundle format version this build reads and writes. */
export const KEY_BUNDLE_VERSION = 1;
// CIDs are not interpreted here (the gateway parses them); this only keeps junk and huge strings out.
const MAX_CID_LENGTH = 256;
const CID_PATTERN = /^[\x21-\x7e]+$/;

/** One record's data key, wrapped for the grantee. */
export interface KeyBundleEntry {
  /** Content id of the record's envelope. */
  cid: string;
  /** 16-byte record id, `0x` hex. */
  recordId: string;
  /** Record category (0..255). */
  category: number;
  /** Serialized WrappedKey, `0x` hex, wrapped with context `recordKeyContext(recordId, patient)`. */
  wrappedKey: string;
}

/** The data keys a patient hands to one grantee with a grant. */
export interface KeyBundle {
  version: 1;
  /** Patient address, `0x` lower-case. */
  patient: string;
  /** Grantee address, `0x` lower-case. */
  grantee: string;
  entries: KeyBundleEntry[];
}

/** One record to put in a bundle, with its data key in the clear (the patient's client has it). */
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
  /** The grantee's X25519 public key (from the provider registry or key directory). */
  granteePublicKey: Uint8Array;
  records: KeyBundleRecord[];
}

/**
 * Wraps each record's data key for the grantee, bound to the record id and patient, so an entry cannot be
 * reused for another record or moved into another patient's bundle.
 */
export function buildKeyBundle(params: BuildKeyBundleParams): KeyBundle {
  const patient = normalizeAddress(params.patient);
  const grantee = normalizeAddress(params.grantee);
  if (!Array.isArray(params.records)) throw badFormat("records must be an array");
  const entries = params.records.map((record): KeyBundleEntry => {
    checkCid(record.cid);
    checkCategory(record.category);
    if (!isBytes(record.recordId) || record.recordId.length !== 16) {
      throw badFormat(`recordId of ${record.cid} must be 16 bytes`);
    }
    const wrapped = wrapKey(record.dataKey, params.granteePublicKey, recordKeyContext(record.recordId, patient));
    return {
      cid: record.cid,
      recordId: bytesToHex(record.recordId),
      category: record.category,
      wrappedKey: bytesToHex(serializeWrappedKey(wrapped)),
    };
  });
  const bundle: KeyBundle = { version: KEY_BUNDLE_VERSION, patient, grantee, entries };
  checkBundle(bundle);
  return bundle;
}

/**
 * Canonical JSON (keys sorted, no whitespace) as UTF-8, so one bundle always has one encoding and thus one
 * CID. Entry order is kept as given.
 */
export function encodeKeyBundle(bundle: KeyBundle): Uint8Array {
  checkBundle(bundle);
  const canonical = {
    entries: bundle.entries.map((e) => ({
      category: e.category,
      cid: e.cid,
      recordId: e.recordId.toLowerCase(),
      wrappedKey: e.wrappedKey.toLowerCase(),
    })),
    grantee: normalizeAddress(bundle.grantee),
    patient: normalizeAddress(bundle.patient),
    version: bundle.version,
  };
  return utf8(JSON.stringify(canonical));
}

/**
 * Parses and validates a bundle fetched from IPFS. Throws `BAD_FORMAT` for anything that is not exactly a
 * v1 bundle (bad UTF-8 or JSON, missing or extra fields, bad addresses, hex or wrapped keys, duplicate
 * CIDs) and `UNSUPPORTED_VERSION` for another version.
 */
export function decodeKeyBundle(bytes: Uint8Array): KeyBundle {
  if (!isBytes(bytes)) throw badFormat("key bundle must be a Uint8Array");
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    if (cause instanceof CryptoError) throw cause;
    throw badFormat("key bundle is not valid JSON", cause);
  }
  const root = asRecord(value, "key bundle", ["version", "patient", "grantee", "entries"]);
  if (root.version !== KEY_BUNDLE_VERSION) {
    if (typeof root.version === "number") {
      throw new CryptoError("UNSUPPORTED_VERSION", `key bundle version ${root.version} is not supported (expected 1)`);
    }
    throw badFormat("key bundle version must be the number 1");
  }
  if (!Array.isArray(root.entries)) throw badFormat("key bundle entries must be an array");
  const bundle: KeyBundle = {
    version: KEY_BUNDLE_VERSION,
    patient: normalizeAddress(asString(root.patient, "patient")),
    grantee: normalizeAddress(asString(root.grantee, "grantee")),
    entries: root.entries.map((raw: unknown, i: number): KeyBundleEntry => {
      const entry = asRecord(raw, `entry ${i}`, ["cid", "recordId", "category", "wrappedKey"]);
      return {
        cid: asString(entry.cid, `entry ${i} cid`),
        recordId: asString(entry.recordId, `entry ${i} recordId`).toLowerCase(),
        category: entry.category as number,
        wrappedKey: asString(entry.wrappedKey, `entry ${i} wrappedKey`).toLowerCase(),
      };
    }),
  };
  checkBundle(bundle);
  return bundle;
}

/**
 * The data key of record `cid` from a bundle, unwrapped with the grantee's X25519 private key. Throws
 * `NOT_IN_BUNDLE` if the bundle has no entry for `cid`, `WRONG_KEY` if the key is not the grantee's or the
 * entry was altered.
 */
export function unwrapFromBundle(bundle: KeyBundle, cid: string, granteePrivateKey: Uint8Array): Uint8Array {
  const entry = bundle.entries.find((e) => e.cid === cid);
  if (entry === undefined) {
    throw new CryptoError("NOT_IN_BUNDLE", `the key bundle for ${bundle.grantee} holds no key for record ${cid}`);
  }
  const wrapped = parseWrappedKey(hexToBytes(entry.wrappedKey));
  return unwrapKey(wrapped, granteePrivateKey, recordKeyContext(hexToBytes(entry.recordId), bundle.patient));
}

function checkBundle(bundle: KeyBundle): void {
  if (typeof bundle !== "object" || bundle === null) throw badFormat("key bundle must be an object");
  if (bundle.version !== KEY_BUNDLE_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `key bundle version ${String(bundle.version)} is not supported`);
  }
  normalizeAddress(bundle.patient);
  normalizeAddress(bundle.grantee);
  if (!Array.isArray(bundle.entries)) throw badFormat("key bundle entries must be an array");
  const seen = new Set<string>();
  for (const entry of bundle.entries) {
    checkCid(entry.cid);
    // Two keys for one CID would make unwrapFromBundle's answer depend on entry order.
    if (seen.has(entry.cid)) throw badFormat(`key bundle lists record ${entry.cid} twice`);
    seen.add(entry.cid);
    checkCategory(entry.category);
    if (!/^0x[0-9a-fA-F]{32}$/.test(entry.recordId)) {
      throw badFormat(`recordId of ${entry.cid} must be 0x + 32 hex digits`);
    }
    if (typeof entry.wrappedKey !== "string") throw badFormat(`wrappedKey of ${entry.cid} must be a hex string`);
    parseWrappedKey(hexToBytes(entry.wrappedKey));
  }
}

function checkCid(cid: unknown): asserts cid is string {
  if (typeof cid !== "string") throw badFormat(`cid must be a string, not ${JSON.stringify(cid)}`);
  if (cid.length === 0 || cid.length > MAX_CID_LENGTH || !CID_PATTERN.test(cid)) {
    throw new CryptoError("BAD_CID", `not a usable CID: ${JSON.stringify(cid)}`);
  }
}

function checkCategory(category: unknown): void {
  if (typeof category !== "number" || !Number.isInteger(category) || category < 0 || category > 255) {
    throw badFormat(`category ${JSON.stringify(category)} is not an integer in 0..255`);
  }
}

function asRecord(value: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badFormat(`${what} must be an object`);
  const record = value as Record<string, unknown>;
  // Unknown fields are refused: a v1 reader must not silently drop data a later version relies on.
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) throw badFormat(`${what} has an unexpected field "${key}"`);
  }
  for (const key of keys) {
    if (!(key in record)) throw badFormat(`${what} is missing "${key}"`);
  }
  return record;
}

function asString(value: unknown, what: string): string {
  if (typeof value !== "string") throw badFormat(`${what} must be a string`);
  return value;
}
