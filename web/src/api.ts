import { GatewayClient, GatewayError } from "../../lib/client/gatewayClient";
import { CryptoError } from "../../lib/crypto/errors";

/** A fresh client for the gateway that served this page (same origin, so no CORS). */
export function newGatewayClient(): GatewayClient {
  return new GatewayClient(window.location.origin);
}

/** Words for any failure, for showing to a person: gateway errors keep their message, crypto errors say what broke. */
export function describeError(err: unknown): string {
  if (err instanceof GatewayError) return err.message;
  if (err instanceof CryptoError) return `The record could not be decrypted (${err.code}): ${err.message}`;
  const e = err as { shortMessage?: string; message?: string; code?: string | number };
  if (e?.code === "ACTION_REJECTED" || e?.code === 4001) return "You declined the request in your wallet.";
  return e?.shortMessage ?? e?.message ?? String(err);
}
