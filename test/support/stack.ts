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
import { demoWallet, seedDemo } from "../../scripts/seed";
import type { Deployment } from "../../lib/deployment/deployment";

/** A whole system for one test: Hardhat's chain served over JSON-RPC, deployed and seeded, plus a listening gateway. */
export interface TestStack {
  url: string;
  rpcUrl: string;
  provider: JsonRpcProvider;
  deployment: Deployment;
  gateway: Gateway;
  dataDir: string;
  /** Stops serving the chain's JSON-RPC (the in-process chain keeps its state): the gateway now sees it as down. */
  stopChain(): Promise<void>;
  /** Stops the gateway and the chain server and deletes the temp folder. */
  close(): Promise<void>;
}

/**
 * Starts the stack the way `npm start` does, but on free ports and in a temp folder. The gateway reaches the chain
 * only through its JSON-RPC URL, exactly as it would reach Besu or Geth.
 */
export async function startStack(overrides: Partial<GatewayConfigInput> = {}): Promise<TestStack> {
  const chainServer = (await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port: 0, provider: hre.network.provider })) as {
    listen(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  };
  const { port } = await chainServer.listen();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const provider = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1 });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-"));
  const deploymentsDir = path.join(dataDir, "deployments");
  const operator = demoWallet(0, provider);
  const deployment = await deployAll(operator, { deploymentsDir, gateways: [operator.address] });
  await seedDemo(deployment, provider);
  const config = parseConfig({
    chainRpcUrl: rpcUrl,
    dataDir: path.join(dataDir, "gateway"),
    deploymentsDir,
    port: 0,
    relayerKey: operator.privateKey,
    logLevel: "silent",
    ...overrides,
  });
  const gateway = await openGateway(config, pino({ level: "silent" }));
  const { server, url } = await listen(gateway);
  let chainStopped = false;
  return {
    url,
    rpcUrl,
    provider,
    deployment,
    gateway,
    dataDir,
    async stopChain() {
      if (chainStopped) return;
      chainStopped = true;
      await chainServer.close();
    },
    async close() {
      await closeServer(server);
      await closeGateway(gateway);
      provider.destroy();
      if (!chainStopped) await chainServer.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
