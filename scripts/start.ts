import { existsSync, statSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { spawnSync } from "node:child_process";
import hre from "hardhat";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import { JsonRpcProvider } from "ethers";
import { parseConfig } from "../server/config";
import { closeGateway, listen, openGateway } from "../server/gateway";
import { deployAll } from "./deploy";
import { demoWallet, seedDemo } from "./seed";

const ROOT = path.resolve(__dirname, "..");

/**
 * `npm start`: the whole system on one machine. Without CHAIN_RPC_URL it serves Hardhat's in-process chain over
 * JSON-RPC on 127.0.0.1, deploys the contracts and seeds synthetic demo people; then it opens the embedded IPFS
 * store and the gateway, serves the built web UI and prints one URL. Ctrl-C stops everything.
 */
async function main(): Promise<void> {
  const say = (line: string): void => console.log(`[start] ${line}`);
  let chainServer: { close(): Promise<void> } | undefined;
  let rpcUrl = process.env.CHAIN_RPC_URL || undefined;
  const dataDir = process.env.DATA_DIR || path.join(ROOT, ".data", rpcUrl ? "external" : "local");

  if (rpcUrl === undefined) {
    const port = Number(process.env.CHAIN_PORT || 8545);
    const server = (await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port, provider: hre.network.provider })) as {
      listen(): Promise<{ address: string; port: number }>;
      close(): Promise<void>;
    };
    const bound = await server.listen().catch((err: Error) => {
      throw new Error(`Could not serve the local chain on 127.0.0.1:${port} (${err.message}); set CHAIN_PORT to a free port.`);
    });
    chainServer = server;
    rpcUrl = `http://127.0.0.1:${bound.port}`;
    say(`local Hardhat chain on ${rpcUrl} (chain id 31337)`);
    // The embedded chain starts empty every time, so yesterday's store and log would describe another ledger.
    await rm(dataDir, { recursive: true, force: true });
    const provider = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1 });
    const deployment = await deployAll(demoWallet(0, provider), {
      deploymentsDir: path.join(ROOT, "deployments"),
      gateways: [demoWallet(0, provider).address],
      log: say,
    });
    await seedDemo(deployment, provider, say);
    provider.destroy();
  }

  buildWebIfStale(say);
  const config = parseConfig({
    chainRpcUrl: rpcUrl,
    ipfsApiUrl: process.env.IPFS_API_URL || undefined,
    dataDir,
    deploymentsDir: path.join(ROOT, "deployments"),
    webDir: path.join(ROOT, "web", "dist"),
    port: Number(process.env.PORT || 8787),
    relayerKey: process.env.RELAYER_PRIVATE_KEY || (chainServer ? demoWallet(0, new JsonRpcProvider()).privateKey : undefined),
    logLevel: (process.env.LOG_LEVEL as "info" | undefined) ?? "warn",
  });
  const gateway = await openGateway(config);
  const { server, url } = await listen(gateway);
  say(`gateway on ${url} (store: ${gateway.services.store.kind}, data: ${dataDir})`);
  console.log(`\n  Consent Ledger is running: ${url}\n  Press Ctrl-C to stop.\n`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeGateway(gateway);
    await chainServer?.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  await new Promise(() => undefined);
}

/** Builds the web UI when web/dist is missing or older than any source it is built from. */
function buildWebIfStale(say: (line: string) => void): void {
  const built = path.join(ROOT, "web", "dist", "index.html");
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const newest = Math.max(
    newestMtime(path.join(ROOT, "web", "src")),
    newestMtime(path.join(ROOT, "lib")),
    statSync(path.join(ROOT, "web", "index.html")).mtimeMs,
  );
  if (builtAt > newest) return;
  say("building the web UI…");
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "warn"],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
  if (result.status !== 0) throw new Error("The web UI did not build; see the output above.");
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

main().catch((err: unknown) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
