import { deriveEncryptionKeyPair } from "../../lib/crypto";
import { GatewayClient } from "../../lib/client/gatewayClient";
import type { ActorContext } from "../../lib/client/consentActions";
import { demoWallet } from "../../scripts/seed";
import type { TestStack } from "./stack";

/** Signs a demo account (by index) in to the stack's gateway and derives its encryption keys, as the web app does. */
export async function signedInActor(stack: TestStack, index: number): Promise<ActorContext> {
  const wallet = demoWallet(index, stack.provider);
  const client = new GatewayClient(stack.url);
  await client.signIn(wallet, stack.deployment.chainId);
  const keys = await deriveEncryptionKeyPair(wallet.address, (d, t, m) => wallet.signTypedData(d, t, m));
  return { client, signer: wallet, chainSigner: wallet, address: wallet.address, keys, deployment: await client.deployment() };
}
