import { Contract, type Signer } from "ethers";
import type { ConsentLedger } from "../../typechain-types";
import type { EncryptionKeyPair } from "../crypto";
import type { ChainReader } from "./chainReader";
import { ClientError } from "./errors";
import type { GatewayClient, ServedDeployment, WalletSigner } from "./gatewayClient";

/** A signed-in wallet with its derived encryption keys: what every action runs as. */
export interface ActorContext {
  client: GatewayClient;
  signer: WalletSigner;
  address: string;
  keys: EncryptionKeyPair;
  /** The deployment the actor trusts (pin it from a deployments file where the gateway is not trusted). */
  deployment: ServedDeployment;
  /** The ledger read over a chain connection: keys, digests and grants are taken from here, not from the gateway. */
  chain: ChainReader;
  /**
   * The same wallet connected to the chain, for the few actions a wallet sends itself (a provider's request or
   * break-glass, a patient's emergency policy or guardian). Everything else is signed and relayed by the gateway.
   */
  chainSigner?: Signer;
  /** Key bundles already fetched and verified, by digest (a bundle is immutable: fetched once per grant). */
  bundleCache?: Map<string, Uint8Array>;
  /**
   * The listed grant (its key bundle digest and transaction) behind each on-chain grant this actor holds, keyed by
   * the grant's on-chain terms: a new grant from the same patient changes them, so a stale entry is never used.
   */
  grantCache?: Map<string, { keyBundle: string; grantedInTx: string }>;
}

/** ConsentLedger bound to the actor's chain signer, built from the deployment's ABI (no bytecode in the browser bundle). */
export function ledgerContract(ctx: ActorContext): ConsentLedger {
  if (ctx.chainSigner === undefined) {
    throw new ClientError("WRONG_CHAIN", "This action sends a transaction from your wallet, which is not connected to the chain.");
  }
  const { address, abi } = ctx.deployment.contracts.ConsentLedger;
  return new Contract(address, abi as never, ctx.chainSigner) as unknown as ConsentLedger;
}

/**
 * Sends one ConsentLedger transaction from the actor's own wallet. It is simulated first so a refusal comes back as
 * the contract's custom error (e.g. ConsentLedgerNotEmergencyProvider) instead of an opaque estimateGas failure.
 */
export async function sendLedgerTransaction<M extends keyof ConsentLedger & string>(
  ctx: ActorContext,
  method: M,
  args: ConsentLedger[M] extends { staticCall(...a: infer A): unknown } ? A : never,
): Promise<string> {
  const fn = ledgerContract(ctx).getFunction(method);
  await fn.staticCall(...(args as unknown[]));
  const tx = (await fn(...(args as unknown[]))) as { hash: string; wait(): Promise<unknown> };
  await tx.wait();
  return tx.hash;
}
