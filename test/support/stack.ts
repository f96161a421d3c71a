import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import hre from "hardhat";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import { JsonRpcProvider } from "ethers";
import pino from "pino";
import { parseConfig, type GatewayConfigInput } from "../../server/config";
import { closeGateway, listen, openGateway, type Gateway } from "../../server/gateway";
import { deployAll } from "../../scripts/deploy";
import { DEMO } from "../../lib/demo/accounts";
import { demoWallet, seedDemo } from "../../scripts/seed";
import type { Deployment } from "../../lib/deployment/deployment";

/** Demo account indexes the test stack plays: the registrar and the (first) gateway relayer. */
export const { REGISTRAR, RIVERSIDE_RELAYER: RELAYER } = DEMO;

/** A deployed, seeded chain reachable over JSON-RPC, with a temp folder for whatever runs against it. */
export interface DeployedChain {
  rpcUrl: string;
  provider: JsonRpcProvider;
  deployment: Deployment;
  deploymentsDir: string;
  /** Temp folder owned by this chain (deleted by `close`). */
  dir: string;
  close(): Promise<void>;
}

/** The chain of a gateway test stack. */
export interface TestChain extends DeployedChain {
  /** Stops serving JSON-RPC (the in-process chain keeps its state): clients now see the chain as down. */
  stopServing(): Promise<void>;
}

/** A whole system for one test: a chain plus a listening gateway. */
export interface TestStack {
  url: string;
  rpcUrl: string;
  provider: JsonRpcProvider;
  deployment: Deployment;
  gateway: Gateway;
  dataDir: string;
  /** Stops serving the chain's JSON-RPC: the gateway now sees it as down. */
  stopChain(): Promise<void>;
  /** Stops the gateway and the chain server and deletes the temp folder. */
  close(): Promise<void>;
}

/** Hardhat's in-process chain served over JSON-RPC on a free 127.0.0.1 port, as a node's URL would serve it. */
export async function serveHardhatChain(): Promise<{ rpcUrl: string; provider: JsonRpcProvider; close(): Promise<void> }> {
  const chainServer = (await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port: 0, provider: hre.network.provider })) as {
    listen(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  };
  const { port } = await chainServer.listen();
  const rpcUrl = `http://127.0.0.1:${port}`;
  return {
    rpcUrl,
    provider: new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 100 }),
    close: () => chainServer.close(),
  };
}

/**
 * Deploys the contracts on a served chain (deployments written to `dir`/deployments, by demo account 0) and seeds the
 * demo people: every test chain starts from this. `gateways` get GATEWAY_ROLE; without `registrar` the deployer is it.
 */
export async function deploySeeded(
  chain: { rpcUrl: string; provider: JsonRpcProvider },
  dir: string,
  roles: { gateways: string[]; registrar?: string },
): Promise<Omit<DeployedChain, "close">> {
  const deploymentsDir = path.join(dir, "deployments");
  const deployment = await deployAll(demoWallet(0, chain.provider), { deploymentsDir, ...roles });
  await seedDemo(deployment, chain.provider);
  return { rpcUrl: chain.rpcUrl, provider: chain.provider, deployment, deploymentsDir, dir };
}

/**
 * Serves Hardhat's in-process chain (see {@link serveHardhatChain}), deploys the contracts (giving
 * GATEWAY_ROLE to the relayers `gateways`, by default the clinic's relayer, account 7; the registrar is account 6) and
 * seeds the demo people.
 */
export async function startChain(options: { gateways?: number[] } = {}): Promise<TestChain> {
  const chainServer = await serveHardhatChain();
  const { provider } = chainServer;
  const dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-"));
  const deployed = await deploySeeded(chainServer, dir, {
    gateways: (options.gateways ?? [RELAYER]).map((i) => demoWallet(i, provider).address),
    registrar: demoWallet(REGISTRAR, provider).address,
  });
  let serving = true;
  const stopServing = async (): Promise<void> => {
    if (!serving) return;
    serving = false;
    await chainServer.close();
  };
  return {
    ...deployed,
    stopServing,
    async close() {
      provider.destroy();
      await stopServing();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the stack the way `npm start` does, but on free ports and in a temp folder. The gateway reaches the chain
 * only through its JSON-RPC URL, exactly as it would reach Besu or Geth.
 */
export async function startStack(overrides: Partial<GatewayConfigInput> = {}): Promise<TestStack> {
  const chain = await startChain();
  const config = parseConfig({
    chainRpcUrl: chain.rpcUrl,
    dataDir: path.join(chain.dir, "gateway"),
    deploymentsDir: chain.deploymentsDir,
    port: 0,
    relayerKey: demoWallet(RELAYER, chain.provider).privateKey,
    logLevel: "silent",
    ...overrides,
  });
  const gateway = await openGateway(config, pino({ level: "silent" }));
  const { server, url } = await listen(gateway);
  return {
    url,
    rpcUrl: chain.rpcUrl,
    provider: chain.provider,
    deployment: chain.deployment,
    gateway,
    dataDir: chain.dir,
    stopChain: () => chain.stopServing(),
    async close() {
      await closeServer(server);
      await closeGateway(gateway);
      await chain.close();
    },
  };
}

/**
 * A stack for the mocha suite it is called in: started before the suite (or before each test with `each`), closed
 * after it. The answer stands for the stack running now, so a suite keeps no `let stack` of its own: read it from a
 * hook or a test, and set up actors on it in a `before` (or `beforeEach`) written after this call, which mocha runs
 * once the stack has started.
 *
 * @example
 * const stack = useStack({ maxRecordBytes: 1024 });
 * before(async () => (jane = await readyActor(stack, 1)));
 */
export function useStack(overrides: Partial<GatewayConfigInput> = {}, when: "suite" | "each" = "suite"): TestStack {
  let started: TestStack | undefined;
  const [setUp, tearDown] = when === "suite" ? [before, after] : [beforeEach, afterEach];
  setUp(async function () {
    started = await startStack(overrides);
  });
  tearDown(async function () {
    await started?.close();
    started = undefined;
  });
  return new Proxy({} as TestStack, {
    get(_, key) {
      if (started === undefined)
        throw new Error(
          `The stack runs ${when === "suite" ? "from the suite's before hook" : "in each test"}: read it from a hook or a test.`,
        );
      return Reflect.get(started, key);
    },
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
