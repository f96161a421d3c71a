/** Checks of the small integer fields that keys and envelopes bind: record category and category key version. */
import { badFormat } from "./errors";

/** Largest category key version: it is a u32 in envelopes and key contexts. */
export const MAX_KEY_VERSION = 0xffff_ffff;

/** Throws `BAD_FORMAT` unless `value` is an integer category in 0..255 (a u8; the contracts use 0..12). */
export function assertCategory(value: unknown, what = "category"): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 255) {
    throw badFormat(`${what} ${JSON.stringify(value)} is not an integer in 0..255`);
  }
}

/** Throws `BAD_FORMAT` unless `value` is an integer key version in 0..{@link MAX_KEY_VERSION}. */
export function assertKeyVersion(value: unknown, what = "keyVersion"): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_KEY_VERSION) {
    throw badFormat(`${what} ${JSON.stringify(value)} is not an integer in 0..${MAX_KEY_VERSION}`);
  }
}

/** `value` as 4 big-endian bytes (after {@link assertKeyVersion}). */
export function u32Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}
