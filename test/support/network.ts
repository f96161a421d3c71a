import path from "node:path";
import type { Server } from "node:http";
import type { Socket } from "node:net";
import { createServer } from "node:net";
import pino from "pino";
import { parseConfig, type GatewayConfigInput } from "../../server/config";
import { closeGateway, listen, openGateway, type Gateway } from "../../server/gateway";
import { demoWallet } from "../../scripts/seed";
import { freePort } from "./processes";
import { startChain, type TestChain } from "./stack";

/** The emergency escrow secret the gateways of the test ledger share (as ESCROW_KEY_SEED). */
export const TEST_ESCROW_SEED = "0x" + "42".repeat(32);

/** One organization's gateway in a test network, on a fixed port so that its peers can name it before it starts. */
export interface NetworkGateway {
  name: string;
  url: string;
  gateway: Gateway;
  /** Stops answering: its port refuses connections, as a stopped gateway's does (its engines stay open). */
  down(): Promise<void>;
  /** Its port accepts connections and never answers: a gateway that hangs. */
  hang(): Promise<void>;
  /** Serves again on the same port (after `down` or `hang`). */
  up(): Promise<void>;
}

/** A ledger shared by organizations, each with its own gateway, data folder, store, disclosure log and relayer. */
export interface TestNetwork {
  chain: TestChain;
  organizations: NetworkGateway[];
  close(): Promise<void>;
}

/** An organization of {@link startNetwork}: its name, its relayer (a demo account index) and settings of its own. */
export interface OrganizationSpec {
  name: string;
  relayer: number;
  config?: Partial<GatewayConfigInput>;
}

/**
 * Starts one chain (Hardhat's in-process chain served over JSON-RPC, deployed and seeded, every relayer given
 * GATEWAY_ROLE) and one in-process gateway per organization, each naming all the others in PEER_GATEWAYS: content
 * kept at any is reachable from all, over real HTTP between real stores.
 */
export async function startNetwork(specs: OrganizationSpec[]): Promise<TestNetwork> {
  const chain = await startChain({ gateways: specs.map((s) => s.relayer) });
  const ports: number[] = [];
  for (let i = 0; i < specs.length; i++) ports.push(await freePort());
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const organizations: NetworkGateway[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      const config = parseConfig({
        chainRpcUrl: chain.rpcUrl,
        deploymentsDir: chain.deploymentsDir,
        dataDir: path.join(chain.dir, `organization-${i}`),
        port: ports[i],
        organizationName: spec.name,
        relayerKey: demoWallet(spec.relayer, chain.provider).privateKey,
        escrowKeySeed: TEST_ESCROW_SEED,
        peerGateways: urls.filter((_, j) => j !== i).join(","),
        logLevel: "silent",
        ...spec.config,
      });
      organizations.push(await serveOrganization(spec.name, await openGateway(config, pino({ level: "silent" }))));
    }
  } catch (err) {
    await closeAll(organizations, chain);
    throw err;
  }
  return { chain, organizations, close: () => closeAll(organizations, chain) };
}

async function closeAll(organizations: NetworkGateway[], chain: TestChain): Promise<void> {
  for (const o of organizations) {
    await o.down();
    await closeGateway(o.gateway);
  }
  await chain.close();
}

async function serveOrganization(name: string, gateway: Gateway): Promise<NetworkGateway> {
  let serving: { close(): Promise<void> } | undefined;
  const stop = async (): Promise<void> => {
    await serving?.close();
    serving = undefined;
  };
  const up = async (): Promise<void> => {
    await stop();
    const { server } = await listen(gateway);
    serving = { close: () => closeServer(server) };
  };
  await up();
  const { host, port } = gateway.services.config;
  return {
    name,
    url: `http://${host}:${port}`,
    gateway,
    down: stop,
    async hang() {
      await stop();
      serving = await silentListener(host, port);
    },
    up,
  };
}

function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

/** A TCP listener on host:port that accepts connections and never answers. */
async function silentListener(host: string, port: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
