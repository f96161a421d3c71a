import type { Signer } from "ethers";
import { deriveEncryptionKeyPair } from "../../../lib/crypto/walletKeys";
import { publishEncryptionKey, type ActorContext } from "../../../lib/client/consentActions";
import type { ServedDeployment, WalletSigner } from "../../../lib/client/gatewayClient";
import { newGatewayClient } from "../api";

/** Steps of opening a session, for the progress line. */
export type SessionStep = "signing in" | "deriving your encryption key" | "publishing your encryption key";

/** A wallet ready to open a session: what signs messages, and the same wallet connected to the chain for its own transactions. */
export interface ConnectedWallet {
  signer: WalletSigner;
  chainSigner: Signer;
}

/**
 * Opens a session for a wallet: Sign-In with Ethereum, then the wallet-derived encryption key (the wallet is asked
 * to sign the same fixed message twice; identical signatures prove it signs deterministically), then — for anyone
 * who is not a registered provider — the public key is published on the ledger so others can share with them.
 */
export async function openSession(
  wallet: ConnectedWallet,
  deployment: ServedDeployment,
  onStep: (step: SessionStep) => void,
): Promise<ActorContext> {
  const { signer, chainSigner } = wallet;
  const client = newGatewayClient();
  const address = await signer.getAddress();
  onStep("signing in");
  await client.signIn(signer, deployment.chainId);
  onStep("deriving your encryption key");
  const keys = await deriveEncryptionKeyPair(address, (domain, types, message) => signer.signTypedData(domain, types, message));
  const ctx: ActorContext = { client, signer, address, keys, deployment, chainSigner };
  const account = await client.account(address);
  if (account.provider === null) {
    onStep("publishing your encryption key");
    await publishEncryptionKey(ctx);
  }
  return ctx;
}
