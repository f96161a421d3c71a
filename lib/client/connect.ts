import { JsonRpcProvider, type Provider, type Signer } from "ethers";
import { deriveEncryptionKeyPair } from "../crypto";
import type { ActorContext } from "./actorContext";
import { ChainReader } from "./chainReader";
import { ClientError } from "./errors";
import { GatewayClient, type ServedDeployment } from "./gatewayClient";

/** How an SDK user connects a wallet to a gateway. */
export interface ConnectOptions {
  /** The gateway's URL (its origin is what the sign-in message names). */
  gatewayUrl: string;
  /** The wallet: an ethers Wallet or a BrowserProvider signer. Connected to a chain, it also sends the wallet's own transactions. */
  signer: Signer;
  /**
   * Where the client reads the ledger to check what the gateway serves (keys, digests, grants): the signer's own
   * provider by default, else this JSON-RPC URL. Pass `deployment` too when the gateway is not trusted for addresses.
   */
  chainRpcUrl?: string;
  deployment?: ServedDeployment;
  /** How HTTP requests to the gateway are sent (the global `fetch` by default): e.g. to add tracing or a proxy. */
  fetcher?: typeof fetch;
}

/**
 * Signs a wallet in to a gateway and derives its encryption keys (the same signature-based derivation the web app
 * uses): the context every action runs as.
 *
 * @example
 * const jane = await connectActor({ gatewayUrl: "http://127.0.0.1:8787", signer: wallet.connect(provider) });
 * const { records } = await jane.client.listRecords(jane.address);
 */
export async function connectActor(options: ConnectOptions): Promise<ActorContext> {
  const client = new GatewayClient(options.gatewayUrl, options.fetcher);
  const deployment = options.deployment ?? (await client.deployment());
  const provider: Provider | null =
    options.chainRpcUrl !== undefined
      ? new JsonRpcProvider(options.chainRpcUrl, deployment.chainId, { staticNetwork: true })
      : options.signer.provider;
  if (provider === null)
    throw new ClientError(
      "WRONG_CHAIN",
      "Give the wallet a chain connection or a chainRpcUrl: the client checks the gateway against the ledger.",
    );
  const address = await options.signer.getAddress();
  await client.signIn(options.signer, deployment.chainId);
  const keys = await deriveEncryptionKeyPair(address, (domain, types, message) => options.signer.signTypedData(domain, types, message));
  return {
    client,
    signer: options.signer,
    address,
    keys,
    deployment,
    chain: new ChainReader(provider, deployment),
    chainSigner: options.signer.provider !== null ? options.signer : undefined,
  };
}
