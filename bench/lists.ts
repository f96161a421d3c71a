/**
 * Lists against the event index, at 100 and at 100,000 indexed grants and records: a doctor's patients (grants held)
 * and a patient's vault, p50 of a 50-item page, and the JSON-RPC calls each list costs (counted by a proxy in front of
 * the chain). The goal: p50 at 100k ≤ 1.5 × p50 at 100, and the same number of calls at both sizes.
 *
 * The index is filled with synthetic events through the same fold the follower uses, then marked as read through the
 * head, so each list costs what it costs in service: one head read, then indexed queries.
 *
 * Run: `npm run bench -- lists` (Hardhat's in-process chain). Writes bench/results/lists.json.
 */
import { runBench, writeBenchResult } from "./benchRun";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import type { LedgerEvent } from "../lib/audit/events";
import { httpRpc } from "../lib/audit/rpc";
import { documentCid } from "../lib/ids/cid";
import { EventFold } from "../server/services/index/eventFold";
import { EventIndex } from "../server/services/index/eventIndex";
import { IndexedLists } from "../server/services/lists/indexedLists";
import { startBesuLikeProxy } from "../test/support/besuLikeProxy";
import { startChain } from "../test/support/stack";
import { NonceManager } from "ethers";
import { demoWallet } from "../scripts/seed";
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

async function p50(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** Real events written for the catch-up figure, and the empty blocks mined among them (so pages span empty ranges too). */
const CATCH_UP_EVENTS = 3000;
const CATCH_UP_EMPTY_BLOCKS = 20_000;

/**
 * Index catch-up against the cheapest way to read the same history: the same range read with raw paged eth_getLogs
 * (pages of 2,000 blocks, the four contracts) versus a fresh index syncing it (the same pages, plus block times,
 * decoding, folding and SQLite writes). Both on one chain in the same run.
 */
async function measureCatchUp(
  chain: Awaited<ReturnType<typeof startChain>>,
): Promise<{ events: number; blocks: number; rawEventsPerSecond: number; indexEventsPerSecond: number }> {
  const jane = demoWallet(1, chain.provider);
  const ledger = ConsentLedger__factory.connect(chain.deployment.contracts.ConsentLedger.address, new NonceManager(jane));
  const doctor = demoWallet(2, chain.provider).address;
  const expiresAt = (await chain.provider.getBlock("latest"))!.timestamp + 86_400;
  const sent = [];
  for (let i = 0; i < CATCH_UP_EVENTS; i++) {
    sent.push(await ledger.grant(doctor, 2, 1, expiresAt + i, "0x" + (i + 1).toString(16).padStart(64, "0")));
    if (i % 300 === 0) await chain.provider.send("hardhat_mine", ["0x" + Math.floor(CATCH_UP_EMPTY_BLOCKS / 10).toString(16)]);
  }
  await sent[sent.length - 1].wait();
  const head = await chain.provider.getBlockNumber();
  const first = Math.min(...Object.values(chain.deployment.contracts).map((c) => c.blockNumber));
  const addresses = Object.values(chain.deployment.contracts).map((c) => c.address);

  const rpc = httpRpc(chain.rpcUrl);
  let rawEvents = 0;
  const rawStarted = performance.now();
  for (let from = first; from <= head; from += 2000) {
    const logs = (await rpc.send("eth_getLogs", [
      { address: addresses, fromBlock: "0x" + from.toString(16), toBlock: "0x" + Math.min(head, from + 1999).toString(16) },
    ])) as unknown[];
    rawEvents += logs.length;
  }
  const rawSeconds = (performance.now() - rawStarted) / 1000;

  const dir = await mkdtemp(path.join(os.tmpdir(), "bench-catchup-"));
  const index = EventIndex.open({
    rpc,
    deployment: chain.deployment,
    dataDir: dir,
    range: 2000,
    pollIntervalMs: 60_000,
    log: pino({ level: "silent" }),
  });
  const indexStarted = performance.now();
  await index.syncFresh();
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  await index.close();
  await rm(dir, { recursive: true, force: true });
  console.log(
    `catch-up over ${head - first + 1} blocks, ${rawEvents} events: raw getLogs ${rawSeconds.toFixed(2)} s, index ${indexSeconds.toFixed(2)} s`,
  );
  return {
    events: rawEvents,
    blocks: head - first + 1,
    rawEventsPerSecond: rawEvents / rawSeconds,
    indexEventsPerSecond: rawEvents / indexSeconds,
  };
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
    const patientsP50 = await p50(() => lists.grants({ grantee: DOCTOR, live: true }, { limit: PAGE }));
    const vaultP50 = await p50(() => lists.vault(PATIENT, [1, 2, 3], { limit: PAGE }));
    // Averaged over every list call measured (a call may share a sync another call started).
    results[n] = { patientsP50, vaultP50, callsPerList: (calls() - callsBefore) / (2 * RUNS) };
    await index.close();
    await rm(dir, { recursive: true, force: true });
  }
  const catchUp = await measureCatchUp(chain);
  await proxy.close();
  await chain.close();

  const [small, large] = SIZES.map((n) => results[n]);
  const figures = [
    { name: "doctor's patients, p50 at 100k grants", measured: large.patientsP50, unit: "ms", reference: small.patientsP50, referenceName: "p50 at 100", ratio: large.patientsP50 / small.patientsP50, goal: "≤ 1.5×", ok: large.patientsP50 / small.patientsP50 <= 1.5 },
    { name: "patient's vault, p50 at 100k records", measured: large.vaultP50, unit: "ms", reference: small.vaultP50, referenceName: "p50 at 100", ratio: large.vaultP50 / small.vaultP50, goal: "≤ 1.5×", ok: large.vaultP50 / small.vaultP50 <= 1.5 },
    { name: "JSON-RPC calls per list at 100k", measured: large.callsPerList, unit: "calls", reference: small.callsPerList, referenceName: "calls at 100", ratio: large.callsPerList / Math.max(1, small.callsPerList), goal: "≤ 1.1×", ok: large.callsPerList <= small.callsPerList * 1.1 },
    { name: "index catch-up vs raw paged eth_getLogs", measured: catchUp.indexEventsPerSecond, unit: "events/s", reference: catchUp.rawEventsPerSecond, referenceName: "raw getLogs", ratio: catchUp.indexEventsPerSecond / catchUp.rawEventsPerSecond, goal: "≥ 0.5×", ok: catchUp.indexEventsPerSecond / catchUp.rawEventsPerSecond >= 0.5 },
  ]; // prettier-ignore
  for (const f of figures)
    console.log(
      `${f.name}: ${f.measured.toFixed(3)} ${f.unit} (reference ${f.reference.toFixed(3)}, ratio ${f.ratio.toFixed(2)}, ${f.ok ? "ok" : "MISS"})`,
    );
  await writeBenchResult("lists", { bench: "lists", date: new Date().toISOString(), node: process.version, results, catchUp, figures });
}

runBench(main);
