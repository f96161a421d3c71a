import { Contract, type Signer } from "ethers";
import type { ConsentLedger } from "../../typechain-types";
import type { EncryptionKeyPair } from "../crypto";
import { contractDomain } from "../consent/typedData";
import type { GatewayClient, ServedDeployment, WalletSigner } from "./gatewayClient";

/** A signed-in wallet with its derived encryption keys: what every consent action runs as. */
export interface ActorContext {
  client: GatewayClient;
  signer: WalletSigner;
  address: string;
  keys: EncryptionKeyPair;
  deployment: ServedDeployment;
  /**
   * The same wallet connected to the chain, for the few actions a wallet sends itself (a provider's request or
   * break-glass, a patient's emergency policy). Everything else is signed and relayed by the gateway.
   */
  chainSigner?: Signer;
}

/** How long a relayer has to submit a signed action, in chain seconds. */
export const SIGNATURE_LIFETIME_SECONDS = 600;

/** The ConsentLedger's EIP-712 domain on this deployment. */
export function ledgerDomain(ctx: ActorContext): object {
  return contractDomain("ConsentLedger", ctx.deployment.chainId, ctx.deployment.contracts.ConsentLedger.address);
}

/** ConsentLedger bound to the actor's chain signer, built from the served ABI (no bytecode in the browser bundle). */
export function ledgerContract(ctx: ActorContext): ConsentLedger {
  if (ctx.chainSigner === undefined)
    throw new Error("This action sends a transaction from your wallet, which is not connected to the chain.");
  const { address, abi } = ctx.deployment.contracts.ConsentLedger;
  return new Contract(address, abi as never, ctx.chainSigner) as unknown as ConsentLedger;
}

/**
 * Sends one ConsentLedger transaction from the actor's own wallet. It is simulated first so a refusal comes back
 * as the contract's custom error (e.g. ConsentLedgerNotEmergencyProvider) instead of an opaque estimateGas failure.
 */
export async function sendLedgerTransaction(ctx: ActorContext, method: string, args: unknown[]): Promise<string> {
  const fn = ledgerContract(ctx).getFunction(method);
  await fn.staticCall(...args);
  const tx = (await fn(...args)) as { hash: string; wait(): Promise<unknown> };
  await tx.wait();
  return tx.hash;
}
