import type { Signer } from "ethers";
import { deriveEncryptionKeyPair } from "../../../lib/crypto/walletKeys";
import { ChainReader, publishKeys, type ActorContext } from "../../../lib/client";
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
 * to sign the same fixed message twice; identical signatures prove it signs deterministically), then the public key
 * and key directory are published on the ledger (when missing) so others can share with them.
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
  if (chainSigner.provider === null) throw new Error("The wallet has no chain connection.");
  const ctx: ActorContext = {
    client,
    signer,
    address,
    keys,
    deployment,
    chainSigner,
    chain: new ChainReader(chainSigner.provider, deployment),
  };
  onStep("publishing your encryption key");
  await publishKeys(ctx); // sends only what the ledger does not already hold
  return ctx;
}
