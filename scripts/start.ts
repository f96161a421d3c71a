import { existsSync, statSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { JsonRpcProvider } from "ethers";
import { configFromEnv } from "../server/config";
import { closeGateway, listen, openGateway } from "../server/gateway";
import { deployAll } from "./deploy";
import { startAnvil, LOCAL_CHAIN_ID, type LocalChain } from "./localChain/anvil";
import { demoWallet, seedDemo } from "./seed";

const ROOT = path.resolve(__dirname, "..");
/** Demo accounts: the registrar (state health authority) and the local organization's relayer, and the other one's. */
const REGISTRAR = 6;
const RELAYERS = [7, 8];

/**
 * `npm start`: the whole system on one machine. Without CHAIN_RPC_URL it runs Anvil as a child process with its
 * state in the data folder, deploys the contracts once (reused on every later start) and makes sure the synthetic demo
 * people exist; then it opens the organization's gateway (embedded IPFS store, disclosure log, event index), serves
 * the built web UI and prints one URL. It never deletes anything: `--fresh` (or `npm run reset`) does, and says what.
 */
async function main(): Promise<void> {
  const say = (line: string): void => console.log(`[start] ${line}`);
  const fresh = process.argv.includes("--fresh");
  let rpcUrl = process.env.CHAIN_RPC_URL || undefined;
  const dataDir = path.resolve(process.env.DATA_DIR || path.join(ROOT, ".data", rpcUrl ? "external" : "local"));
  if (fresh) {
    say(`--fresh: deleting ${dataDir} (chain state, deployments, store, disclosure log, index)`);
    await rm(dataDir, { recursive: true, force: true });
  }

  let chain: LocalChain | undefined;
  const deploymentsDir = process.env.DEPLOYMENTS_DIR || (rpcUrl ? path.join(ROOT, "deployments") : path.join(dataDir, "deployments"));
  if (rpcUrl === undefined) {
    const port = Number(process.env.CHAIN_PORT || 8545);
    chain = await startAnvil({ dir: path.join(dataDir, "chain"), port, log: say });
    rpcUrl = chain.rpcUrl;
    say(`local chain (Anvil) on ${rpcUrl}, chain id ${LOCAL_CHAIN_ID}, state in ${chain.dir}`);
    const provider = new JsonRpcProvider(rpcUrl, LOCAL_CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
    const deployment = await deployAll(demoWallet(0, provider), {
      deploymentsDir,
      gateways: RELAYERS.map((i) => demoWallet(i, provider).address),
      registrar: demoWallet(REGISTRAR, provider).address,
      log: say,
    });
    await seedDemo(deployment, provider, say);
    provider.destroy();
  }

  buildWebIfStale(say);
  const config = configFromEnv(process.env, {
    chainRpcUrl: rpcUrl,
    dataDir,
    deploymentsDir,
    webDir: path.join(ROOT, "web", "dist"),
    organizationName: "Riverside Family Clinic",
    relayerKey: chain ? demoWallet(RELAYERS[0], new JsonRpcProvider()).privateKey : undefined,
    logLevel: "warn",
  });
  const gateway = await openGateway(config);
  const { server, url } = await listen(gateway);
  say(`gateway of ${config.organizationName} on ${url} (store: ${gateway.services.store.kind}, data: ${dataDir})`);
  console.log(`\n  Consent Ledger is running: ${url}\n  Press Ctrl-C to stop.\n`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeGateway(gateway);
    await chain?.stop();
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
