import { CodedError } from "../errors/codedError";

/**
 * Stable reasons an audit operation failed; the CLI maps them to exit codes and the gateway to HTTP statuses.
 * Codes are only ever added, never renamed.
 *
 * - `BAD_ADDRESS`: an argument is not an Ethereum address (or has a wrong EIP-55 checksum).
 * - `BAD_DATE`: an argument is not an ISO 8601 date or date-time, or a range ends before it starts.
 * - `BAD_ARGUMENT`: any other malformed option (unknown format, non-numeric block, …).
 * - `NO_DEPLOYMENT`: no deployments file names the contracts for the chain that answered.
 * - `CHAIN_UNAVAILABLE`: the JSON-RPC endpoint did not answer, or answered with an error we cannot page around.
 * - `BAD_LOG`: a disclosure log line is not a JSON object of the expected shape.
 * - `LOG_TAMPERED`: the disclosure log does not match its hash chain or the roots anchored on-chain.
 * - `AMBIGUOUS_GATEWAY`: several gateways anchored roots and none was named.
 */
export type AuditErrorCode =
  "BAD_ADDRESS" | "BAD_DATE" | "BAD_ARGUMENT" | "NO_DEPLOYMENT" | "CHAIN_UNAVAILABLE" | "BAD_LOG" | "LOG_TAMPERED" | "AMBIGUOUS_GATEWAY";

/** Every failure of the audit library: `code` is stable, `message` says what was wrong and what to do. */
export class AuditError extends CodedError<AuditErrorCode> {
  constructor(code: AuditErrorCode, message: string, options?: { cause?: unknown }) {
    super("AuditError", code, message, options);
  }
}

/** True when `err` is an {@link AuditError} with one of `codes` (any code when none given). */
export function isAuditError(err: unknown, ...codes: AuditErrorCode[]): err is AuditError {
  return err instanceof AuditError && (codes.length === 0 || codes.includes(err.code));
}
