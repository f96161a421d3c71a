/**
 * The local chain's persistence as history grows: Anvil keeps its whole state (accounts, blocks, receipts, logs) in
 * one JSON file it rewrites every second (`--state-interval 1`). For a chain of 10,000 and of 100,000 blocks after the
 * demo's deployment (with consent transactions among them), this measures the state file's size, what one dump costs
 * (`anvil_dumpState`, the call the interval makes), and how long `npm start` takes from launch to serving on that
 * folder (Anvil loading the state, the gateway opening, its event index catching up).
 *
 * Run: `npm run bench -- chainState`.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { JsonRpcProvider } from "ethers";
import { addOwnRecord, grantAccess } from "../lib/client";
import { CATEGORY, PURPOSE } from "../lib/consent/codes";
import { readyActor } from "../test/support/actors";
import { freePort, killOrphanedChain, startLocalSystem } from "../test/support/processes";
import { runBench, writeBenchResult } from "./benchRun";

const HISTORIES = [10_000, 100_000];
/** Consent transactions written into each history (records and grants), spread over it. */
const CONSENT_TXS = 100;
const DUMP_SAMPLES = 5;
/** The bound for a restart with 10k blocks of history. */
const RESTART_GOAL_MS = 10_000;

interface Measured {
  blocks: number;
  stateBytes: number;
  dumpMsP50: number;
  restartToServingMs: number;
  firstListMs: number;
}

const p50 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

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
    let system = await startLocalSystem(env);
    const provider = new JsonRpcProvider(system.rpcUrl, 31337, { staticNetwork: true });
    const jane = await readyActor({ url: system.url, provider }, 1);
    const chen = await readyActor({ url: system.url, provider }, 2);
    const gap = Math.floor(blocks / CONSENT_TXS);
    const running = system;
    for (let i = 0; i < CONSENT_TXS; i++) {
      if (running.proc.child.exitCode !== null) throw new Error(`npm start exited:\n${running.proc.output().slice(-3000)}`);
      if (i % 2 === 0)
        await addOwnRecord(jane, {
          plaintext: new TextEncoder().encode(`{"resourceType":"Condition","id":"${i}"}`),
          category: CATEGORY.PROBLEMS,
        });
      else
        await grantAccess(jane, { grantee: chen.address, categories: [CATEGORY.PROBLEMS], purpose: PURPOSE.TREAT, durationSeconds: 3600 });
      await provider.send("anvil_mine", [`0x${gap.toString(16)}`]);
      if (i % 20 === 19) console.log(`  ${blocks} blocks: ${i + 1} consent transactions written, head ${await provider.getBlockNumber()}`);
    }
    const dumpMs: number[] = [];
    for (let i = 0; i < DUMP_SAMPLES; i++) {
      const started = performance.now();
      await provider.send("anvil_dumpState", []);
      dumpMs.push(performance.now() - started);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // at least one interval dump of the final state
    const stateBytes = (await stat(path.join(dir, "chain", "state.json"))).size;
    const height = await provider.getBlockNumber();
    provider.destroy();
    await system.proc.stop("SIGTERM");

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
    return { blocks: height, stateBytes, dumpMsP50: p50(dumpMs), restartToServingMs, firstListMs };
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
        `restart to serving ${(m.restartToServingMs / 1000).toFixed(1)} s, first vault list after it ${m.firstListMs.toFixed(0)} ms`,
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
    bench: "chainState",
    date: new Date().toISOString(),
    node: process.version,
    consentTxs: CONSENT_TXS,
    results,
    figures,
  });
}

runBench(main);
