import { existsSync, statSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { JsonRpcProvider } from "ethers";
import { configFromEnv, type GatewayConfig } from "../server/config";
import { closeGateway, listen, openGateway } from "../server/gateway";
import { deployAll } from "./deploy";
import { startAnvil, LOCAL_CHAIN_ID, type LocalChain } from "./localChain/anvil";
import { demoWallet, seedDemo } from "./seed";

const ROOT = path.resolve(__dirname, "..");
/** Demo accounts: the registrar (state health authority) and the local organization's relayer, and the other one's. */
const REGISTRAR = 6;
const RELAYERS = [7, 8];
/** Settings that belong to one organization: `--network` never gives the second organization the first one's. */
const PER_ORGANIZATION = [
  "PORT",
  "PUBLIC_ORIGIN",
  "DATA_DIR",
  "STORE_DIR",
  "IPFS_API_URL",
  "ORGANIZATION_NAME",
  "RELAYER_PRIVATE_KEY",
  "SESSION_SECRET",
  "PEER_GATEWAYS",
];

/**
 * `npm start`: the whole system on one machine. Without CHAIN_RPC_URL it runs Anvil as a child process with its
 * state in the data folder, deploys the contracts once (reused on every later start) and makes sure the synthetic demo
 * people exist; then it opens the organization's gateway (embedded IPFS store, disclosure log, event index), serves
 * the built web UI and prints one URL. It never deletes anything: `--fresh` (or `npm run reset`) does, and says what.
 *
 * `--network` (`npm run network`) adds a second organization on the same ledger, "Lakeside Hospital ER" on the next
 * port, with its own data folder, store, disclosure log, index and relayer (account 8); the two fetch each other's
 * ciphertext by CID. Without the flag, the first organization's data is the same as with it.
 */
async function main(): Promise<void> {
  const say = (line: string): void => console.log(`[start] ${line}`);
  const fresh = process.argv.includes("--fresh");
  const network = process.argv.includes("--network");
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
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new Error(`Invalid configuration: CHAIN_PORT must be a TCP port (1-65535), not "${process.env.CHAIN_PORT}".`);
    }
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
  const port = Number(process.env.PORT || 8787);
  const second = { name: "Lakeside Hospital ER", port: port + 1, dataDir: path.join(dataDir, "organizations", "lakeside-hospital-er") };
  const config = configFromEnv(process.env, {
    chainRpcUrl: rpcUrl,
    dataDir,
    deploymentsDir,
    webDir: path.join(ROOT, "web", "dist"),
    organizationName: "Riverside Family Clinic",
    relayerKey: chain ? demoWallet(RELAYERS[0], new JsonRpcProvider()).privateKey : undefined,
    peerGateways: network ? `http://127.0.0.1:${second.port}` : undefined,
    logLevel: "warn",
  });
  const opened = [await openOrganization(config, say)];
  if (network) {
    // The second organization shares the ledger and the operator's shared settings; what makes an organization its
    // own (URL, folders, store, name, relayer, session key, peers) is never taken from the first one's variables.
    const shared = Object.fromEntries(Object.entries(process.env).filter(([name]) => !PER_ORGANIZATION.includes(name)));
    const secondConfig = configFromEnv(shared, {
      chainRpcUrl: rpcUrl,
      deploymentsDir,
      webDir: config.webDir,
      port: second.port,
      dataDir: second.dataDir,
      organizationName: second.name,
      relayerKey: chain ? demoWallet(RELAYERS[1], new JsonRpcProvider()).privateKey : process.env.SECOND_RELAYER_PRIVATE_KEY,
      peerGateways: `http://127.0.0.1:${port}`,
      logLevel: "warn",
    });
    opened.push(await openOrganization(secondConfig, say));
  }
  console.log(`\n  Consent Ledger is running: ${opened[0].url}`);
  if (network) console.log(`  ${opened[1].name}: ${opened[1].url}`);
  console.log("  Press Ctrl-C to stop.\n");

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    for (const org of opened) await org.close();
    await chain?.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  await new Promise(() => undefined);
}

/** Opens one organization's gateway and starts serving it. */
async function openOrganization(
  config: GatewayConfig,
  say: (line: string) => void,
): Promise<{ name: string; url: string; close(): Promise<void> }> {
  const gateway = await openGateway(config);
  const { server, url } = await listen(gateway);
  say(`gateway of ${config.organizationName} on ${url} (store: ${gateway.services.store.kind}, data: ${config.dataDir})`);
  return {
    name: config.organizationName,
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeGateway(gateway);
    },
  };
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
