import { GatewayError } from "../../lib/client";

/** "200" when the call succeeds, "<status> <code>" when the gateway refuses it; anything else is rethrown. */
export async function statusOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "200";
  } catch (err) {
    if (err instanceof GatewayError) return `${err.status} ${err.code}`;
    throw err;
  }
}

/** The gateway's refusal of a call; fails the test when the call succeeds or fails otherwise. */
export async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected the gateway to refuse");
}
