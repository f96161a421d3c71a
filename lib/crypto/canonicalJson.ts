/**
 * Canonical JSON for the documents the crypto library publishes (key directories, key bundles): object keys sorted,
 * no whitespace, UTF-8. One document has exactly one encoding and so one CID, and a strict reader can refuse any
 * other spelling by re-encoding what it parsed and comparing bytes. Hand-written because it is a sorted-keys
 * `JSON.stringify`, smaller than the dependency that would do it.
 */
import { equalBytes, fromUtf8, isBytes, utf8 } from "./bytes";
import { badFormat, CryptoError } from "./errors";

/** The JSON values the documents use (no floats: every number is an integer field). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** UTF-8 bytes of `value` with object keys sorted and no whitespace. */
export function encodeCanonicalJson(value: JsonValue): Uint8Array {
  return utf8(JSON.stringify(sortKeys(value)));
}

/** Parses a JSON document; `BAD_FORMAT` on anything but a Uint8Array of valid UTF-8 JSON. `what` names it in messages. */
export function parseJsonDocument(bytes: Uint8Array, what: string): unknown {
  if (!isBytes(bytes)) throw badFormat(`${what} must be a Uint8Array`);
  try {
    return JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    if (cause instanceof CryptoError) throw cause;
    throw badFormat(`${what} is not valid JSON`, cause);
  }
}

/** Throws `BAD_FORMAT` unless `bytes` are exactly the canonical encoding of what was parsed from them. */
export function requireCanonical(bytes: Uint8Array, canonical: Uint8Array, what: string): void {
  if (!equalBytes(bytes, canonical)) {
    throw badFormat(
      `${what} is not in canonical form (keys sorted, no whitespace, addresses EIP-55, hex lower-case, lists in order); ` +
        "one document must have one encoding",
    );
  }
}

/**
 * `value` as an object with exactly `keys`: a missing or an unknown field is `BAD_FORMAT`, because a reader must
 * not silently drop data a later version relies on.
 */
export function asRecord(value: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badFormat(`${what} must be an object`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) throw badFormat(`${what} has an unexpected field "${key}"`);
  }
  for (const key of keys) {
    if (!(key in record)) throw badFormat(`${what} is missing "${key}"`);
  }
  return record;
}

/** `value` as an array, else `BAD_FORMAT`. */
export function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw badFormat(`${what} must be an array`);
  return value;
}

/** `value` as a string, else `BAD_FORMAT`. */
export function asString(value: unknown, what: string): string {
  if (typeof value !== "string") throw badFormat(`${what} must be a string`);
  return value;
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
  return sorted;
}
