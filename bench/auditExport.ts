/**
 * Audit export: CSV export of 100,000 ledger events against the raw `eth_getLogs` calls that fetch the same events.
 *
 * 1. Generation: the contracts are deployed on Hardhat's in-process chain, served over JSON-RPC on 127.0.0.1; 20
 *    patient contracts (a bench-only helper compiled here with the project's solc-js) each call the real
 *    ConsentLedger and RecordIndex in bursts — grant, grant, revoke, addRecord — so every event is a genuine
 *    AccessGranted / AccessRevoked / RecordAdded of the deployed contracts, 400 per transaction.
 * 2. Reference: the raw `eth_getLogs` calls over the whole range, page by page (the same pages the export asks for),
 *    responses parsed, nothing else.
 * 3. Measured: the export as the CLI runs it — registry pre-scan for names, paged scan, block timestamps, decoding
 *    into typed events, RFC 4180 CSV with names — into a sink that counts bytes.
 *    Target: measured ≤ 2 × reference.
 * 4. Memory, in an extra untimed export: the heap kept after a full collection at every page, which must stay flat
 *    from the first tenth of the events to the last (one page in flight, never the history); and the peak heap of the
 *    timed runs (garbage included), beside the raw calls'.
 *
 * Reference and measured take turns, three runs each after a warm-up, medians compared, all in this one run.
 * Writes bench/results/auditExport.json. Run: `npx hardhat run bench/auditExport.ts` (EVENTS=… to change the size).
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import hre, { ethers } from "hardhat";
import { TASK_NODE_CREATE_SERVER } from "hardhat/builtin-tasks/task-names";
import { ContractFactory, JsonRpcProvider, type InterfaceAbi } from "ethers";
import { deployAll } from "../scripts/deploy";
import { demoWallet, seedDemo } from "../scripts/seed";
import { headBlock } from "../lib/audit";
import type { Deployment } from "../lib/deployment/deployment";
import { median, writeBenchResult } from "./benchRun";

const EVENTS = Number(process.env.EVENTS ?? 100_000);
const PATIENTS = 20;
const ROUNDS_PER_TX = 100; // 4 events a round
const PAGE_BLOCKS = 10; // ≈ 4,000 events a page, under the 10,000-result cap of common nodes
const RUNS = 3;
const RATIO_TARGET = 2;

const HELPER_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
interface ILedger {
    function grant(address grantee, uint32 scope, uint8 purpose, uint64 expiresAt, bytes32 keyBundle) external;
    function revoke(address grantee) external;
}
interface IRecords {
    function addRecord(address patient, bytes32 recordId, string calldata cid, uint8 category) external;
}
/// Bench only: a patient account that is a contract, so one transaction drives many real ledger calls.
contract BenchPatient {
    function burst(ILedger ledger, IRecords records, address a, address b, uint256 first, uint256 rounds, uint64 expiresAt) external {
        for (uint256 i = first; i < first + rounds; i++) {
            ledger.grant(a, uint32(0x1f), 1, expiresAt, bytes32(i));
            ledger.grant(b, uint32(0x1013), 8, expiresAt, bytes32(0));
            ledger.revoke(a);
            records.addRecord(address(this), bytes32(i), string.concat("bafkreibench", _decimal(i)), uint8(i % 13));
        }
    }
    function _decimal(uint256 v) private pure returns (string memory) {
        if (v == 0) return "0";
        uint256 digits;
        for (uint256 t = v; t != 0; t /= 10) digits++;
        bytes memory out = new bytes(digits);
        for (; v != 0; v /= 10) out[--digits] = bytes1(uint8(48 + (v % 10)));
        return string(out);
    }
}
`;

/**
 * The client side runs in worker threads, one per subject, each with its own V8 heap: the chain server (this thread)
 * and the client then use both cores as they would on two machines, and the heap figures are the client's alone.
 * A worker answers each "run" with its duration and the peak of its heap above the heap it had before the run.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
require(workerData.tsNode).register({ transpileOnly: true, project: workerData.tsconfig });
const v8 = require("node:v8");
const vm = require("node:vm");
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
const audit = require(workerData.lib);
const { url, deployment, from, to, pageBlocks, subject } = workerData;

async function raw(rpc) {
  const address = audit.createEventDecoder(deployment).addresses;
  let logs = 0;
  for (let page = from; page <= to; page += pageBlocks) {
    const result = await rpc.send("eth_getLogs", [{ address, fromBlock: "0x" + page.toString(16), toBlock: "0x" + Math.min(to, page + pageBlocks - 1).toString(16) }]);
    logs += result.length;
  }
  return { logs };
}

async function csv(rpc, onProgress) {
  const registry = await audit.collectEvents(rpc, deployment, { fromBlock: from, toBlock: to, contracts: ["ProviderRegistry"], pageSize: 5000 });
  const directory = audit.ProviderDirectory.fromEvents(registry.events);
  let lines = 0, bytes = 0;
  for await (const line of audit.eventsToCsv(audit.streamEvents(rpc, deployment, { fromBlock: from, toBlock: to, pageSize: pageBlocks, onProgress }), { directory })) {
    lines++;
    bytes += line.length;
  }
  return { lines, bytes };
}

parentPort.on("message", async (mode) => {
  try {
    const rpc = audit.httpRpc(url);
    if (mode === "retained") {
      // Untimed: a full collection after each page, to see what the export keeps between pages.
      const retained = [];
      gc();
      const base = v8.getHeapStatistics().used_heap_size;
      const result = await csv(rpc, (p) => {
        gc();
        retained.push({ events: p.events, mib: (v8.getHeapStatistics().used_heap_size - base) / 2 ** 20 });
      });
      parentPort.postMessage({ ms: 0, peakHeapMiB: 0, retained, ...result });
      return;
    }
    gc();
    const base = v8.getHeapStatistics().used_heap_size;
    let peak = base;
    const sample = () => { peak = Math.max(peak, v8.getHeapStatistics().used_heap_size); };
    const timer = setInterval(sample, 5);
    const start = performance.now();
    const result = await (subject === "raw" ? raw(rpc) : csv(rpc));
    const ms = performance.now() - start;
    clearInterval(timer);
    sample();
    parentPort.postMessage({ ms, peakHeapMiB: (peak - base) / 2 ** 20, ...result });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.stack) || err) });
  }
});
`;

interface RunResult {
  ms: number;
  peakHeapMiB: number;
  /** Heap kept after a full collection at each page, above the heap before the export ("retained" runs). */
  retained?: { events: number; mib: number }[];
  logs?: number;
  lines?: number;
  bytes?: number;
}

/** A persistent worker for one subject; `run()` measures one pass. */
function subjectWorker(
  subject: "raw" | "csv",
  data: Record<string, unknown>,
): { run(mode?: "timed" | "retained"): Promise<RunResult>; close(): Promise<number> } {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      ...data,
      subject,
      tsNode: require.resolve("ts-node"),
      tsconfig: path.join(__dirname, "..", "tsconfig.json"),
      lib: path.join(__dirname, "..", "lib", "audit"),
    },
  });
  return {
    run: (mode = "timed") =>
      new Promise((resolve, reject) => {
        worker.once("message", (m: RunResult & { error?: string }) => (m.error !== undefined ? reject(new Error(m.error)) : resolve(m)));
        worker.once("error", reject);
        worker.postMessage(mode);
      }),
    close: () => worker.terminate(),
  };
}

function compileHelper(): { abi: InterfaceAbi; bytecode: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { compile(input: string): string };
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "BenchPatient.sol": { content: HELPER_SOURCE } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          evmVersion: "cancun",
          outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
        },
      }),
    ),
  ) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: InterfaceAbi; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const helper = output.contracts["BenchPatient.sol"].BenchPatient;
  return { abi: helper.abi, bytecode: "0x" + helper.evm.bytecode.object };
}

async function generate(deployment: Deployment): Promise<{ ms: number; blocks: number }> {
  const start = performance.now();
  const signers = await ethers.getSigners();
  const sender = signers[9];
  const { abi, bytecode } = compileHelper();
  const factory = new ContractFactory(abi, bytecode, sender);
  const patients = [];
  for (let i = 0; i < PATIENTS; i++) patients.push(await (await factory.deploy()).waitForDeployment());
  const [alice, omar] = [demoWallet(2, ethers.provider).address, demoWallet(3, ethers.provider).address];
  const expiresAt = Math.floor(Date.now() / 1000) + 365 * 86_400;
  const txs = Math.ceil(EVENTS / (ROUNDS_PER_TX * 4));
  const firstBlock = await ethers.provider.getBlockNumber();
  let last;
  for (let t = 0; t < txs; t++) {
    const patient = patients[t % PATIENTS];
    const rounds = Math.min(ROUNDS_PER_TX, Math.ceil((EVENTS - t * ROUNDS_PER_TX * 4) / 4));
    last = await patient.getFunction("burst")(
      deployment.contracts.ConsentLedger.address,
      deployment.contracts.RecordIndex.address,
      alice,
      omar,
      t * ROUNDS_PER_TX,
      rounds,
      expiresAt,
      { gasLimit: 15_000_000 },
    );
  }
  await last?.wait();
  return { ms: performance.now() - start, blocks: (await ethers.provider.getBlockNumber()) - firstBlock };
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

async function main(): Promise<void> {
  const server = (await hre.run(TASK_NODE_CREATE_SERVER, { hostname: "127.0.0.1", port: 0, provider: hre.network.provider })) as {
    listen(): Promise<{ port: number }>;
    close(): Promise<void>;
  };
  const { port } = await server.listen();
  const provider = new JsonRpcProvider(`http://127.0.0.1:${port}`, 31337, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 100 });
  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-audit-"));
  const workers: { close(): Promise<number> }[] = [];
  try {
    const deployment = await deployAll(demoWallet(0, provider), { deploymentsDir: dir });
    await seedDemo(deployment, provider);
    process.stderr.write(`generating ${EVENTS} events…\n`);
    const generation = await generate(deployment);
    const from = Math.min(...Object.values(deployment.contracts).map((c) => c.blockNumber));
    const to = await headBlock(provider);

    const data = { url: `http://127.0.0.1:${port}`, deployment, from, to, pageBlocks: PAGE_BLOCKS };
    const rawWorker = subjectWorker("raw", data);
    const csvWorker = subjectWorker("csv", data);
    workers.push(rawWorker, csvWorker);
    // Warm-up (module loading, JIT, the node's caches), then turns.
    const logs = (await rawWorker.run()).logs!;
    await csvWorker.run();
    const raw: RunResult[] = [];
    const exp: RunResult[] = [];
    for (let r = 0; r < RUNS; r++) {
      raw.push(await rawWorker.run());
      exp.push(await csvWorker.run());
    }
    const rawMs = median(raw.map((m) => m.ms));
    const exportMs = median(exp.map((m) => m.ms));
    const ratio = exportMs / rawMs;
    const csv = { lines: exp[0].lines!, bytes: exp[0].bytes! };
    const peakHeap = Math.max(...exp.map((m) => m.peakHeapMiB));
    const peakHeapRaw = Math.max(...raw.map((m) => m.peakHeapMiB));
    const retained = (await csvWorker.run("retained")).retained!;
    const tenth = retained.find((r) => r.events >= logs / 10) ?? retained[0];
    const retainedMax = Math.max(...retained.map((r) => r.mib));
    const retainedLast = retained[retained.length - 1];

    const rows = [
      ["figure", "measured", "reference", "ratio", "target"],
      [
        `CSV export of ${logs.toLocaleString("en")} events (scan + timestamps + decode + CSV)`,
        `${fmt(exportMs / 1000)} s`,
        `raw eth_getLogs ${fmt(rawMs / 1000)} s`,
        `${fmt(ratio)}×`,
        `≤ ${RATIO_TARGET}× ${ratio <= RATIO_TARGET ? "ok" : "MISSED"}`,
      ],
      [
        "export throughput",
        `${Math.round(logs / (exportMs / 1000)).toLocaleString("en")} events/s`,
        `${Math.round(logs / (rawMs / 1000)).toLocaleString("en")} logs/s`,
        "",
        "",
      ],
      [
        "peak heap above baseline (incl. garbage)",
        `${fmt(peakHeap, 1)} MiB (export)`,
        `${fmt(peakHeapRaw, 1)} MiB (raw)`,
        `${fmt(peakHeap / Math.max(peakHeapRaw, 0.1))}×`,
        "",
      ],
      [
        "heap kept between pages (after full GC)",
        `${fmt(retainedLast.mib, 1)} MiB at ${retainedLast.events.toLocaleString("en")} events, max ${fmt(retainedMax, 1)}`,
        `${fmt(tenth.mib, 1)} MiB at ${tenth.events.toLocaleString("en")} events`,
        `${fmt(retainedLast.mib / Math.max(tenth.mib, 0.1))}×`,
        "flat: streaming",
      ],
      ["CSV output", `${csv.lines.toLocaleString("en")} lines, ${fmt(csv.bytes / 2 ** 20, 1)} MiB`, "", "", ""],
      ["generation", `${fmt(generation.ms / 1000, 1)} s, ${generation.blocks} blocks`, "", "", ""],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const [i, r] of rows.entries()) {
      console.log("| " + r.map((c, j) => c.padEnd(widths[j])).join(" | ") + " |");
      if (i === 0) console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
    }

    const result = {
      events: logs,
      blocks: to - from + 1,
      pageBlocks: PAGE_BLOCKS,
      runs: RUNS,
      rawGetLogsMs: { median: rawMs, runs: raw.map((m) => Math.round(m.ms)) },
      csvExportMs: { median: exportMs, runs: exp.map((m) => Math.round(m.ms)) },
      ratio,
      target: RATIO_TARGET,
      ok: ratio <= RATIO_TARGET,
      csv,
      memoryMiB: {
        retainedBetweenPages: { atTenth: tenth, atEnd: retainedLast, max: retainedMax, pages: retained.length },
        exportPeakHeapAboveBaseline: peakHeap,
        rawPeakHeapAboveBaseline: peakHeapRaw,
        runs: { export: exp.map((m) => m.peakHeapMiB), raw: raw.map((m) => m.peakHeapMiB) },
      },
      generationMs: Math.round(generation.ms),
    };
    await mkdir(path.join(__dirname, "results"), { recursive: true });
    await writeBenchResult("auditExport", result);
  } finally {
    for (const worker of workers) await worker.close();
    provider.destroy();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
