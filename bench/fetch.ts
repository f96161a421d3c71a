/**
 * Authorized record fetch against a bare fetch of the same bytes, from the same server process and the same store.
 *
 * One process: Hardhat's chain served over JSON-RPC on 127.0.0.1 (as `test/support/stack.ts` does), the gateway
 * built with `openGateway()` on that chain, and one HTTP server on 127.0.0.1 that hands `/bare/…` to a bench-only
 * Express app and everything else to the gateway's own app, as `listen()` serves it (not mounted inside another app,
 * which would add a layer the product does not have). The bench app's one route, `GET /bare/:cid`, streams
 * `store.get(cid)` (the gateway's own store instance, still hash-verified) with no session, no chain read and no log.
 * The product never has that route.
 * With `FETCH_CHAIN=process` the chain is a separate `hardhat node` process instead (as Besu or Geth would be).
 *
 * - authorized: `GET /api/records/{cid}` with Dr. Alice Chen's bearer token under a live grant from Jane. Each
 *   request checks the session, reads the chain head and the record, grant and block at it (JSON-RPC), reads the
 *   store, appends and fsyncs a disclosure log entry, then sends the bytes.
 * - bare: `GET /bare/{cid}` for the same CID.
 *
 * Load: `autocannon` in a worker thread (so the load generator does not share the server's event loop; latencies kept
 * to the fraction of a millisecond, see {@link LOAD_WORKER_SOURCE}), loopback,
 * 10 connections, a 2 s warm-up then 10 s measured per route, in five rounds of 2 s that alternate between the routes
 * (also capped at 200k requests a round): on a shared machine the load changes during a run, and back-to-back 10 s
 * runs put a change on one route only. Throughput is all rounds' answers over their time; a latency is the median of
 * the rounds' percentiles.
 * Rate limits are raised out of the way and anchoring is deferred so neither distorts the figure.
 * Goals (reliability issue): authorized req/s ≥ 0.5× bare, authorized p50 ≤ 2× bare.
 *
 * Then, to say where the time goes: each phase of the authorized path timed alone, one request at a time (same
 * service instances, median of 100); and a 5 s profiled run of the authorized route under the same load with a V8
 * CPU profile of the server's thread grouped by area (written to bench/results/fetch-authorized.cpuprofile).
 *
 * Run: `npx hardhat run --no-compile bench/fetch.ts` (or `npm run bench`). Writes bench/results/fetch.json.
 */
import { mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import express from "express";
import pino from "pino";
import { JsonRpcProvider } from "ethers";
import { parseConfig } from "../server/config";
import { closeGateway, openGateway, type Gateway } from "../server/gateway";
import { GatewayClient } from "../lib/client/gatewayClient";
import { addOwnRecord, grantAccess } from "../lib/client";
import { deployAll } from "../scripts/deploy";
import { demoWallet, seedDemo } from "../scripts/seed";
import { startChain, type DeployedChain, type TestStack } from "../test/support/stack";
import { readyActor } from "../test/support/actors";
import { startHardhatNode } from "../test/support/processes";
import { CATEGORY, PURPOSE } from "../lib/consent/codes";
import { medianMs, writeBenchResult } from "./benchRun";

const { LABS } = CATEGORY;
const { TREAT } = PURPOSE;

const RECORD_PLAINTEXT_BYTES = 4096;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const MEASURE_SECONDS = 10;
const ROUNDS = 5;
const PROFILE_SECONDS = 5;
const MAX_REQUESTS = 200_000;
const SEQUENTIAL_RUNS = 100;
const THROUGHPUT_GOAL = 0.5;
const P50_GOAL = 2;

/**
 * The load generator, in a worker thread of its own so it does not share the server's event loop: autocannon, with
 * every 2xx answer's latency kept as measured (fractional milliseconds). Why not autocannon's own percentiles: its
 * latency histogram holds whole milliseconds, and at a bare p50 of 1–2 ms that alone moves the p50 ratio between
 * 1.5 and 2.5; the exact median of the answers does not.
 */
const LOAD_WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const autocannon = require("autocannon");
const latencies = [];
const instance = autocannon(workerData, (err, result) => {
  if (err) throw err;
  const sorted = Float64Array.from(latencies).sort();
  const at = (p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  parentPort.postMessage({ ok: result["2xx"], duration: result.duration, errors: result.errors + result.timeouts, non2xx: result.non2xx, p50: at(0.5), p99: at(0.99), mean });
});
instance.on("response", (client, statusCode, bytes, ms) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
});
`;

interface LoadFigure {
  reqPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  seconds: number;
  errors: number;
  non2xx: number;
}

/** A chain with the contracts deployed and the demo people seeded, reachable at `rpcUrl`. */
interface BenchChain extends DeployedChain {
  mode: "in-process" | "process";
}

async function openChain(mode: BenchChain["mode"]): Promise<BenchChain> {
  if (mode === "in-process") {
    const chain = await startChain();
    return { mode, ...chain, close: () => chain.close() };
  }
  const node = await startHardhatNode();
  const provider = new JsonRpcProvider(node.rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1 });
  const dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-bench-"));
  const deploymentsDir = path.join(dir, "deployments");
  const deployment = await deployAll(demoWallet(0, provider), { deploymentsDir, gateways: [demoWallet(0, provider).address] });
  await seedDemo(deployment, provider);
  return {
    mode,
    rpcUrl: node.rpcUrl,
    provider,
    deployment,
    deploymentsDir,
    dir,
    async close() {
      provider.destroy();
      await node.proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function load(url: string, seconds: number, headers?: Record<string, string>): Promise<LoadFigure> {
  const workerData = { url, connections: CONNECTIONS, duration: seconds, maxOverallRequests: MAX_REQUESTS, headers };
  const worker = new Worker(LOAD_WORKER_SOURCE, { eval: true, workerData });
  const r = await new Promise<{ ok: number; duration: number; errors: number; non2xx: number; p50: number; p99: number; mean: number }>(
    (resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    },
  );
  await worker.terminate();
  return {
    reqPerSecond: r.ok / r.duration,
    p50Ms: r.p50,
    p99Ms: r.p99,
    meanMs: r.mean,
    requests: r.ok,
    seconds: r.duration,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

/** One figure from alternating rounds: answers over time for throughput, the rounds' median for each latency. */
function combine(rounds: LoadFigure[]): LoadFigure {
  const sum = (pick: (r: LoadFigure) => number): number => rounds.reduce((s, r) => s + pick(r), 0);
  const median = (pick: (r: LoadFigure) => number): number => rounds.map(pick).sort((a, b) => a - b)[Math.floor(rounds.length / 2)];
  const requests = sum((r) => r.requests);
  const seconds = sum((r) => r.seconds);
  return {
    reqPerSecond: requests / seconds,
    p50Ms: median((r) => r.p50Ms),
    p99Ms: median((r) => r.p99Ms),
    meanMs: sum((r) => r.meanMs * r.requests) / Math.max(1, requests),
    requests,
    seconds,
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
  };
}

/** Median wall time of `run`, called `SEQUENTIAL_RUNS` times one after another (after 10 unmeasured calls). */
function sequentialMs(run: () => Promise<unknown>): Promise<number> {
  return medianMs(run, SEQUENTIAL_RUNS, 10);
}

async function drain(parts: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const part of parts) bytes += part.length;
  return bytes;
}

function listenOn(handler: RequestListener): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}` });
    });
  });
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
}

async function main(): Promise<void> {
  const chain = await openChain(process.env.FETCH_CHAIN === "process" ? "process" : "in-process");
  const config = parseConfig({
    chainRpcUrl: chain.rpcUrl,
    dataDir: path.join(chain.dir, "gateway"),
    deploymentsDir: chain.deploymentsDir,
    port: 0,
    relayerKey: demoWallet(0, chain.provider).privateKey,
    logLevel: "silent",
    rateLimitPerIp: 10_000_000,
    rateLimitPerWallet: 10_000_000,
    anchorEveryEntries: 1_000_000,
    anchorIntervalSeconds: 86_400,
  });
  const gateway: Gateway = await openGateway(config, pino({ level: "silent" }));
  const { store, disclosures, chain: chainService } = gateway.services;

  // The bench-only bare route in an app of its own; every other request goes to the whole gateway as it is.
  const bareApp = express();
  bareApp.get("/bare/:cid", async (req, res, next) => {
    try {
      res.set("Content-Type", "application/octet-stream");
      for await (const part of store.get(req.params.cid)) res.write(part);
      res.end();
    } catch (err) {
      next(err);
    }
  });
  const { server, url } = await listenOn((req, res) => void (req.url?.startsWith("/bare/") ? bareApp : gateway.app)(req, res));
  // Sign-in checks a message's domain against where the gateway listens; this server is where it does.
  gateway.bound(url);

  try {
    // Jane stores a 4 KiB record and grants Dr. Alice Chen its category, through the gateway, as the web app does.
    const stack = { url, provider: chain.provider, deployment: chain.deployment } as TestStack;
    const jane = await readyActor(stack, 1);
    const alice = await readyActor(stack, 2);
    const plaintext = new Uint8Array(RECORD_PLAINTEXT_BYTES).map((_, i) => (i * 31) & 0xff);
    const { cid } = await addOwnRecord(jane, { plaintext, category: LABS });
    await grantAccess(jane, { grantee: alice.address, categories: [LABS], purpose: TREAT, durationSeconds: 30 * 86_400 });
    const token = await new GatewayClient(url).signIn(demoWallet(2, chain.provider), chain.deployment.chainId);
    const headers = { authorization: `Bearer ${token}` };
    const authorizedUrl = `${url}/api/records/${cid}`;
    const bareUrl = `${url}/bare/${cid}`;

    // Both routes serve the same bytes, and the authorized one logs a disclosure.
    const [a, b] = await Promise.all([fetch(authorizedUrl, { headers }), fetch(bareUrl)]);
    const [aBytes, bBytes] = [Buffer.from(await a.arrayBuffer()), Buffer.from(await b.arrayBuffer())];
    if (a.status !== 200 || b.status !== 200 || !aBytes.equals(bBytes)) {
      throw new Error(`routes disagree: authorized ${a.status} (${aBytes.length} B), bare ${b.status} (${bBytes.length} B)`);
    }
    if (a.headers.get("x-disclosure-seq") === null) throw new Error("the authorized fetch was not logged");
    const envelopeBytes = aBytes.length;

    // ---- the figure
    await load(authorizedUrl, WARMUP_SECONDS, headers);
    await load(bareUrl, WARMUP_SECONDS);
    const logStart = disclosures.list().length;
    const rounds: Record<"authorized" | "bare", LoadFigure[]> = { authorized: [], bare: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (["authorized", "bare"] as const) : (["bare", "authorized"] as const);
      for (const route of order) {
        const seconds = MEASURE_SECONDS / ROUNDS;
        rounds[route].push(route === "authorized" ? await load(authorizedUrl, seconds, headers) : await load(bareUrl, seconds));
      }
    }
    const logged = disclosures.list().length - logStart;
    const authorized = combine(rounds.authorized);
    const bare = combine(rounds.bare);

    // ---- where the time goes: each phase alone, one request at a time
    const decision = await gateway.services.access.decideRecordRead(cid, alice.address);
    const sequential = [
      { phase: "bare fetch over HTTP (whole request)", ms: await sequentialMs(async () => (await fetch(bareUrl)).arrayBuffer()) },
      {
        phase: "authorized fetch over HTTP (whole request)",
        ms: await sequentialMs(async () => (await fetch(authorizedUrl, { headers })).arrayBuffer()),
      },
      {
        phase: "  chain head as served (polled every 250 ms, at most 500 ms old)",
        ms: await sequentialMs(() => chainService.currentHead()),
      },
      {
        phase: "  access decision as served (at the polled head, cached for that block)",
        ms: await sequentialMs(() => gateway.services.access.decideRecordRead(cid, alice.address)),
      },
      { phase: "  store read + verify", ms: await sequentialMs(() => drain(store.get(cid))) },
      {
        phase: "  log append + fsync",
        ms: await sequentialMs(() =>
          disclosures.append({ reader: alice.address, cid, ...decision, release: "ciphertext", justification: "" }),
        ),
      },
      { phase: "  bare fdatasync of a 300 B append, same disk", ms: await fsyncMs(path.join(chain.dir, "fsync-probe")) },
    ];

    // ---- where the time goes: main-thread CPU under the same load
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
    const profiled = await load(authorizedUrl, PROFILE_SECONDS, headers);
    const { profile: cpuProfile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
    session.disconnect();
    const perRequest = Math.max(1, profiled.requests);
    const cpu = cpuByArea(cpuProfile).map((c) => ({ ...c, msPerRequest: c.ms / perRequest }));
    const profileFile = path.join(__dirname, "results", "fetch-authorized.cpuprofile");
    await mkdir(path.dirname(profileFile), { recursive: true });
    await writeFile(profileFile, JSON.stringify(cpuProfile));

    const throughputRatio = authorized.reqPerSecond / bare.reqPerSecond;
    const p50Ratio = authorized.p50Ms / bare.p50Ms;
    const p99Ratio = authorized.p99Ms / bare.p99Ms;
    const throughputOk = throughputRatio >= THROUGHPUT_GOAL;
    const p50Ok = p50Ratio <= P50_GOAL;

    const widths = [50, 10, 10, 7, 8, 5];
    const f = (n: number, d = 1): string => n.toFixed(d);
    console.log(`\nAuthorized ${envelopeBytes} B record fetch (4 KiB plaintext) vs bare fetch of the same bytes, same process + store`);
    console.log(
      `autocannon (worker thread): loopback, ${CONNECTIONS} connections, ${MEASURE_SECONDS} s each in ${ROUNDS} alternating rounds after ${WARMUP_SECONDS} s warm-up; chain ${chain.mode}; Node ${process.version}, ${os.cpus().length} CPUs\n`,
    );
    console.log(row(["", "authorized", "bare", "ratio", "goal", ""], widths));
    console.log(
      row(
        [
          "throughput (req/s)",
          f(authorized.reqPerSecond),
          f(bare.reqPerSecond),
          f(throughputRatio, 2),
          `≥ ${THROUGHPUT_GOAL}`,
          throughputOk ? "ok" : "MISS",
        ],
        widths,
      ),
    );
    console.log(
      row(["latency p50 (ms)", f(authorized.p50Ms), f(bare.p50Ms), f(p50Ratio, 2), `≤ ${P50_GOAL}`, p50Ok ? "ok" : "MISS"], widths),
    );
    console.log(row(["latency p99 (ms)", f(authorized.p99Ms), f(bare.p99Ms), f(p99Ratio, 2), "", ""], widths));
    console.log(
      row(
        [
          "2xx / errors / non-2xx",
          `${authorized.requests}/${authorized.errors}/${authorized.non2xx}`,
          `${bare.requests}/${bare.errors}/${bare.non2xx}`,
          "",
          "",
          "",
        ],
        widths,
      ),
    );
    for (const route of ["authorized", "bare"] as const) {
      console.log(`${route} per round (req/s, p50 ms): ${rounds[route].map((r) => `${f(r.reqPerSecond)}/${f(r.p50Ms)}`).join("  ")}`);
    }
    // A request still in flight when the run stops is logged (log first, then send) but not counted as answered.
    console.log(`disclosures logged during the authorized run: ${logged} (2xx answered: ${authorized.requests}; logged before sent, so ≥)`);
    if (logged < authorized.requests) throw new Error(`only ${logged} disclosures logged for ${authorized.requests} answered fetches`);

    console.log(`\nEach phase alone, one request at a time (median of ${SEQUENTIAL_RUNS})\n`);
    console.log(row(["", "ms", "", "", "", ""], widths));
    for (const s of sequential) console.log(row([s.phase, f(s.ms, 2), "", "", "", ""], widths));

    console.log(
      `\nServer-thread CPU per authorized fetch under load (profiled run: ${f(profiled.reqPerSecond)} req/s, p50 ${f(profiled.p50Ms)} ms)`,
    );
    console.log(`(V8 sampling profile; a native or node: internal frame counts for the package that called it)\n`);
    console.log(row(["area", "ms/req", "share", "", "", ""], widths));
    for (const c of cpu) console.log(row([c.area, f(c.msPerRequest, 2), `${f(c.share * 100)}%`, "", "", ""], widths));

    const summary = {
      chain: chain.mode,
      envelopeBytes,
      connections: CONNECTIONS,
      seconds: MEASURE_SECONDS,
      rounds,
      authorized,
      bare,
      disclosuresLogged: logged,
      throughputRatio,
      p50Ratio,
      p99Ratio,
      goals: { throughputRatio: THROUGHPUT_GOAL, p50Ratio: P50_GOAL },
      ok: { throughput: throughputOk, p50: p50Ok },
      sequentialMedianMs: sequential,
      profile: { run: profiled, mainThreadCpu: cpu, file: path.relative(process.cwd(), profileFile) },
      figures: [
        {
          name: "authorized 4 KB fetch throughput",
          measured: authorized.reqPerSecond,
          unit: "req/s",
          reference: bare.reqPerSecond,
          referenceName: "bare fetch",
          ratio: throughputRatio,
          goal: `≥ ${THROUGHPUT_GOAL}×`,
          ok: throughputOk,
        },
        {
          name: "authorized 4 KB fetch p50",
          measured: authorized.p50Ms,
          unit: "ms",
          reference: bare.p50Ms,
          referenceName: "bare fetch",
          ratio: p50Ratio,
          goal: `≤ ${P50_GOAL}×`,
          ok: p50Ok,
        },
        {
          name: "authorized 4 KB fetch p99",
          measured: authorized.p99Ms,
          unit: "ms",
          reference: bare.p99Ms,
          referenceName: "bare fetch",
          ratio: p99Ratio,
        },
      ],
    };
    await writeBenchResult("fetch", summary);
    console.log(`and the server's CPU profile: ${path.relative(process.cwd(), profileFile)} (open in Chrome DevTools)`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeGateway(gateway);
    await chain.close();
  }
}

/** The parts of a V8 CPU profile used here. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Which part of the system a frame belongs to, from its source URL; undefined for native and `node:` internal frames,
 * which count for their caller (an HTTP parse called from Hardhat's server counts for the chain node).
 */
function areaOf(url: string, fn: string): string | undefined {
  if (fn === "(idle)") return "idle (waiting on I/O)";
  if (fn === "(garbage collector)") return "garbage collector";
  if (fn === "(program)") return "V8/native, unattributed";
  if (url === "node:inspector") return "profiler (measurement only)";
  if (url === "" || url.startsWith("node:")) return undefined;
  if (/node_modules\/(hardhat|hardhat-gas-reporter|@nomicfoundation|json-stream-stringify)\//.test(url))
    return "chain node (Hardhat JSON-RPC server + EDR)";
  if (/node_modules\/(ethers|@noble\/hashes)\//.test(url)) return "JSON-RPC client (ethers: ABI, requests, keccak)";
  if (/node_modules\/(blockstore-fs|multiformats|@helia|interface-|it-|uint8arrays)/.test(url) || url.includes("server/services/store/")) {
    return "store (blockstore-fs, CID, sha-256 verify)";
  }
  if (url.includes("server/services/disclosureLog") || url.includes("lib/disclosure/")) return "disclosure log (hash chain, append)";
  if (
    /node_modules\/(express|router|helmet|express-rate-limit|body-parser|finalhandler|send|etag|on-finished|qs|raw-body|autocannon)\//.test(
      url,
    )
  ) {
    return "HTTP framework (Express, helmet, rate limit)";
  }
  if (!url.includes("node_modules")) return "gateway code (server/, lib/)";
  return "other packages";
}

/** Self time of a CPU profile grouped by {@link areaOf}; frames without an area count for their nearest caller with one. */
function cpuByArea(profile: CpuProfile): Array<{ area: string; ms: number; share: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const cache = new Map<number, string>();
  const area = (id: number): string => {
    const known = cache.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id)!;
    const up = parent.get(id);
    const result =
      areaOf(n.callFrame.url, n.callFrame.functionName) ?? (up === undefined ? "Node internals (event loop, timers, sockets)" : area(up));
    cache.set(id, result);
    return result;
  };
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const a = area(id);
    totals.set(a, (totals.get(a) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  totals.delete("profiler (measurement only)");
  const all = [...totals.values()].reduce((s, us) => s + us, 0);
  return [...totals.entries()].map(([a, us]) => ({ area: a, ms: us / 1000, share: us / all })).sort((x, y) => y.ms - x.ms);
}

/** Median latency of appending ~300 bytes to a file and fdatasync'ing it, 50 times in a row. */
async function fsyncMs(file: string): Promise<number> {
  const handle = await open(file, "a");
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    await handle.write("x".repeat(300) + "\n");
    await handle.datasync();
    times.push(performance.now() - start);
  }
  await handle.close();
  await rm(file, { force: true });
  return times.sort((a, b) => a - b)[25];
}

main()
  .then(() => process.exit(0))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
