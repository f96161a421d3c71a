/** Stable error codes the HTTP layer maps to a status; clients branch on `code`, people read `message`. */
export type ApiErrorCode =
  | "BAD_REQUEST"
  | "BAD_ENVELOPE"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "UNAUTHENTICATED"
  | "SESSION_EXPIRED"
  | "BAD_SIGNATURE"
  | "NONCE_INVALID"
  | "FORBIDDEN"
  | "ACCESS_DENIED"
  | "NOT_FOUND"
  | "RECORD_NOT_FOUND"
  | "CONTENT_NOT_FOUND"
  | "TRANSACTION_REVERTED"
  | "RATE_LIMITED"
  | "CHAIN_UNAVAILABLE"
  | "STORE_UNAVAILABLE"
  | "INTERNAL";

const STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  BAD_ENVELOPE: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  BAD_SIGNATURE: 401,
  NONCE_INVALID: 401,
  FORBIDDEN: 403,
  ACCESS_DENIED: 403,
  NOT_FOUND: 404,
  RECORD_NOT_FOUND: 404,
  CONTENT_NOT_FOUND: 404,
  TRANSACTION_REVERTED: 422,
  RATE_LIMITED: 429,
  CHAIN_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The HTTP status an error code is answered with. */
export function statusOf(code: ApiErrorCode): number {
  return STATUS[code];
}

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
    this.status = STATUS[code];
  }
}
