/**
 * The gateway's error codes and the HTTP status each is answered with: one table shared by the gateway (which
 * answers with them), the OpenAPI document (which lists them per route) and the client (which branches on them).
 */
export const ERROR_STATUS = {
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
  CONFLICT: 409,
  TRANSACTION_REVERTED: 422,
  RATE_LIMITED: 429,
  RELAY_BUDGET_EXCEEDED: 429,
  QUOTA_EXCEEDED: 429,
  BUSY: 503,
  CHAIN_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
  ESCROW_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

/** A stable error code: clients branch on it, people read the message that comes with it. */
export type ApiErrorCode = keyof typeof ERROR_STATUS;

/** The HTTP status an error code is answered with. */
export function statusOf(code: ApiErrorCode): number {
  return ERROR_STATUS[code];
}

/** True when `code` is one of the gateway's error codes. */
export function isApiErrorCode(code: unknown): code is ApiErrorCode {
  return typeof code === "string" && Object.prototype.hasOwnProperty.call(ERROR_STATUS, code);
}
