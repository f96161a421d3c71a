import { statusOf, type ApiErrorCode } from "../lib/api/errors";

export type { ApiErrorCode } from "../lib/api/errors";
export { statusOf } from "../lib/api/errors";

/** Codes of a moment's unavailability: worth retrying a second later. */
const RETRY_SOON: ReadonlySet<ApiErrorCode> = new Set(["BUSY", "CHAIN_UNAVAILABLE", "STORE_UNAVAILABLE"]);

/** An error meant for the client: a stable code, an HTTP status derived from it, and a message naming the problem. */
export class ApiError extends Error {
  readonly status: number;
  /**
   * Seconds after which the same request may succeed, sent as `Retry-After` (a 429 or 503 that will pass): 1 for a
   * gateway that is busy or cannot reach its chain or store, unless the thrower knows better ({@link retryAfter}).
   */
  retryAfterSeconds?: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = statusOf(code);
    if (RETRY_SOON.has(code)) this.retryAfterSeconds = 1;
  }

  /** This error, answered with `Retry-After: seconds` (at least 1). */
  retryAfter(seconds: number): this {
    this.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
    return this;
  }
}
