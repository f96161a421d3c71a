/**
 * The floor of issue 14's 50 MiB figure on this machine: the least a cross-organization read has to do against the
 * least a local read has to do, each written out bare (node:http, node:fs, node:crypto; no Express, no UnixFS, no
 * tokens), so that what bench/exchange.ts measures for the gateway can be read against what the machine allows.
 *
 * - Local, bare: read 50 blocks of 1 MiB from files and hash each (what the embedded store's read must do: every
 *   block read from disk is hashed against its CID).
 * - Cross-organization, bare: a peer process reads and hashes each block (the serving side's verified read) and sends
 *   it over loopback HTTP with keep-alive; this process receives it into one buffer, hashes it (verified on arrival)
 *   and writes its copy (temporary file, then rename, no fsync: as the exchange keeps fetched blocks), eight blocks in
 *   flight. Also measured without the copy, to show what writing it costs.
 *
 * One untimed run of each kind first, then 7 runs of each in turns; medians. No goal: this is the ceiling of the
 * figure in bench/exchange.ts (whose goal is ≥ 0.5×), not a figure of the product.
 *
 * Run: `npx ts-node bench/exchangeFloor.ts` (or `npm run bench -- exchangeFloor`). Writes bench/results/exchangeFloor.json.
 */
import { fork } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { median, writeBenchResult } from "./benchRun";

const BLOCKS = 50;
const BLOCK_BYTES = 1024 * 1024;
const IN_FLIGHT = 8;
const RUNS = 7;

const sha256 = (bytes: Uint8Array): Buffer => createHash("sha256").update(bytes).digest();

/** Runs `work(i)` for every block, at most IN_FLIGHT at a time, in block order; resolves with the MB/s. */
async function throughput(work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < BLOCKS) await work(next++);
    }),
  );
  return (BLOCKS * BLOCK_BYTES) / 1e6 / ((performance.now() - started) / 1000);
}

/** The peer: serves block i of `dir` at `/i`, read from its file and hashed first. */
function peerProcess(dir: string): void {
  const server = http.createServer((req, res) => {
    void (async () => {
      const bytes = await readFile(path.join(dir, String(Number(req.url?.slice(1)))));
      sha256(bytes);
      res.writeHead(200, { "content-length": bytes.byteLength }).end(bytes);
    })();
  });
  server.listen(0, "127.0.0.1", () => process.send!((server.address() as AddressInfo).port));
  process.on("disconnect", () => process.exit(0));
}

/** GET one block into one buffer sized from Content-Length. */
function getBlock(port: number, i: number, agent: http.Agent): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: `/${i}`, agent }, (response) => {
        const whole = Buffer.allocUnsafe(Number(response.headers["content-length"]));
        let filled = 0;
        response.on("data", (part: Buffer) => {
          part.copy(whole, filled);
          filled += part.byteLength;
        });
        response.on("end", () => resolve(whole));
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

/** Writes a copy as the exchange does (VerifiedBlocks.putCopy): a temporary file, then renamed into place. */
async function writeCopy(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, name);
  const handle = await open(`${target}.partial`, "wx");
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
  await rename(`${target}.partial`, target);
}

async function writeBlocks(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < BLOCKS; i++) await writeFile(path.join(dir, String(i)), randomBytes(BLOCK_BYTES));
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), "exchange-floor-"));
  const local = path.join(root, "local");
  const peerDir = path.join(root, "peer");
  await writeBlocks(local);
  await writeBlocks(peerDir);
  const peer = fork(__filename, ["--peer", peerDir], { execArgv: ["-r", "ts-node/register/transpile-only"] });
  const agent = new http.Agent({ keepAlive: true });
  try {
    const port = await new Promise<number>((resolve) => peer.once("message", (p) => resolve(Number(p))));
    let copies = 0;
    const kinds = {
      local: () =>
        throughput(async (i) => {
          sha256(await readFile(path.join(local, String(i))));
        }),
      cross: () => {
        const dir = path.join(root, `copies-${copies++}`);
        return throughput(async (i) => {
          const bytes = await getBlock(port, i, agent);
          sha256(bytes);
          await writeCopy(path.join(dir, String(i % 10)), String(i), bytes);
        });
      },
      crossWithoutCopy: () =>
        throughput(async (i) => {
          sha256(await getBlock(port, i, agent));
        }),
    };
    const runs = { local: [] as number[], cross: [] as number[], crossWithoutCopy: [] as number[] };
    for (const kind of Object.keys(kinds) as Array<keyof typeof kinds>) await kinds[kind]();
    for (let run = 0; run < RUNS; run++) {
      for (const kind of Object.keys(kinds) as Array<keyof typeof kinds>) runs[kind].push(await kinds[kind]());
    }
    const m = { local: median(runs.local), cross: median(runs.cross), crossWithoutCopy: median(runs.crossWithoutCopy) };
    const figures = [
      {
        name: "bare 50 MiB cross-organization read (HTTP, hash, copy written) vs bare local read (read, hash)",
        measured: m.cross,
        unit: "MB/s",
        reference: m.local,
        referenceName: "bare local read",
        ratio: m.cross / m.local,
      },
      {
        name: "the same without writing the copy",
        measured: m.crossWithoutCopy,
        unit: "MB/s",
        reference: m.local,
        referenceName: "bare local read",
        ratio: m.crossWithoutCopy / m.local,
      },
    ];
    console.log(`\nFloor of the 50 MiB exchange figure (${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version})\n`);
    for (const f of figures)
      console.log(`${f.name}: ${f.measured.toFixed(0)} MB/s vs ${f.reference.toFixed(0)} MB/s = ${f.ratio.toFixed(2)}×`);
    const list = (values: number[]): string => values.map((v) => v.toFixed(0)).join(" ");
    console.log(`runs (MB/s): local ${list(runs.local)}; cross ${list(runs.cross)}; cross without copy ${list(runs.crossWithoutCopy)}`);
    await writeBenchResult("exchangeFloor", { blocks: BLOCKS, blockBytes: BLOCK_BYTES, inFlight: IN_FLIGHT, runs, figures });
  } finally {
    agent.destroy();
    peer.disconnect();
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--peer") peerProcess(process.argv[3]);
else
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
