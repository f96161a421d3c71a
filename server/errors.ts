import { statusOf, type ApiErrorCode } from "../lib/api/errors";

export type { ApiErrorCode } from "../lib/api/errors";
export { statusOf } from "../lib/api/errors";

/** An error meant for the client: a stable code, an HTTP status derived from it, and a message naming the problem. */
export class ApiError extends Error {
  readonly status: number;
  /** Seconds after which the same request may succeed, sent as `Retry-After` (a 429 or 503 that will pass). */
  retryAfterSeconds?: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = statusOf(code);
  }

  /** This error, answered with `Retry-After: seconds` (at least 1). */
  retryAfter(seconds: number): this {
    this.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
    return this;
  }
}
