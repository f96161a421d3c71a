/**
 * Encrypt + store: what a record upload costs next to its two parts done bare, and what streaming one costs in memory.
 *
 * 1. Throughput on a 50 MiB record: `sealRecordStream` piped into `EmbeddedStore.put` (temp folder), against the
 *    slower of raw XChaCha20-Poly1305 (`@noble/ciphers`, one call over the same bytes) and a raw UnixFS add of the
 *    same bytes (`@helia/unixfs` over `blockstore-fs`, no verification layer). Target: ratio ≥ 0.7.
 * 2. Peak RSS while a 200 MiB record, generated on the fly and never held whole, streams through
 *    `sealRecordStream` → `EmbeddedStore.put`, above the RSS just before it starts. Target: < 64 MiB.
 *
 * Each throughput figure is the median of five runs after a warm-up, the three subjects taking turns, all in this one
 * run, so the ratio compares like with like on whatever machine runs it (and whatever else that machine is doing). Writes bench/results/encryptStore.json.
 *
 * Run: `npx ts-node bench/encryptStore.ts` (or `npm run bench`).
 */
import { forcedGc, median, runBench, writeBenchResult } from "./benchRun";
import { benchHeader } from "./envelopeHeader";
import { randomBytes, randomFillSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { newDataKey, sealRecordStream } from "../lib/crypto";
import { EmbeddedStore, IMPORT_OPTIONS } from "../server/services/store/embeddedStore";

const MiB = 1024 * 1024;
const RECORD_BYTES = 50 * MiB;
const STREAM_BYTES = 200 * MiB;
const PIECE_BYTES = MiB;
const RUNS = 5;
const RATIO_TARGET = 0.7;
const RSS_TARGET_MIB = 64;

interface Figure {
  mbPerSecond: number;
  runsMs: number[];
}

function* pieces(bytes: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += PIECE_BYTES) yield bytes.subarray(offset, offset + PIECE_BYTES);
}

/** `total` bytes of random plaintext produced piece by piece into one reused buffer (sealRecordStream allows reuse). */
async function* generated(total: number): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(PIECE_BYTES);
  for (let done = 0; done < total; done += PIECE_BYTES) {
    const piece = buffer.subarray(0, Math.min(PIECE_BYTES, total - done));
    randomFillSync(piece);
    yield piece;
  }
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "consent-ledger-bench-"));
}

/** One measured operation: a setup outside the timing (fresh store, temp folder), the timed run, and a teardown. */
interface Subject {
  setup(): Promise<() => Promise<unknown>>;
  teardown(): Promise<void>;
}

/**
 * Times the subjects in interleaved rounds (a, b, c, a, b, c, …) so that whatever else the machine is doing weighs on
 * all of them alike, and returns each one's median throughput over `bytes`.
 */
async function measure(bytes: number, subjects: Subject[], runs = RUNS): Promise<Figure[]> {
  const times: number[][] = subjects.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (const [i, subject] of subjects.entries()) {
      const run = await subject.setup();
      forcedGc();
      const start = performance.now();
      await run();
      times[i].push(performance.now() - start);
      await subject.teardown();
    }
  }
  return times.map((runsMs) => {
    return { mbPerSecond: bytes / 1e6 / (median(runsMs) / 1000), runsMs: runsMs.map((ms) => Math.round(ms)) };
  });
}

function rawCipher(plaintext: Uint8Array): Subject {
  const key = newDataKey();
  const nonce = randomBytes(24);
  return {
    setup: async () => async () => xchacha20poly1305(key, nonce).encrypt(plaintext),
    teardown: async () => undefined,
  };
}

function rawUnixFsAdd(plaintext: Uint8Array): Subject {
  let dir = "";
  return {
    async setup() {
      const { FsBlockstore } = await import("blockstore-fs");
      const { unixfs } = await import("@helia/unixfs");
      dir = await tempDir();
      const blocks = new FsBlockstore(path.join(dir, "blocks"));
      await blocks.open();
      const fs = unixfs({ blockstore: blocks as never });
      return async () => {
        await fs.addByteStream(pieces(plaintext) as never, IMPORT_OPTIONS);
        await blocks.close();
      };
    },
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
}

function encryptAndStore(plaintext: Uint8Array): Subject {
  let dir = "";
  return {
    async setup() {
      dir = await tempDir();
      const store = await EmbeddedStore.open(dir);
      const dataKey = newDataKey();
      return async () => {
        await store.put(sealRecordStream(pieces(plaintext), benchHeader(dataKey, 1), dataKey));
        await store.close();
      };
    },
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Peak RSS above the baseline while `total` bytes of generated plaintext stream through seal → put. */
async function streamingPeakRss(total: number): Promise<{ baselineMiB: number; peakMiB: number; aboveMiB: number; seconds: number }> {
  const dir = await tempDir();
  const store = await EmbeddedStore.open(dir);
  const dataKey = newDataKey();
  // Warm the same path up on a small record so loading code and JIT are in the baseline, not in the peak.
  await store.put(sealRecordStream(generated(4 * MiB), benchHeader(dataKey, 1), dataKey));
  forcedGc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 5);
  const start = performance.now();
  await store.put(sealRecordStream(generated(total), benchHeader(dataKey, 1), dataKey), sample);
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  sample();
  await store.close();
  await rm(dir, { recursive: true, force: true });
  return { baselineMiB: baseline / MiB, peakMiB: peak / MiB, aboveMiB: (peak - baseline) / MiB, seconds };
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
}

async function main(): Promise<void> {
  // Memory first, before the 50 MiB buffers of the throughput runs exist.
  const memory = await streamingPeakRss(STREAM_BYTES);

  const plaintext = randomBytes(RECORD_BYTES);
  const subjects = (bytes: Uint8Array): Subject[] => [rawCipher(bytes), rawUnixFsAdd(bytes), encryptAndStore(bytes)];
  // Warm-up: every path once on a slice, so the medians do not pay for first-call compilation.
  await measure(8 * MiB, subjects(plaintext.subarray(0, 8 * MiB)), 1);
  const [cipher, unixfsAdd, ours] = await measure(RECORD_BYTES, subjects(plaintext));
  const reference = Math.min(cipher.mbPerSecond, unixfsAdd.mbPerSecond);
  const ratio = ours.mbPerSecond / reference;
  const ratioOk = ratio >= RATIO_TARGET;
  const rssOk = memory.aboveMiB < RSS_TARGET_MIB;

  const widths = [52, 10, 10, 7, 9, 5];
  const f = (n: number): string => n.toFixed(1);
  console.log(`\nEncrypt + store a ${RECORD_BYTES / MiB} MiB record (median of ${RUNS}; MB/s = 10^6 bytes/s), Node ${process.version}\n`);
  console.log(row(["", "MB/s", "reference", "ratio", "target", ""], widths));
  console.log(row(["raw XChaCha20-Poly1305 (@noble/ciphers, one call)", f(cipher.mbPerSecond), "", "", "", ""], widths));
  console.log(row(["raw UnixFS add (@helia/unixfs over blockstore-fs)", f(unixfsAdd.mbPerSecond), "", "", "", ""], widths));
  console.log(
    row(
      [
        "sealRecordStream → EmbeddedStore.put",
        f(ours.mbPerSecond),
        f(reference),
        ratio.toFixed(2),
        `≥ ${RATIO_TARGET}`,
        ratioOk ? "ok" : "MISS",
      ],
      widths,
    ),
  );
  console.log(`\nStream a ${STREAM_BYTES / MiB} MiB record (generated on the fly) through sealRecordStream → EmbeddedStore.put\n`);
  console.log(row(["", "MiB", "baseline", "", "target", ""], widths));
  console.log(
    row(["peak RSS above baseline", f(memory.aboveMiB), f(memory.baselineMiB), "", `< ${RSS_TARGET_MIB}`, rssOk ? "ok" : "MISS"], widths),
  );
  console.log(row([`(throughput of that run: ${f(STREAM_BYTES / 1e6 / memory.seconds)} MB/s)`, "", "", "", "", ""], widths));

  const summary = {
    throughput: {
      recordBytes: RECORD_BYTES,
      runs: RUNS,
      rawCipherMBps: cipher.mbPerSecond,
      rawUnixFsAddMBps: unixfsAdd.mbPerSecond,
      referenceMBps: reference,
      encryptAndStoreMBps: ours.mbPerSecond,
      ratio,
      target: RATIO_TARGET,
      ok: ratioOk,
      runsMs: { rawCipher: cipher.runsMs, rawUnixFsAdd: unixfsAdd.runsMs, encryptAndStore: ours.runsMs },
    },
    memory: {
      streamBytes: STREAM_BYTES,
      baselineRssMiB: memory.baselineMiB,
      peakRssMiB: memory.peakMiB,
      peakAboveBaselineMiB: memory.aboveMiB,
      targetMiB: RSS_TARGET_MIB,
      ok: rssOk,
      MBps: STREAM_BYTES / 1e6 / memory.seconds,
    },
  };
  await writeBenchResult("encryptStore", summary);
}

runBench(main);
