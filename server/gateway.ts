import path from "node:path";
import type { Server } from "node:http";
import pino, { type Logger } from "pino";
import type { Express } from "express";
import { createApp } from "./app";
import type { GatewayConfig } from "./config";
import { AccessDecisions } from "./services/access";
import { Anchorer } from "./services/anchorer";
import { ChainService } from "./services/chain";
import { DisclosureLog } from "./services/disclosureLog";
import { loadEscrowKey } from "./services/escrow";
import { SessionService } from "./services/sessions";
import type { ContentStore } from "./services/store/contentStore";
import { EmbeddedStore } from "./services/store/embeddedStore";
import { KuboStore } from "./services/store/kuboStore";
import type { GatewayServices } from "./services/gatewayServices";
import { readDeployment } from "../scripts/deploy";

/** A running gateway's parts, closed together by {@link closeGateway}. */
export interface Gateway {
  app: Express;
  services: GatewayServices;
}

/** Opens every engine the gateway needs (chain, store, disclosure log) from a validated configuration. */
export async function openGateway(config: GatewayConfig, logger?: Logger): Promise<Gateway> {
  const log = logger ?? pino({ level: config.logLevel, redact: ["req.headers.authorization", "token", "signature"] });
  const chainId = await detectChainId(config.chainRpcUrl);
  const deployment = await readDeployment(config.deploymentsDir, chainId);
  if (deployment === undefined) {
    throw new Error(
      `No deployments/${chainId}.json in ${config.deploymentsDir}: deploy the contracts to chain ${chainId} first (npm run deploy).`,
    );
  }
  const chain = ChainService.connect({ rpcUrl: config.chainRpcUrl, deployment, relayerKey: config.relayerKey });
  const store = await openStore(config);
  const disclosures = await DisclosureLog.open(path.join(config.dataDir, "disclosures"));
  const sessions = new SessionService({ chainId, nonceTtlSeconds: config.nonceTtlSeconds, sessionTtlSeconds: config.sessionTtlSeconds });
  const anchorer = new Anchorer(
    chain,
    disclosures,
    { everyEntries: config.anchorEveryEntries, intervalSeconds: config.anchorIntervalSeconds },
    log,
  );
  if (chain.relayer !== undefined) anchorer.start();
  const escrowAccount = chain.relayer ? await chain.relayer.getAddress() : chain.deployment.contracts.ConsentLedger.address;
  const escrow = await loadEscrowKey(escrowAccount, config.dataDir, config.escrowKeySeed);
  const services: GatewayServices = {
    config,
    chain,
    access: new AccessDecisions(chain),
    store,
    disclosures,
    anchorer,
    escrow,
    sessions,
    logger: log,
  };
  return { app: createApp(services), services };
}

/** Closes the engines of a gateway (after its HTTP server, if any, has stopped). */
export async function closeGateway(gateway: Gateway): Promise<void> {
  await gateway.services.anchorer.stop();
  await gateway.services.disclosures.close();
  await gateway.services.store.close();
  await gateway.services.chain.close();
}

/** Listens on the configured host and port; resolves with the server and its URL. */
export function listen(gateway: Gateway): Promise<{ server: Server; url: string }> {
  const { host, port } = gateway.services.config;
  return new Promise((resolve, reject) => {
    const server = gateway.app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      const address = server.address();
      const boundPort = typeof address === "object" && address !== null ? address.port : port;
      resolve({ server, url: `http://${host}:${boundPort}` });
    });
  });
}

/** The content store: a Kubo node when IPFS_API_URL is set (keep it private, see kuboStore.ts), else the embedded one. */
async function openStore(config: GatewayConfig): Promise<ContentStore> {
  if (config.ipfsApiUrl !== undefined) return KuboStore.open(config.ipfsApiUrl);
  return EmbeddedStore.open(config.storeDir ?? path.join(config.dataDir, "ipfs"));
}

async function detectChainId(rpcUrl: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(10_000),
  }).catch((err: Error) => {
    throw new Error(`The chain at ${rpcUrl} is not reachable: ${err.message}`);
  });
  const body = (await response.json()) as { result?: string };
  if (typeof body.result !== "string") throw new Error(`The chain at ${rpcUrl} did not return a chain id.`);
  return Number(BigInt(body.result));
}
