/**
 * The local chain's persistence as history grows: Anvil keeps its whole state (accounts, blocks, receipts, logs) in
 * one JSON file it rewrites every second (`--state-interval 1`). For a chain of 10,000 and of 100,000 blocks after the
 * demo's deployment (with consent transactions among them), this measures the state file's size, what one dump costs
 * (`anvil_dumpState`, the call the interval makes), and how long `npm start` takes from launch to serving on that
 * folder (Anvil loading the state, the gateway opening, its event index catching up).
 *
 * The history is written through `npm start`'s gateway (records and grants among empty blocks mined in batches with
 * `anvil_mine`), but on an Anvil the bench runs with the same arguments except that it writes its state only on exit:
 * at one dump a second, a state that grows starves the node long before 100k blocks (at ~40k: 70.6 MB, dumps back to
 * back, 2.8 GB RSS). Everything measured then runs on `npm start`'s own Anvil on that state, at its one-second interval.
 *
 * Run: `npm run bench -- chainState`.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { JsonRpcProvider } from "ethers";
import { addOwnRecord, grantAccess } from "../lib/client";
import { CATEGORY, PURPOSE } from "../lib/consent/codes";
import { deployAll } from "../scripts/deploy";
import { anvilArgs, anvilBinary } from "../scripts/localChain/anvil";
import { demoWallet, seedDemo } from "../scripts/seed";
import { readyActor } from "../test/support/actors";
import { freePort, killOrphanedChain, startLocalSystem } from "../test/support/processes";
import { median, runBench, writeBenchResult } from "./benchRun";

const HISTORIES = [10_000, 100_000];
/** Consent transactions written into each history (records and grants), spread over it. */
const CONSENT_TXS = 100;
const DUMP_SAMPLES = 5;
/** The bound for a restart with 10k blocks of history. */
const RESTART_GOAL_MS = 10_000;
/** While the history is written Anvil's state is written on exit only (`--state-interval` of a day). */
const FILL_STATE_INTERVAL_S = 86_400;
/** `npm start`'s accounts: the deployer, the registrar and the two organizations' relayers. */
const DEPLOYER = 0;
const REGISTRAR = 6;
const RELAYERS = [7, 8];

interface Measured {
  blocks: number;
  stateBytes: number;
  dumpMsP50: number;
  restartToServingMs: number;
  firstListMs: number;
  /** Time to write the history, and for its Anvil to write the state on exit. */
  fillMs: number;
  exitDumpMs: number;
  /** Resident memory of `npm start`'s Anvil after the dumps, at the one-second interval. */
  anvilRssMB: number;
}

/** Resident memory of a process, in MB (from /proc). */
async function rssMB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

async function waitForChain(provider: JsonRpcProvider): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await provider.getBlockNumber();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Writes `blocks` blocks of history with CONSENT_TXS records and grants among them into `dir`, as `npm start` would
 * have, on an Anvil that writes its state on exit only; resolves once that state is on disk.
 */
async function fillHistory(
  dir: string,
  blocks: number,
  env: { DATA_DIR: string; CHAIN_PORT: string; PORT: string } & Record<string, string>,
): Promise<{ fillMs: number; exitDumpMs: number }> {
  const started = performance.now();
  const chainDir = path.join(dir, "chain");
  await mkdir(chainDir, { recursive: true });
  const port = await freePort();
  const args = anvilArgs({ port, state: path.join(chainDir, "state.json"), stateIntervalSeconds: FILL_STATE_INTERVAL_S });
  const anvil = spawn(anvilBinary(), args, { stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((resolve) => anvil.once("exit", () => resolve()));
  const rpcUrl = `http://127.0.0.1:${port}`;
  // No cache: deployment and seeding send transactions back to back from one account.
  const provider = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1 });
  try {
    await waitForChain(provider);
    const deploymentsDir = path.join(dir, "deployments");
    const deployment = await deployAll(demoWallet(DEPLOYER, provider), {
      deploymentsDir,
      gateways: RELAYERS.map((i) => demoWallet(i, provider).address),
      registrar: demoWallet(REGISTRAR, provider).address,
    });
    await seedDemo(deployment, provider);
    const system = await startLocalSystem({
      ...env,
      CHAIN_RPC_URL: rpcUrl,
      CHAIN_PORT: String(port),
      DEPLOYMENTS_DIR: deploymentsDir,
      RELAYER_PRIVATE_KEY: demoWallet(RELAYERS[0], provider).privateKey,
    });
    try {
      const jane = await readyActor({ url: system.url, provider }, 1);
      const chen = await readyActor({ url: system.url, provider }, 2);
      const gap = Math.floor(blocks / CONSENT_TXS);
      for (let i = 0; i < CONSENT_TXS; i++) {
        if (system.proc.child.exitCode !== null) throw new Error(`npm start exited:\n${system.proc.output().slice(-3000)}`);
        if (i % 2 === 0)
          await addOwnRecord(jane, {
            plaintext: new TextEncoder().encode(`{"resourceType":"Condition","id":"${i}"}`),
            category: CATEGORY.PROBLEMS,
          });
        else
          await grantAccess(jane, {
            grantee: chen.address,
            categories: [CATEGORY.PROBLEMS],
            purpose: PURPOSE.TREAT,
            durationSeconds: 3600,
          });
        await provider.send("anvil_mine", [`0x${gap.toString(16)}`]);
        if (i % 20 === 19)
          console.log(`  ${blocks} blocks: ${i + 1} consent transactions written, head ${await provider.getBlockNumber()}`);
      }
    } finally {
      await system.proc.stop("SIGTERM");
    }
  } catch (err) {
    anvil.kill("SIGKILL"); // never left running by a failed fill
    throw err;
  } finally {
    provider.destroy();
  }
  const stopping = performance.now();
  anvil.kill("SIGTERM"); // Anvil writes its state as it exits.
  await exited;
  const exitDumpMs = performance.now() - stopping;
  return { fillMs: stopping - started, exitDumpMs };
}

async function measure(blocks: number): Promise<Measured> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-state-"));
  // The relay budget would stop one account's hundred transactions an hour; lifted here, it is not what is measured.
  const env = {
    DATA_DIR: dir,
    CHAIN_PORT: String(await freePort()),
    PORT: String(await freePort()),
    RELAY_GAS_PER_ACCOUNT_HOUR: "1000000000",
    RELAY_GAS_PER_IP_HOUR: "1000000000",
  };
  try {
    const { fillMs, exitDumpMs } = await fillHistory(dir, blocks, env);
    console.log(
      `  ${blocks} blocks written in ${(fillMs / 1000).toFixed(0)} s; Anvil wrote the state on exit in ${(exitDumpMs / 1000).toFixed(1)} s`,
    );
    let system = await startLocalSystem(env);
    const provider = new JsonRpcProvider(system.rpcUrl, 31337, { staticNetwork: true });
    const dumpMs: number[] = [];
    for (let i = 0; i < DUMP_SAMPLES; i++) {
      const started = performance.now();
      await provider.send("anvil_dumpState", []);
      dumpMs.push(performance.now() - started);
    }
    const height = await provider.getBlockNumber();
    const anvilRssMB = await rssMB(Number(await readFile(path.join(dir, "chain", "anvil.pid"), "utf8")));
    provider.destroy();
    await system.proc.stop("SIGTERM");
    // Read once Anvil has written the state on exit: while it runs, a dump may be half written (at 100k blocks the
    // interval's dumps run back to back, and a size read then came out at 128.8 of 163.8 MB).
    const stateBytes = (await stat(path.join(dir, "chain", "state.json"))).size;

    const launched = performance.now();
    system = await startLocalSystem(env);
    const restartToServingMs = performance.now() - launched;
    const again = new JsonRpcProvider(system.rpcUrl, 31337, { staticNetwork: true });
    const listStarted = performance.now();
    const janeAgain = await readyActor({ url: system.url, provider: again }, 1);
    await janeAgain.client.listRecords(janeAgain.address);
    const firstListMs = performance.now() - listStarted;
    again.destroy();
    await system.proc.stop("SIGTERM");
    return { blocks: height, stateBytes, dumpMsP50: median(dumpMs), restartToServingMs, firstListMs, fillMs, exitDumpMs, anvilRssMB };
  } catch (err) {
    console.error(`failed; the data folder is kept for a look: ${dir}`);
    throw err;
  } finally {
    await killOrphanedChain(dir);
    if (process.env.KEEP !== "1") await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results: Measured[] = [];
  for (const blocks of HISTORIES) {
    const m = await measure(blocks);
    results.push(m);
    console.log(
      `${blocks} blocks: state file ${(m.stateBytes / 1e6).toFixed(1)} MB, one dump p50 ${m.dumpMsP50.toFixed(0)} ms, ` +
        `restart to serving ${(m.restartToServingMs / 1000).toFixed(1)} s, first vault list after it ${m.firstListMs.toFixed(0)} ms, ` +
        `Anvil RSS ${m.anvilRssMB.toFixed(0)} MB`,
    );
  }
  const [small, large] = results;
  const figures = [
    { name: "Anvil state file, 10k blocks", measured: small.stateBytes / 1e6, unit: "MB" },
    { name: "Anvil state file, 100k blocks", measured: large.stateBytes / 1e6, unit: "MB", reference: small.stateBytes / 1e6, referenceName: "10k blocks", ratio: large.stateBytes / small.stateBytes },
    { name: "one state dump, 10k blocks (p50)", measured: small.dumpMsP50, unit: "ms" },
    { name: "one state dump, 100k blocks (p50)", measured: large.dumpMsP50, unit: "ms", reference: small.dumpMsP50, referenceName: "10k blocks", ratio: large.dumpMsP50 / small.dumpMsP50 },
    { name: "restart to serving, 10k blocks", measured: small.restartToServingMs / 1000, unit: "s", goal: `< ${RESTART_GOAL_MS / 1000} s`, ok: small.restartToServingMs < RESTART_GOAL_MS },
    { name: "restart to serving, 100k blocks", measured: large.restartToServingMs / 1000, unit: "s" },
  ]; // prettier-ignore
  await writeBenchResult("chainState", {
    consentTxs: CONSENT_TXS,
    results,
    figures,
  });
}

runBench(main);
