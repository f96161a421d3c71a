import { connectActor } from "../../lib/client/connect";
import type { ActorContext } from "../../lib/client/actorContext";
import { publishKeys } from "../../lib/client/keyActions";
import { demoWallet } from "../../scripts/seed";
import type { TestStack } from "./stack";

/**
 * Signs a demo account (by index) in to the stack's gateway and derives its encryption keys, as the web app does;
 * the actor reads the ledger over the chain's own JSON-RPC (not through the gateway) to check what it is served.
 */
export async function signedInActor(stack: Pick<TestStack, "url" | "provider">, index: number): Promise<ActorContext> {
  return connectActor({ gatewayUrl: stack.url, signer: demoWallet(index, stack.provider) });
}

/** A signed-in actor whose encryption key and key directory are on the ledger (what the app does at first sign-in). */
export async function readyActor(stack: Pick<TestStack, "url" | "provider">, index: number): Promise<ActorContext> {
  const actor = await signedInActor(stack, index);
  await publishKeys(actor);
  return actor;
}
