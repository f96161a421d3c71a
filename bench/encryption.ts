/**
 * Encryption throughput: our envelope (`sealRecord` / `openRecord`, XChaCha20-Poly1305 in 64 KiB chunks with the
 * header as AAD) against the bare ciphers on the same 50 MiB, in the same run:
 *
 * - raw `@noble/ciphers` xchacha20poly1305, one call over the whole buffer (the library's best case);
 * - raw `@noble/ciphers` xchacha20poly1305, one call per 64 KiB chunk with a fresh nonce (what the envelope does,
 *   minus the format);
 * - `node:crypto` 'chacha20-poly1305' (OpenSSL, native; 12-byte nonce, the IETF construction), one call, and one
 *   per 64 KiB chunk. Not usable by the envelope (the library must run unchanged in the browser), so it shows
 *   what pure-JS costs next to native code.
 *
 * Each figure is the best of five runs after a warm-up (the median is in the JSON too), the subjects taking turns
 * (a, b, c, a, b, c, …) so that whatever else the machine is doing weighs on all of them alike; the best run is the
 * one it disturbed least, which on a shared machine makes the ratios far steadier than medians. No target in the issues: the ratios are the
 * figure (overhead of the format over the cipher it uses; cost of pure JS against native).
 *
 * Run: `npx ts-node bench/encryption.ts` (or `npm run bench`). Writes bench/results/encryption.json.
 */
import { forcedGc, median, runBench, writeBenchResult } from "./benchRun";
import { benchHeader } from "./envelopeHeader";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { DEFAULT_CHUNK_SIZE, newDataKey, openRecord, sealRecord } from "../lib/crypto";

const MiB = 1024 * 1024;
const RECORD_BYTES = 50 * MiB;
const CHUNK = DEFAULT_CHUNK_SIZE;
const TAG = 16;
const RUNS = 5;

/** A timed operation over `RECORD_BYTES` of plaintext; `prepare` runs untimed (e.g. makes the ciphertext to open). */
interface Subject {
  name: string;
  prepare?(): void;
  run(): unknown;
}

interface Figure {
  name: string;
  /** From the fastest run: the least disturbed by whatever else the machine runs (all subjects alike). */
  mbPerSecond: number;
  medianMBps: number;
  runsMs: number[];
}

async function measure(subjects: Subject[], runs = RUNS): Promise<Figure[]> {
  const times: number[][] = subjects.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (const [i, subject] of subjects.entries()) {
      subject.prepare?.();
      forcedGc();
      const start = performance.now();
      subject.run();
      times[i].push(performance.now() - start);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return subjects.map((s, i) => {
    const mbps = (ms: number): number => RECORD_BYTES / 1e6 / (ms / 1000);
    return {
      name: s.name,
      mbPerSecond: mbps(Math.min(...times[i])),
      medianMBps: mbps(median(times[i])),
      runsMs: times[i].map((ms) => Math.round(ms)),
    };
  });
}

/** Nonce of chunk `index`: a random prefix with the index in the last four bytes (as the envelope does). */
function chunkNonce(prefix: Uint8Array, length: number, index: number): Uint8Array {
  const nonce = new Uint8Array(length);
  nonce.set(prefix.subarray(0, length - 4));
  new DataView(nonce.buffer).setUint32(length - 4, index);
  return nonce;
}

function subjects(plaintext: Uint8Array): Subject[] {
  const key = newDataKey();
  const header = benchHeader(key, 4);
  const nonce24 = randomBytes(24);
  const nonce12 = randomBytes(12);
  const chunks = Math.ceil(plaintext.length / CHUNK);
  let envelope: Uint8Array = new Uint8Array(0);
  let nobleSealed: Uint8Array = new Uint8Array(0);
  let nobleChunks: Uint8Array = new Uint8Array(0);
  let nodeSealed: Buffer = Buffer.alloc(0);
  let nodeTag: Buffer = Buffer.alloc(0);
  let nodeChunks: Array<{ body: Buffer; tag: Buffer }> = [];

  // Like sealRecord/openRecord: one output allocation, each chunk encrypted (or decrypted) straight into its slot.
  const nobleChunkEncrypt = (): Uint8Array => {
    const out = new Uint8Array(plaintext.length + chunks * TAG);
    for (let i = 0; i < chunks; i++) {
      const piece = plaintext.subarray(i * CHUNK, (i + 1) * CHUNK);
      const at = i * (CHUNK + TAG);
      xchacha20poly1305(key, chunkNonce(nonce24, 24, i)).encrypt(piece, out.subarray(at, at + piece.length + TAG));
    }
    return out;
  };
  const nobleChunkDecrypt = (sealed: Uint8Array): Uint8Array => {
    const out = new Uint8Array(plaintext.length);
    for (let i = 0; i < chunks; i++) {
      const at = i * (CHUNK + TAG);
      const piece = sealed.subarray(at, Math.min(at + CHUNK + TAG, sealed.length));
      xchacha20poly1305(key, chunkNonce(nonce24, 24, i)).decrypt(piece, out.subarray(i * CHUNK, i * CHUNK + piece.length - TAG));
    }
    return out;
  };
  const nodeOne = (): { body: Buffer; tag: Buffer } => {
    const c = createCipheriv("chacha20-poly1305", key, nonce12, { authTagLength: TAG });
    const body = Buffer.concat([c.update(plaintext), c.final()]);
    return { body, tag: c.getAuthTag() };
  };
  const nodeChunkEncrypt = (): Array<{ body: Buffer; tag: Buffer }> => {
    const out: Array<{ body: Buffer; tag: Buffer }> = [];
    for (let i = 0; i < chunks; i++) {
      const c = createCipheriv("chacha20-poly1305", key, chunkNonce(nonce12, 12, i), { authTagLength: TAG });
      const body = Buffer.concat([c.update(plaintext.subarray(i * CHUNK, (i + 1) * CHUNK)), c.final()]);
      out.push({ body, tag: c.getAuthTag() });
    }
    return out;
  };

  return [
    { name: "sealRecord (ours, 64 KiB chunks)", run: () => sealRecord(plaintext, header, key) },
    {
      name: "openRecord (ours, 64 KiB chunks)",
      prepare: () => void (envelope = sealRecord(plaintext, header, key)),
      run: () => openRecord(envelope, key),
    },
    { name: "noble encrypt, one call", run: () => xchacha20poly1305(key, nonce24).encrypt(plaintext) },
    {
      name: "noble decrypt, one call",
      prepare: () => void (nobleSealed = xchacha20poly1305(key, nonce24).encrypt(plaintext)),
      run: () => xchacha20poly1305(key, nonce24).decrypt(nobleSealed),
    },
    { name: "noble encrypt, 64 KiB chunks", run: nobleChunkEncrypt },
    {
      name: "noble decrypt, 64 KiB chunks",
      prepare: () => void (nobleChunks = nobleChunkEncrypt()),
      run: () => nobleChunkDecrypt(nobleChunks),
    },
    { name: "node:crypto encrypt, one call", run: nodeOne },
    {
      name: "node:crypto decrypt, one call",
      prepare: () => void ({ body: nodeSealed, tag: nodeTag } = nodeOne()),
      run: () => {
        const d = createDecipheriv("chacha20-poly1305", key, nonce12, { authTagLength: TAG });
        d.setAuthTag(nodeTag);
        return Buffer.concat([d.update(nodeSealed), d.final()]);
      },
    },
    { name: "node:crypto encrypt, 64 KiB chunks", run: nodeChunkEncrypt },
    {
      name: "node:crypto decrypt, 64 KiB chunks",
      prepare: () => void (nodeChunks = nodeChunkEncrypt()),
      run: () =>
        nodeChunks.map(({ body, tag }, i) => {
          const d = createDecipheriv("chacha20-poly1305", key, chunkNonce(nonce12, 12, i), { authTagLength: TAG });
          d.setAuthTag(tag);
          return Buffer.concat([d.update(body), d.final()]);
        }),
    },
  ];
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
}

async function main(): Promise<void> {
  const plaintext = new Uint8Array(randomBytes(RECORD_BYTES));
  // Warm-up on 4 MiB: compile every path before timing.
  await measure(subjects(plaintext.subarray(0, 4 * MiB)), 1);
  const figures = await measure(subjects(plaintext));
  const by = (name: string): Figure => figures.find((f) => f.name.startsWith(name))!;
  const seal = by("sealRecord");
  const open = by("openRecord");
  const ratios = [
    { subject: seal, reference: by("noble encrypt, one call") },
    { subject: seal, reference: by("noble encrypt, 64 KiB") },
    { subject: seal, reference: by("node:crypto encrypt, 64 KiB") },
    { subject: open, reference: by("noble decrypt, one call") },
    { subject: open, reference: by("noble decrypt, 64 KiB") },
    { subject: open, reference: by("node:crypto decrypt, 64 KiB") },
  ].map(({ subject, reference }) => ({
    subject: subject.name,
    reference: reference.name,
    ratio: subject.mbPerSecond / reference.mbPerSecond,
  }));

  const widths = [40, 9, 9, 30];
  const f = (n: number): string => n.toFixed(1);
  console.log(`\nEncryption throughput on ${RECORD_BYTES / MiB} MiB (best of ${RUNS}; MB/s = 10^6 bytes/s), Node ${process.version}\n`);
  console.log(row(["", "MB/s", "median", "runs (ms)"], widths));
  for (const fig of figures) console.log(row([fig.name, f(fig.mbPerSecond), f(fig.medianMBps), fig.runsMs.join(" ")], widths));
  console.log(`\n${"ours".padEnd(34)}  ${"reference".padEnd(34)}  ratio`);
  for (const r of ratios) console.log(`${r.subject.padEnd(34)}  ${r.reference.padEnd(34)}  ${r.ratio.toFixed(2)}`);

  const summary = {
    recordBytes: RECORD_BYTES,
    chunkBytes: CHUNK,
    runs: RUNS,
    statistic: "best of runs",
    throughputMBps: Object.fromEntries(figures.map((fig) => [fig.name, fig.mbPerSecond])),
    medianMBps: Object.fromEntries(figures.map((fig) => [fig.name, fig.medianMBps])),
    runsMs: Object.fromEntries(figures.map((fig) => [fig.name, fig.runsMs])),
    ratios,
    figures: ratios.map((r) => ({
      name: `${r.subject.split(" (")[0]} vs ${r.reference}`,
      measured: figures.find((x) => x.name === r.subject)!.mbPerSecond,
      unit: "MB/s",
      reference: figures.find((x) => x.name === r.reference)!.mbPerSecond,
      referenceName: r.reference,
      ratio: r.ratio,
    })),
  };
  await writeBenchResult("encryption", summary);
}

runBench(main);
