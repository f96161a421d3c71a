import type { ApiErrorCode } from "../api/errors";

/**
 * An error the gateway answered with: its HTTP status and stable code (one of the codes in `lib/api/errors.ts`), the
 * message, and for some codes the field or reason it names. Only ever built from a real answer of the gateway.
 */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: { field?: string; reason?: string; contractError?: string } = {},
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

/** Codes of failures found by the client itself, never sent by the gateway. */
export type ClientErrorCode =
  /** The gateway could not be reached at all. */
  | "GATEWAY_UNREACHABLE"
  /** The gateway answered something that is not what its API declares. */
  | "BAD_RESPONSE"
  /** Bytes did not match their content address, or a key bundle its on-chain digest: the gateway served something else. */
  | "INTEGRITY"
  /** An account has published no encryption key (or key directory) on the ledger. */
  | "NO_ENCRYPTION_KEY"
  /** The reader holds no live grant covering what it asked for (known from the chain before asking for ciphertext). */
  | "NO_LIVE_GRANT"
  /** The reader's grant does not let it add records of that category. */
  | "NO_WRITE_ACCESS"
  /** The key bundle has no key for the record's category and key version (e.g. the grant ended before it was added). */
  | "NOT_IN_BUNDLE"
  /** The wallet is connected to another chain than the gateway's ledger. */
  | "WRONG_CHAIN"
  /** The gateway signs people in under another origin (its PUBLIC_ORIGIN) than the URL the client was given. */
  | "WRONG_ORIGIN"
  /** A prescription was to be routed to an account the provider registry does not list as an active pharmacy. */
  | "NOT_A_PHARMACY"
  /** The record named is not among the patient's records the caller can see (wrong CID, or no grant covers it). */
  | "NOT_IN_VAULT";

/** A failure the client found itself (see {@link ClientErrorCode}); carries no HTTP status because none was answered. */
export class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ClientError";
  }
}

/** True when `err` is a GatewayError or ClientError with this code. */
export function hasCode(err: unknown, code: ApiErrorCode | ClientErrorCode): boolean {
  return (err instanceof GatewayError || err instanceof ClientError) && err.code === code;
}
