/**
 * Lists against the event index, at 100 and at 100,000 indexed grants and records: a doctor's patients (grants held)
 * and a patient's vault, p50 of a 50-item page, and the JSON-RPC calls each list costs (counted by a proxy in front of
 * the chain). The goal: p50 at 100k ≤ 1.5 × p50 at 100, and the same number of calls at both sizes.
 *
 * The index is filled with synthetic events through the same fold the follower uses, then marked as read through the
 * head, so each list costs what it costs in service: one head read, then indexed queries.
 *
 * Also: the index's catch-up speed against raw paged eth_getLogs of the same history on the same node, in the same
 * run (see {@link measureCatchUp}): on an Anvil process (the project's local chain, whose logs carry `blockTimestamp`,
 * so the index reads one header per page) and on Hardhat's in-process chain (whose logs carry no block time, so the
 * index reads a header for each block with events, served by the node in this very process); and the peak memory of
 * the gateway's index catching up with 100,000 events in a process of its own (see {@link measureIndexMemory}).
 *
 * Run: `npm run bench -- lists` (lists on Hardhat's in-process chain, plus an Anvil child process for the catch-up).
 * Writes bench/results/lists.json.
 */
import { forcedGc, medianMs, runBench, writeBenchResult } from "./benchRun";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import type { LedgerEvent } from "../lib/audit/events";
import { httpRpc } from "../lib/audit/rpc";
import { cidToBytes, documentCid } from "../lib/ids/cid";
import type { Deployment } from "../lib/deployment/deployment";
import type { IndexProcessReport } from "./listsIndexProcess";
import { EventFold } from "../server/services/index/eventFold";
import { EventIndex } from "../server/services/index/eventIndex";
import { IndexedLists } from "../server/services/lists/indexedLists";
import { startBesuLikeProxy } from "../test/support/besuLikeProxy";
import { startChain } from "../test/support/stack";
import { Interface, JsonRpcProvider, type InterfaceAbi } from "ethers";
import { DEMO } from "../lib/demo/accounts";
import { deployAll } from "../scripts/deploy";
import { anvilArgs, anvilBinary } from "../scripts/localChain/anvil";
import { demoWallet, seedDemo } from "../scripts/seed";
import { freePort } from "../test/support/processes";
import { ConsentLedger__factory } from "../typechain-types";

const SIZES = [100, 100_000];
const RUNS = 200;
const PAGE = 50;
const DOCTOR = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const PATIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

const address = (i: number): string => "0x" + (i + 1).toString(16).padStart(40, "0");

function synthetic(n: number, head: number, time: number): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  for (let i = 0; i < n; i++) {
    const base = { contract: "ConsentLedger" as const, blockNumber: Math.max(1, head - n + i), blockHash: "0x" + "00".repeat(32), txHash: "0x" + i.toString(16).padStart(64, "0"), timestamp: time };
    events.push({ ...base, logIndex: 0, kind: "grant", patient: address(i), grantee: DOCTOR, scope: 2, purpose: 1, expiresAt: time + 86_400, keyBundle: "0x" + "11".repeat(32), actor: address(i) });
    events.push({ ...base, contract: "RecordIndex", logIndex: 1, kind: "record", patient: PATIENT, recordId: "0x" + i.toString(16).padStart(64, "0"), author: PATIENT, category: 1 + (i % 12), cid: documentCid(new TextEncoder().encode(`record ${i}`)) });
  } // prettier-ignore
  return events;
}

/**
 * The catch-up histories. Hardhat: one grant a block (automining), the worst case for a node whose logs carry no
 * block time. Anvil: ten grants a block, and fewer empty blocks, because Anvil mines empty blocks one by one (about
 * 20 ms each on this shared machine) where Hardhat mines them at once.
 */
const HARDHAT_SHAPE: CatchUpShape = { eventsPerBlock: 1, emptyBlocks: 20_000 };
const ANVIL_SHAPE: CatchUpShape = { eventsPerBlock: 10, emptyBlocks: 4_000 };
/** Real events written for the catch-up figure. */
const CATCH_UP_EVENTS = 3000;
/** Measured catch-ups per chain (each against its own raw read), after one unmeasured pass of each: a catch-up of this
 * history lasts about a tenth of a second on Anvil, so one pair moves with the machine's load; the median of five holds. */
const CATCH_UP_RUNS = 5;

/** How a catch-up history is laid out on a chain: events per block, and empty blocks mined among them. */
interface CatchUpShape {
  eventsPerBlock: number;
  emptyBlocks: number;
}

/** One measured pair: the raw read and the index's catch-up of the same range, back to back. */
interface CatchUpRun {
  rawSeconds: number;
  indexSeconds: number;
  ratio: number;
}

/** The catch-up figure on one chain: every run, and the median run's figures. */
interface CatchUp {
  chain: string;
  events: number;
  blocks: number;
  eventBlocks: number;
  /** Whether the node's logs carry `blockTimestamp` (then the index reads no header per block with events). */
  logTimes: boolean;
  runs: CatchUpRun[];
  rawEventsPerSecond: number;
  indexEventsPerSecond: number;
  ratio: number;
}

/** A deployed chain the catch-up is measured on. */
interface CatchUpChain {
  name: string;
  rpcUrl: string;
  provider: JsonRpcProvider;
  deployment: Deployment;
  /** The node's method that mines empty blocks (`hardhat_mine`, `anvil_mine`). */
  mine: string;
}

/**
 * Writes {@link CATCH_UP_EVENTS} grants by Jane: signed here and sent raw (one `eth_sendRawTransaction` each, no
 * estimate or fee reads per transaction: the fill is not what is measured), `shape.eventsPerBlock` to a block, with
 * `shape.emptyBlocks` empty blocks mined among them in ten batches so pages span empty ranges too.
 */
async function writeCatchUpHistory(chain: CatchUpChain, shape: CatchUpShape): Promise<void> {
  const rpc = httpRpc(chain.rpcUrl);
  const jane = demoWallet(1, chain.provider);
  const ledger = ConsentLedger__factory.connect(chain.deployment.contracts.ConsentLedger.address, jane);
  const doctor = demoWallet(2, chain.provider).address;
  const latest = (await chain.provider.getBlock("latest"))!;
  const { chainId } = await chain.provider.getNetwork();
  const fee = 4n * (latest.baseFeePerGas ?? 1_000_000_000n) + 1_000_000_000n;
  let nonce = await chain.provider.getTransactionCount(jane.address, "pending");
  const automine = shape.eventsPerBlock === 1;
  if (!automine) await rpc.send("evm_setAutomine", [false]);
  let last = "";
  for (let i = 0; i < CATCH_UP_EVENTS; i++) {
    const data = ledger.interface.encodeFunctionData("grant", [doctor, 2, 1, latest.timestamp + 86_400 + i, "0x" + (i + 1).toString(16).padStart(64, "0")]); // prettier-ignore
    const tx = await jane.signTransaction({ type: 2, chainId, nonce: nonce++, to: ledger.target as string, gasLimit: 300_000, maxFeePerGas: fee, maxPriorityFeePerGas: 1_000_000_000n, data }); // prettier-ignore
    last = (await rpc.send("eth_sendRawTransaction", [tx])) as string;
    if (!automine && (i + 1) % shape.eventsPerBlock === 0) await rpc.send("evm_mine", []);
    if (i % (CATCH_UP_EVENTS / 10) === 0) await rpc.send(chain.mine, ["0x" + Math.floor(shape.emptyBlocks / 10).toString(16)]);
  }
  if (!automine) {
    await rpc.send("evm_mine", []);
    await rpc.send("evm_setAutomine", [true]);
  }
  const receipt = (await rpc.send("eth_getTransactionReceipt", [last])) as { status: string } | null;
  if (receipt?.status !== "0x1") throw new Error(`the catch-up history's last grant did not succeed on ${chain.name}`);
}

/**
 * Index catch-up against the cheapest way to read the same history: the same range read with raw paged eth_getLogs
 * (pages of 2,000 blocks, the four contracts, the same node and connection) versus a fresh index syncing it (the same
 * pages, plus block times, decoding, folding and SQLite writes). Back to back in the same run, {@link CATCH_UP_RUNS}
 * times after one unmeasured pass of each (so neither pays for JIT warm-up); the figure is the median run.
 */
async function measureCatchUp(chain: CatchUpChain, shape: CatchUpShape): Promise<CatchUp> {
  await writeCatchUpHistory(chain, shape);
  const head = await chain.provider.getBlockNumber();
  const first = Math.min(...Object.values(chain.deployment.contracts).map((c) => c.blockNumber));
  const addresses = Object.values(chain.deployment.contracts).map((c) => c.address);
  const rpc = httpRpc(chain.rpcUrl);

  const readRaw = async (): Promise<{ seconds: number; logs: Array<{ blockNumber: string; blockTimestamp?: string }> }> => {
    const all: Array<{ blockNumber: string; blockTimestamp?: string }> = [];
    const started = performance.now();
    for (let from = first; from <= head; from += 2000) {
      const logs = (await rpc.send("eth_getLogs", [
        { address: addresses, fromBlock: "0x" + from.toString(16), toBlock: "0x" + Math.min(head, from + 1999).toString(16) },
      ])) as Array<{ blockNumber: string; blockTimestamp?: string }>;
      for (const log of logs) all.push(log);
    }
    return { seconds: (performance.now() - started) / 1000, logs: all };
  };
  const catchUp = async (): Promise<{ seconds: number; events: number }> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bench-catchup-"));
    const index = EventIndex.open({
      rpc,
      deployment: chain.deployment,
      dataDir: dir,
      range: 2000,
      pollIntervalMs: 60_000,
      log: pino({ level: "silent" }),
    });
    const started = performance.now();
    await index.syncFresh();
    const seconds = (performance.now() - started) / 1000;
    const events = (index.db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
    await index.close();
    await rm(dir, { recursive: true, force: true });
    return { seconds, events };
  };

  const warm = await readRaw();
  const events = warm.logs.length;
  const indexed = await catchUp();
  if (indexed.events !== events) throw new Error(`the index holds ${indexed.events} events, the raw read found ${events}`);
  const runs: CatchUpRun[] = [];
  for (let run = 0; run < CATCH_UP_RUNS; run++) {
    forcedGc();
    const raw = await readRaw();
    forcedGc();
    const index = await catchUp();
    runs.push({ rawSeconds: raw.seconds, indexSeconds: index.seconds, ratio: raw.seconds / index.seconds });
  }
  const median = [...runs].sort((a, b) => a.ratio - b.ratio)[Math.floor(runs.length / 2)];
  const eventBlocks = new Set(warm.logs.map((l) => l.blockNumber)).size;
  console.log(
    `catch-up on ${chain.name} over ${head - first + 1} blocks, ${events} events in ${eventBlocks} blocks: ` +
      runs.map((r) => `raw ${r.rawSeconds.toFixed(2)} s / index ${r.indexSeconds.toFixed(2)} s = ${r.ratio.toFixed(2)}`).join("; "),
  );
  return {
    chain: chain.name,
    events,
    blocks: head - first + 1,
    eventBlocks,
    logTimes: warm.logs.every((l) => l.blockTimestamp !== undefined),
    runs,
    rawEventsPerSecond: events / median.rawSeconds,
    indexEventsPerSecond: events / median.indexSeconds,
    ratio: median.ratio,
  };
}

/**
 * The catch-up figure on the project's local chain: an Anvil process of its own (the binary `npm start` runs, with
 * its arguments but a state written only on exit, and a fresh state), the contracts deployed and seeded as on start.
 */
async function measureCatchUpOnAnvil(shape: CatchUpShape): Promise<CatchUp> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-catchup-anvil-"));
  const port = await freePort();
  const anvil = spawn(anvilBinary(), anvilArgs({ port, state: path.join(dir, "state.json"), stateIntervalSeconds: 86_400 }), {
    stdio: "ignore",
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const provider = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });
  try {
    for (let tries = 0; ; tries++) {
      try {
        await httpRpc(rpcUrl).send("eth_blockNumber", []);
        break;
      } catch (err) {
        if (tries > 300) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const deployment = await deployAll(demoWallet(0, provider), {
      deploymentsDir: path.join(dir, "deployments"),
      gateways: [demoWallet(DEMO.RIVERSIDE_RELAYER, provider).address],
      registrar: demoWallet(DEMO.REGISTRAR, provider).address,
    });
    await seedDemo(deployment, provider);
    return await measureCatchUp({ name: "Anvil", rpcUrl, provider, deployment, mine: "anvil_mine" }, shape);
  } finally {
    provider.destroy();
    anvil.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  }
}

/** Events of the memory figure, and how many share a block (a grant and a record, as in the lists' synthetic set). */
const MEMORY_EVENTS = 100_000;
const MEMORY_EVENTS_PER_BLOCK = 2;

/**
 * A JSON-RPC node that serves a synthetic history of the deployment: `events` logs (grants and records, encoded with
 * the deployment's ABIs), `perBlock` to a block from the block after the deployment, and a header for every block.
 * Its logs carry no `blockTimestamp` (as Hardhat's), so the index reads a header per block with events, as it must
 * there. It answers from memory, so the figure is the index's own, not a chain's.
 */
async function startSyntheticNode(
  deployment: Deployment,
  events: number,
  perBlock: number,
): Promise<{ url: string; head: number; close(): Promise<void> }> {
  const ledger = new Interface(deployment.contracts.ConsentLedger.abi as InterfaceAbi);
  const records = new Interface(deployment.contracts.RecordIndex.abi as InterfaceAbi);
  const first = Math.max(...Object.values(deployment.contracts).map((c) => c.blockNumber)) + 1;
  const blocks = Math.ceil(events / perBlock);
  const head = first + blocks - 1;
  const time0 = 1_700_000_000;
  const hex = (n: number): string => "0x" + n.toString(16);
  const hash = (n: number): string => "0x" + n.toString(16).padStart(64, "0");
  // Encoded once, then varied by topic: encoding each of 100k logs with ethers would slow the node, not the index.
  const topic = (a: string): string => "0x" + a.slice(2).toLowerCase().padStart(64, "0");
  const grant = ledger.encodeEventLog("AccessGranted", [DOCTOR, DOCTOR, 2, 1, time0 + 86_400, "0x" + "11".repeat(32), DOCTOR]);
  const recordData = Array.from(
    { length: 12 },
    (_, c) =>
      records.encodeEventLog("RecordAdded", [
        PATIENT,
        hash(0),
        PATIENT,
        c + 1,
        cidToBytes(documentCid(new TextEncoder().encode(`record ${c}`))),
      ]).data,
  );
  const recordTopic0 = records.getEvent("RecordAdded")!.topicHash;
  const log = (i: number): object => {
    const block = first + Math.floor(i / perBlock);
    const patient = topic(address(i >> 1));
    const encoded =
      i % 2 === 0
        ? { address: deployment.contracts.ConsentLedger.address, topics: [grant.topics[0], patient, topic(DOCTOR), patient], data: grant.data }
        : { address: deployment.contracts.RecordIndex.address, topics: [recordTopic0, topic(PATIENT), hash(i), topic(PATIENT)], data: recordData[i % 12] };
    return { ...encoded, blockNumber: hex(block), blockHash: hash(block), transactionHash: hash(i + 1), transactionIndex: hex(i % perBlock), logIndex: hex(i % perBlock), removed: false };
  }; // prettier-ignore
  const header = (n: number): object | null =>
    n > head
      ? null
      : {
          number: hex(n),
          hash: hash(n),
          parentHash: hash(n - 1),
          timestamp: hex(time0 + n),
          logsBloom: "0x" + "00".repeat(256),
          transactions: [],
        };
  const answer = (request: { id: unknown; method: string; params?: unknown[] }): object => {
    const ok = (result: unknown): object => ({ jsonrpc: "2.0", id: request.id, result });
    switch (request.method) {
      case "eth_blockNumber":
        return ok(hex(head));
      case "eth_getBlockByNumber":
        return ok(header(Number(request.params?.[0])));
      case "eth_getLogs": {
        const filter = request.params?.[0] as { fromBlock: string; toBlock: string };
        const from = Math.max(first, Number(filter.fromBlock));
        const to = Math.min(head, Number(filter.toBlock));
        const logs: object[] = [];
        for (let i = Math.max(0, (from - first) * perBlock); i < Math.min(events, (to - first + 1) * perBlock); i++) logs.push(log(i));
        return ok(logs);
      }
      default:
        return { jsonrpc: "2.0", id: request.id, error: { code: -32601, message: `${request.method} is not served here` } };
    }
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as Parameters<typeof answer>[0] | Array<Parameters<typeof answer>[0]>;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(Array.isArray(body) ? body.map(answer) : answer(body)));
    });
  });
  // Idle keep-alive connections stay open while the index folds a page (the default 5 s would reset a reused one).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    head,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Peak memory of the gateway's event index catching up with {@link MEMORY_EVENTS} events from nothing: the index
 * runs in a child process of its own (bench/listsIndexProcess.ts, started as the gateway is), so the figure is not
 * mixed with this process's in-process chain; the history comes from {@link startSyntheticNode}.
 */
async function measureIndexMemory(chain: Awaited<ReturnType<typeof startChain>>): Promise<IndexProcessReport> {
  const node = await startSyntheticNode(chain.deployment, MEMORY_EVENTS, MEMORY_EVENTS_PER_BLOCK);
  try {
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        path.join(__dirname, "listsIndexProcess.ts"),
        node.url,
        chain.deploymentsDir,
        String(chain.deployment.chainId),
      ],
      { cwd: path.join(__dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`the index process exited with ${code}: ${out}`);
    const report = JSON.parse(out.trim().split("\n").pop()!) as IndexProcessReport;
    if (report.events !== MEMORY_EVENTS) throw new Error(`the index process indexed ${report.events} events, not ${MEMORY_EVENTS}`);
    console.log(
      `index memory: ${report.events} events over ${report.blocks} blocks in ${report.seconds.toFixed(1)} s; ` +
        `RSS ${report.rssBeforeMb.toFixed(0)} MB before, peak ${report.peakRssMb.toFixed(0)} MB (start-up peak ${report.peakBeforeMb.toFixed(0)} MB)`,
    );
    return report;
  } finally {
    await node.close();
  }
}

async function main(): Promise<void> {
  const chain = await startChain();
  const proxy = await startBesuLikeProxy(chain.rpcUrl);
  const head = await chain.provider.getBlockNumber();
  const headBlock = (await chain.provider.getBlock(head))!;
  const time = headBlock.timestamp;
  const results: Record<number, { patientsP50: number; vaultP50: number; callsPerList: number }> = {};
  for (const n of SIZES) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bench-lists-"));
    const index = EventIndex.open({
      rpc: httpRpc(proxy.url),
      deployment: chain.deployment,
      dataDir: dir,
      range: 2000,
      pollIntervalMs: 60_000,
      log: pino({ level: "silent" }),
    });
    const fold = new EventFold(index.db);
    index.db.transaction(() => {
      for (const e of synthetic(n, head, time)) fold.add(e);
      index.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('through', ?)").run(JSON.stringify({ block: head, time }));
      // The head's real hash, so the follower's reorg check finds the chain unchanged.
      index.db.prepare("INSERT OR REPLACE INTO blocks (number, hash, time) VALUES (?, ?, ?)").run(head, headBlock.hash, time);
    })();
    const lists = new IndexedLists(index);
    const calls = (): number => [...proxy.calls.values()].reduce((x, y) => x + y, 0);
    const callsBefore = calls();
    const patientsP50 = await medianMs(() => lists.grants({ grantee: DOCTOR, live: true }, { limit: PAGE }), RUNS);
    const vaultP50 = await medianMs(() => lists.vault(PATIENT, [1, 2, 3], { limit: PAGE }), RUNS);
    // Averaged over every list call measured (a call may share a sync another call started).
    results[n] = { patientsP50, vaultP50, callsPerList: (calls() - callsBefore) / (2 * RUNS) };
    await index.close();
    await rm(dir, { recursive: true, force: true });
  }
  const hardhatCatchUp = await measureCatchUp({ name: "Hardhat", ...chain, mine: "hardhat_mine" }, HARDHAT_SHAPE);
  const memory = await measureIndexMemory(chain);
  await proxy.close();
  await chain.close();
  const anvilCatchUp = await measureCatchUpOnAnvil(ANVIL_SHAPE);
  const catchUp = { anvil: anvilCatchUp, hardhat: hardhatCatchUp };

  const [small, large] = SIZES.map((n) => results[n]);
  const figures = [
    { name: "doctor's patients, p50 at 100k grants", measured: large.patientsP50, unit: "ms", reference: small.patientsP50, referenceName: "p50 at 100", ratio: large.patientsP50 / small.patientsP50, goal: "≤ 1.5×", ok: large.patientsP50 / small.patientsP50 <= 1.5 },
    { name: "patient's vault, p50 at 100k records", measured: large.vaultP50, unit: "ms", reference: small.vaultP50, referenceName: "p50 at 100", ratio: large.vaultP50 / small.vaultP50, goal: "≤ 1.5×", ok: large.vaultP50 / small.vaultP50 <= 1.5 },
    { name: "JSON-RPC calls per list at 100k", measured: large.callsPerList, unit: "calls", reference: small.callsPerList, referenceName: "calls at 100", ratio: large.callsPerList / Math.max(1, small.callsPerList), goal: "≤ 1.1×", ok: large.callsPerList <= small.callsPerList * 1.1 },
    ...[anvilCatchUp, hardhatCatchUp].map((c) => ({ name: `index catch-up vs raw paged eth_getLogs (${c.chain}, median of ${c.runs.length})`, measured: c.indexEventsPerSecond, unit: "events/s", reference: c.rawEventsPerSecond, referenceName: "raw getLogs", ratio: c.ratio, goal: "≥ 0.5×", ok: c.ratio >= 0.5 })),
    { name: "peak memory of the index catching up with 100k events", measured: memory.peakRssMb, unit: "MB", reference: memory.rssBeforeMb, referenceName: "RSS before", ratio: memory.peakRssMb / memory.rssBeforeMb },
  ]; // prettier-ignore
  for (const f of figures)
    console.log(
      `${f.name}: ${f.measured.toFixed(3)} ${f.unit} (reference ${f.reference.toFixed(3)}, ratio ${f.ratio.toFixed(2)}, ${f.ok === undefined ? "no goal" : f.ok ? "ok" : "MISS"})`,
    );
  await writeBenchResult("lists", {
    results,
    catchUp,
    memory,
    figures,
  });
}

runBench(main);
