import { statusOf, type ApiErrorCode } from "../lib/api/errors";

export type { ApiErrorCode } from "../lib/api/errors";
export { statusOf } from "../lib/api/errors";

/** An error meant for the client: a stable code, an HTTP status derived from it, and a message naming the problem. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = statusOf(code);
  }
}
