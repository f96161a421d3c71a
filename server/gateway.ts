import path from "node:path";
import type { Server } from "node:http";
import pino, { type Logger } from "pino";
import { Wallet } from "ethers";
import type { Express } from "express";
import { httpRpc } from "../lib/audit/rpc";
import { readDeployment } from "../lib/deployment/deploymentFile";
import { createApp } from "./app";
import type { GatewayConfig } from "./config";
import { ApiError } from "./errors";
import { AccessService } from "./services/access/accessService";
import { RecordHeaders } from "./services/access/recordHeaders";
import { Anchorer } from "./services/anchorer";
import { ChainService } from "./services/chain";
import { DisclosureLog } from "./services/disclosureLog";
import type { GatewayServices } from "./services/gatewayServices";
import { openIndexedLists } from "./services/lists/indexedLists";
import { LogVerifier } from "./services/logVerifier";
import { RelayBudget } from "./services/relay/relayBudget";
import { Relayer } from "./services/relay/relayer";
import { TxJournal } from "./services/relay/txJournal";
import { Roles } from "./services/roles";
import { loadEscrowKey, loadSessionSecret } from "./services/secrets";
import { SessionService } from "./services/sessions";
import { openStateDb } from "./services/state/stateDb";
import type { ContentStore } from "./services/store/contentStore";
import { EmbeddedStore } from "./services/store/embeddedStore";
import { KuboStore } from "./services/store/kuboStore";
import { NetworkedStore } from "./services/exchange/networkedStore";
import { PeerAuthenticator } from "./services/exchange/peerAuthenticator";
import { RelayerPeerCredentials } from "./services/exchange/peerCredentials";
import { Uploads } from "./services/uploads";

/** A running gateway's parts, closed together by {@link closeGateway}. */
export interface Gateway {
  app: Express;
  services: GatewayServices;
  /** Tells the gateway where it listens (sign-in checks messages against it when PUBLIC_ORIGIN is not set). */
  bound(url: string): void;
  /** Stops the background work and closes every engine. */
  close(): Promise<void>;
}

/**
 * Opens every engine an organization's gateway needs — chain, content store, disclosure log, event index, state
 * database — from a validated configuration, reconciles what a crash may have left (lost chain transactions are
 * replayed, unanchored log entries anchored), and builds the app. It does not listen.
 */
export async function openGateway(config: GatewayConfig, logger?: Logger): Promise<Gateway> {
  const log = logger ?? pino({ level: config.logLevel, redact: ["req.headers.authorization", "token", "signature"] });
  const chainId = await detectChainId(config.chainRpcUrl);
  const deployment = await readDeployment(config.deploymentsDir, chainId);
  if (deployment === undefined) {
    throw new Error(
      `No deployments/${chainId}.json in ${config.deploymentsDir}: deploy the contracts to chain ${chainId} first (see README).`,
    );
  }
  const chain = ChainService.connect({ rpcUrl: config.chainRpcUrl, deployment, logRange: config.chainLogRange });
  const state = openStateDb(config.dataDir);
  let publicOrigin = config.publicOrigin;
  const origin = (): string => publicOrigin ?? `http://${config.host}:${config.port}`;
  const { store, local } = await openStore(config, origin);
  const headers = new RecordHeaders(store);
  const journal = new TxJournal(state);
  const relayer =
    config.relayerKey === undefined
      ? undefined
      : new Relayer(
          chain,
          config.relayerKey,
          journal,
          new RelayBudget(state),
          { perAccount: config.relayGasPerAccountHour, perIp: config.relayGasPerIpHour },
          log,
        );
  const disclosures = await DisclosureLog.open(path.join(config.dataDir, "disclosures"));
  const anchorer =
    relayer === undefined
      ? undefined
      : new Anchorer(
          chain,
          disclosures,
          relayer,
          { everyEntries: config.anchorEveryEntries, intervalSeconds: config.anchorIntervalSeconds },
          log,
        );
  const { lists, alerts, feed, index } = await openIndexedLists({ config, chain, disclosures, gateway: relayer?.address, logger: log });
  const sessions = new SessionService({
    chainId,
    publicOrigin: origin,
    secret: await loadSessionSecret(config.sessionSecret, config.dataDir),
    nonceTtlSeconds: config.nonceTtlSeconds,
    sessionTtlSeconds: config.sessionTtlSeconds,
    maxClockSkewSeconds: config.clockSkewSeconds,
    db: state,
  });
  const uploads = new Uploads(
    state,
    store,
    chain,
    headers,
    { ttlSeconds: config.uploadTtlSeconds, quotaBytes: config.uploadQuotaBytes },
    log,
  );
  const escrow = loadEscrowKey(config.escrowKeySeed, chainId, deployment.contracts.ConsentLedger.address);
  if (escrow?.source === "development") log.warn("emergency escrow key derived from the public development mnemonic: local demo only");

  // Reconcile before serving: replay what the chain lost, then anchor what was logged but never anchored.
  const replayed = await journal.replay(chain.provider, log).catch((err: Error) => {
    log.warn({ err: err.message }, "could not replay journaled transactions");
    return 0;
  });
  if (replayed > 0) log.warn({ replayed }, "replayed transactions the chain had lost");
  chain.followHead();
  index.start();
  uploads.start();
  anchorer?.start();

  const services: GatewayServices = {
    config,
    logger: log,
    chain,
    rpc: httpRpc(config.chainRpcUrl),
    access: new AccessService(chain, headers),
    headers,
    roles: new Roles(chain),
    store,
    uploads,
    disclosures,
    logVerifier: new LogVerifier(
      () => disclosures.readFromDisk(),
      async () => (anchorer === undefined ? [] : anchorer.anchoredRoots()),
    ),
    anchorer,
    lists,
    alerts,
    feed,
    sessions,
    relayer: () => {
      if (relayer === undefined)
        throw new ApiError("FORBIDDEN", "This gateway has no relayer key; submit the transaction from your wallet.");
      return relayer;
    },
    relayerAddress: relayer?.address,
    journal,
    escrow,
    state,
  };
  const roles = services.roles;
  // Other organizations' gateways fetch this one's blocks by CID; only gateways the registry lists (GATEWAY_ROLE).
  const exchange =
    local === undefined
      ? undefined
      : {
          blocks: local,
          authenticator: new PeerAuthenticator({
            audience: origin(),
            isMember: (address) => roles.of(address).then((r) => r.gateway),
            membershipTtlMs: config.peerMembershipTtlMs,
          }),
        };
  const app = createApp(services, exchange);
  return {
    app,
    services,
    bound(url: string) {
      publicOrigin ??= url;
    },
    async close() {
      await anchorer?.stop();
      await uploads.stop();
      await index.close();
      await disclosures.close();
      await store.close();
      await chain.close();
      state.close();
    },
  };
}

/** Closes the engines of a gateway (after its HTTP server, if any, has stopped). */
export async function closeGateway(gateway: Gateway): Promise<void> {
  await gateway.close();
}

/** Listens on the configured host and port; resolves with the server and its URL. */
export function listen(gateway: Gateway): Promise<{ server: Server; url: string }> {
  const { host, port } = gateway.services.config;
  return new Promise((resolve, reject) => {
    const server = gateway.app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      const address = server.address();
      const boundPort = typeof address === "object" && address !== null ? address.port : port;
      const url = `http://${host}:${boundPort}`;
      gateway.bound(url);
      resolve({ server, url });
    });
  });
}

/**
 * The content store: a Kubo node when IPFS_API_URL is set (keep it private, see kuboStore.ts), else the embedded one —
 * reading through to the member gateways in PEER_GATEWAYS when a block is not held here. `local` is the embedded
 * store itself, which this gateway serves to its peers.
 */
async function openStore(config: GatewayConfig, origin: () => string): Promise<{ store: ContentStore; local?: EmbeddedStore }> {
  if (config.ipfsApiUrl !== undefined) return { store: await KuboStore.open(config.ipfsApiUrl) };
  const local = await EmbeddedStore.open(config.storeDir ?? path.join(config.dataDir, "ipfs"));
  if (config.peerGateways.length === 0 || config.relayerKey === undefined) return { store: local, local };
  const credentials = new RelayerPeerCredentials(new Wallet(config.relayerKey), origin());
  const store = await NetworkedStore.open(local, {
    peers: config.peerGateways,
    credentials,
    requestTimeoutMs: config.peerTimeoutMs,
    deadlineMs: config.peerDeadlineMs,
  });
  return { store, local };
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
