import { GatewayClient, GatewayError } from "../../lib/client/gatewayClient";
import { ClientError } from "../../lib/client/errors";
import { CryptoError } from "../../lib/crypto/errors";
import { ERROR_WORDS, withoutLongIds } from "./components/errorWords";

/** The client of the session this tab opened last: its token authenticates the development wallet's chain calls. */
let latest: GatewayClient | undefined;

/** A fresh client for the gateway that served this page (same origin, so no CORS). */
export function newGatewayClient(): GatewayClient {
  latest = new GatewayClient(window.location.origin);
  return latest;
}

/** The session token of the tab's latest session, if signed in. */
export function activeSessionToken(): string | undefined {
  return latest?.sessionToken;
}

/** Words for the ledger's custom errors a person can meet from their own wallet's transactions. */
const REVERT_WORDS: Record<string, string> = {
  ConsentLedgerNotEmergencyProvider: "The provider registry does not mark you as emergency-capable, so you cannot break the glass.",
  ConsentLedgerEmergencyDisabled: "This patient has not turned on emergency access, so the glass cannot be broken for them.",
  ConsentLedgerInvalidEmergencyReason: "Choose an emergency reason (ETREAT or BTG).",
  ConsentLedgerInvalidEmergencyWindow: "The emergency window must be more than zero and at most one hour.",
  ConsentLedgerNotProvider: "Only a verified, active provider can request access.",
  ConsentLedgerInvalidPatient: "That address cannot be asked for access (it is empty or your own).",
  ConsentLedgerInvalidScope: "Choose at least one category.",
  ConsentLedgerInvalidPurpose: "Choose a purpose of use.",
  ConsentLedgerInvalidDuration: "Choose a duration of at most 365 days.",
  RecordIndexNotAuthorized: "Your grant does not let you add records of this category to this patient's vault.",
};

/** Words for any failure, for showing to a person: gateway errors keep their message, crypto errors say what broke. */
export function describeError(err: unknown): string {
  if (err instanceof GatewayError || err instanceof ClientError) return ERROR_WORDS[err.code] ?? withoutLongIds(err.message);
  if (err instanceof CryptoError) return `The record could not be decrypted (${err.code}): ${err.message}`;
  const e = err as
    { shortMessage?: string; message?: string; code?: string | number; revert?: { name?: string; args?: unknown[] } } | undefined;
  if (e?.code === "ACTION_REJECTED" || e?.code === 4001) return "You declined the request in your wallet.";
  if (e?.code === "INSUFFICIENT_FUNDS") return "Your wallet has no ether on this chain to pay for this transaction.";
  if (e?.revert?.name)
    return REVERT_WORDS[e.revert.name] ?? `The ledger refused: ${e.revert.name}(${(e.revert.args ?? []).map(String).join(", ")}).`;
  if (e?.code === "NETWORK_ERROR" || e?.code === "SERVER_ERROR")
    return "The chain could not be reached through the gateway; try again in a moment.";
  if (err instanceof SyntaxError) return `That is not valid JSON: ${err.message}`;
  return e?.shortMessage ?? e?.message ?? String(err);
}
