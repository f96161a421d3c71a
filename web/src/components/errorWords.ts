import type { ApiErrorCode } from "../../../lib/api/errors";
import type { ClientErrorCode } from "../../../lib/client";

/**
 * Sentences for the SDK's error codes, for the codes whose raw message names addresses, digests or millisecond
 * timestamps (useful in a log, not to a clinician). One table, so every panel says the same thing for the same
 * failure. Codes not listed keep their message, which already says what to fix (e.g. a form field).
 */
export const ERROR_WORDS: Partial<Record<ApiErrorCode | ClientErrorCode, string>> = {
  UNAUTHENTICATED: "You are not signed in to the gateway. Sign in again with your wallet.",
  SESSION_EXPIRED: "Your session ended. Sign in again with your wallet.",
  BAD_SIGNATURE: "Your wallet's signature was not accepted. Try again; if it repeats, sign out and in again.",
  NONCE_INVALID: "That signature was already used or is out of date. Try the action again.",
  ACCESS_DENIED:
    "The gateway refused: you hold no live grant from this patient that covers this (it may have been revoked or expired), or no emergency window is open.",
  FORBIDDEN: "Your account is not allowed to do this.",
  RECORD_NOT_FOUND: "That record is not in the patient's vault as you can see it.",
  CONTENT_NOT_FOUND: "The gateway's store does not hold that content. Try again later or ask the patient to share it again.",
  RATE_LIMITED: "Too many requests in a short time. Wait a moment and try again.",
  RELAY_BUDGET_EXCEEDED: "The gateway has relayed its hourly share of transactions for you. Try again within the hour.",
  QUOTA_EXCEEDED: "The vault's storage quota is used up.",
  BUSY: "The gateway is busy. Try again in a moment.",
  CHAIN_UNAVAILABLE: "The chain could not be reached through the gateway. Try again in a moment.",
  STORE_UNAVAILABLE: "The record store could not be reached. Try again in a moment.",
  ESCROW_UNAVAILABLE: "The emergency key service is not available right now. Try again in a moment.",
  INTERNAL: "The gateway failed unexpectedly. Try again; if it repeats, tell the gateway's operator.",
  GATEWAY_UNREACHABLE: "The gateway could not be reached. Check the connection and try again.",
  BAD_RESPONSE: "The gateway answered something unexpected. Try again; if it repeats, tell the gateway's operator.",
  INTEGRITY: "What the gateway served does not match what the ledger records, so it was not opened. Tell the gateway's operator.",
  NO_ENCRYPTION_KEY: "This account has not published an encryption key on the ledger yet, so nothing can be shared with it.",
  NO_LIVE_GRANT:
    "You hold no live grant from this patient that covers this record: it was revoked, it expired, or it never covered this kind of record.",
  NO_WRITE_ACCESS: "Your grant from this patient does not let you add this kind of record. Ask them for write access to it.",
  NOT_IN_BUNDLE:
    "The key the patient shared with you does not open this record (it was added after your grant ended, or in another category).",
  WRONG_CHAIN: "Your wallet is connected to another network than the ledger's. Switch networks in your wallet.",
  NOT_A_PHARMACY: "That account is not an active pharmacy in the provider registry. Choose a verified pharmacy.",
  NOT_IN_VAULT: "That prescription is not in the patient's vault as you can see it (or your access to Medications ended).",
};

/** Shortens any full address left in a message ("0x7099…79C8"): names belong in the text, addresses in a tooltip. */
export function withoutLongIds(message: string): string {
  return message
    .replace(/0x[0-9a-fA-F]{40}\b/g, (a) => `${a.slice(0, 6)}…${a.slice(-4)}`)
    .replace(/0x[0-9a-fA-F]{64}\b/g, (h) => `${h.slice(0, 10)}…`);
}
