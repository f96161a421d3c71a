/**
 * The child process of the lists bench's memory figure: the gateway's event index alone, in a process of its own
 * started the way the gateway is (`node -r ts-node/register/transpile-only`), catching up from nothing with a node.
 * Prints one JSON line: events indexed, seconds, and the process's resident memory before the catch-up and at its
 * peak (`process.resourceUsage().maxRSS`, the kernel's high-water mark, so no sample can miss the peak).
 *
 * Run by bench/lists.ts: `node -r ts-node/register/transpile-only bench/listsIndexProcess.ts <rpcUrl> <deploymentsDir> <chainId>`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { httpRpc } from "../lib/audit/rpc";
import { readDeployment } from "../lib/deployment/deploymentFile";
import { EventIndex } from "../server/services/index/eventIndex";

/** What the child prints. */
export interface IndexProcessReport {
  events: number;
  blocks: number;
  seconds: number;
  /** Resident memory (MB) once the index is open, before it reads anything. */
  rssBeforeMb: number;
  /** Peak resident memory (MB) up to then (start-up: loading and transpiling the modules). */
  peakBeforeMb: number;
  /** Peak resident memory (MB) of the process, through the whole catch-up. */
  peakRssMb: number;
}

async function main(): Promise<void> {
  const [rpcUrl, deploymentsDir, chainId] = process.argv.slice(2);
  const deployment = await readDeployment(deploymentsDir, Number(chainId));
  if (deployment === undefined) throw new Error(`no deployment of chain ${chainId} in ${deploymentsDir}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-index-memory-"));
  const index = EventIndex.open({
    rpc: httpRpc(rpcUrl),
    deployment,
    dataDir: dir,
    range: 2000,
    pollIntervalMs: 60_000,
    log: pino({ level: "silent" }),
  });
  const rssBefore = process.memoryUsage.rss();
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const from = index.through.block;
  const started = performance.now();
  await index.syncFresh();
  const seconds = (performance.now() - started) / 1000;
  const report: IndexProcessReport = {
    events: (index.db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n,
    blocks: index.through.block - from,
    seconds,
    rssBeforeMb: rssBefore / 2 ** 20,
    peakBeforeMb: peakBefore / 2 ** 20,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
  };
  await index.close();
  await rm(dir, { recursive: true, force: true });
  console.log(JSON.stringify(report));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
