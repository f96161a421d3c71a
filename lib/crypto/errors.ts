import { CodedError } from "../errors/codedError";

/**
 * Stable machine-readable reasons a crypto operation failed. Callers (HTTP layer, UI) switch on these,
 * never on message text, so codes are only ever added, not renamed.
 *
 * - `TAMPERED`: authenticated data failed to verify after the key was shown to be right (a later chunk,
 *   reordered or spliced chunks, data after the final chunk).
 * - `WRONG_KEY`: the key does not open the data. Poly1305 cannot tell a wrong key from altered bytes,
 *   so for envelopes this means "the first chunk did not verify" (see `openRecord`).
 * - `TRUNCATED`: the data ends before its final chunk.
 * - `UNSUPPORTED_VERSION`: a format version this build does not know.
 * - `BAD_FORMAT`: bytes or arguments that are not the expected shape (bad magic, wrong lengths, bad JSON).
 * - `NONDETERMINISTIC_WALLET`: the wallet signed the same key request twice with different signatures.
 * - `SIGNER_MISMATCH`: the key-request signature was not made by the account it claims to be for.
 * - `NOT_IN_BUNDLE`: a key bundle holds no key for the record: not its category at its key version (e.g. the
 *   patient rotated the key after the bundle was issued), no entry for it, or the bundle is another patient's.
 * - `BAD_CID`: a content identifier in a key bundle is not the canonical CID (see `lib/ids/cid.ts`).
 */
export type CryptoErrorCode =
  | "TAMPERED"
  | "WRONG_KEY"
  | "TRUNCATED"
  | "UNSUPPORTED_VERSION"
  | "BAD_FORMAT"
  | "NONDETERMINISTIC_WALLET"
  | "SIGNER_MISMATCH"
  | "NOT_IN_BUNDLE"
  | "BAD_CID";

/** Every failure of the crypto library; `code` is stable, `message` says what was wrong and what to do. */
export class CryptoError extends CodedError<CryptoErrorCode> {
  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super("CryptoError", code, message, options);
  }
}

/** Shorthand for `new CryptoError("BAD_FORMAT", message)`; malformed input is the most common failure. */
export function badFormat(message: string, cause?: unknown): CryptoError {
  return new CryptoError("BAD_FORMAT", message, cause === undefined ? undefined : { cause });
}
