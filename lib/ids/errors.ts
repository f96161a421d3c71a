import { CodedError } from "../errors/codedError";

/**
 * Stable machine-readable reasons a content identifier or content check failed. Callers (HTTP layer, UI)
 * switch on these, never on message text, so codes are only ever added, not renamed.
 *
 * - `BAD_CID`: text or bytes that are not the one canonical CID (CIDv1, base32, raw or dag-pb, sha2-256).
 *   When the input is another spelling of an acceptable CID, the message names the canonical one.
 * - `INTEGRITY`: bytes that do not hash to the CID they were fetched under: do not use them.
 */
export type ContentIdErrorCode = "BAD_CID" | "INTEGRITY";

/** Every failure of `lib/ids`; `code` is stable, `message` says what was wrong and what to do. */
export class ContentIdError extends CodedError<ContentIdErrorCode> {
  /** For `BAD_CID` on another spelling of an acceptable CID: the canonical spelling to use instead. */
  readonly canonical?: string;

  /**
   * @param code - stable reason
   * @param message - what was wrong and, where useful, what to do
   * @param options - `canonical` spelling when one exists; `cause` keeps the underlying library error
   */
  constructor(code: ContentIdErrorCode, message: string, options?: { canonical?: string; cause?: unknown }) {
    super("ContentIdError", code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.canonical !== undefined) this.canonical = options.canonical;
  }
}

/** True when `error` is a {@link ContentIdError}, optionally with the given code. */
export function isContentIdError(error: unknown, code?: ContentIdErrorCode): error is ContentIdError {
  return error instanceof ContentIdError && (code === undefined || error.code === code);
}
