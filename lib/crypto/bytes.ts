import {
  bytesToHex as nobleBytesToHex,
  concatBytes as nobleConcatBytes,
  copyBytes as nobleCopyBytes,
  equalBytes as nobleEqualBytes,
  hexToBytes as nobleHexToBytes,
  isBytes as nobleIsBytes,
  utf8ToBytes,
} from "@noble/ciphers/utils.js";
import { badFormat } from "./errors";

/** Concatenates byte arrays into a new one (noble's implementation). */
export const concatBytes: (...arrays: Uint8Array[]) => Uint8Array = nobleConcatBytes;

/**
 * Byte equality that does not stop at the first differing byte (noble's implementation), so comparing
 * secrets or tags leaks nothing about where they differ. Different lengths still return early.
 */
export const equalBytes: (a: Uint8Array, b: Uint8Array) => boolean = nobleEqualBytes;

/**
 * A detached plain-Uint8Array copy (noble's implementation). Used instead of `.slice()`, which on a Node
 * Buffer returns a view sharing memory, not a copy.
 */
export const copyBytes: (bytes: Uint8Array) => Uint8Array = nobleCopyBytes;

/** True for any Uint8Array, including Node Buffers and arrays from another realm (iframe, worker). */
export const isBytes: (value: unknown) => value is Uint8Array = nobleIsBytes;

/** Lower-case hex with a `0x` prefix, the form used in JSON documents and on-chain. */
export function bytesToHex(bytes: Uint8Array): string {
  return "0x" + nobleBytesToHex(bytes);
}

/** Parses hex with or without `0x`, any case; throws `BAD_FORMAT` on odd length or a non-hex digit. */
export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== "string") throw badFormat(`expected a hex string, got ${typeof hex}`);
  const digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  try {
    return nobleHexToBytes(digits);
  } catch (cause) {
    throw badFormat(`not valid hex (${digits.length} digits; need an even number of 0-9a-f)`, cause);
  }
}

/** Encodes a string as UTF-8 bytes. */
export function utf8(text: string): Uint8Array {
  return utf8ToBytes(text);
}

// Fatal so that corrupted documents fail loudly instead of decoding to U+FFFD and parsing "successfully".
const strictUtf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 bytes to a string; throws `BAD_FORMAT` on invalid UTF-8 rather than substituting U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8Decoder.decode(bytes);
  } catch (cause) {
    throw badFormat("bytes are not valid UTF-8", cause);
  }
}

/** Throws `BAD_FORMAT` unless `value` is a Uint8Array of exactly `length` bytes; `what` names it in the message. */
export function assertBytes(value: unknown, length: number, what: string): asserts value is Uint8Array {
  if (!isBytes(value)) throw badFormat(`${what} must be a Uint8Array`);
  if (value.length !== length) throw badFormat(`${what} must be ${length} bytes, got ${value.length}`);
}
