import { concatBytes, CryptoError, type CryptoErrorCode } from "../../lib/crypto";
import { ContentIdError, type ContentIdErrorCode } from "../../lib/ids";
import { expectCodedError, expectCodedErrorAsync } from "../support/codedErrors";

/** Asserts that `fn` throws a CryptoError with `code`, and returns it for further checks. */
export function expectCryptoError(fn: () => unknown, code: CryptoErrorCode): CryptoError {
  return expectCodedError(CryptoError, fn, [code]);
}

/** Async twin of {@link expectCryptoError}. */
export function expectCryptoErrorAsync(run: () => Promise<unknown>, code: CryptoErrorCode): Promise<CryptoError> {
  return expectCodedErrorAsync(CryptoError, run, [code]);
}

/** Drains an async iterable into one buffer. */
export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return concatBytes(...parts);
}

/** Yields `bytes` in pieces whose sizes cycle through `sizes`, asynchronously, like a network stream. */
export async function* inPieces(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]);
    yield bytes.slice(offset, offset + size);
    offset += size;
  }
}

/**
 * Deterministic pseudo-random bytes (xorshift32): fast for megabytes, and reproducible so a failing
 * property run can be replayed from its seed.
 */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

/** Asserts that `fn` throws a ContentIdError with `code`, and returns it for further checks. */
export function expectContentIdError(fn: () => unknown, code: ContentIdErrorCode): ContentIdError {
  return expectCodedError(ContentIdError, fn, [code]);
}

/** Async twin of {@link expectContentIdError}. */
export function expectContentIdErrorAsync(run: () => Promise<unknown>, code: ContentIdErrorCode): Promise<ContentIdError> {
  return expectCodedErrorAsync(ContentIdError, run, [code]);
}
