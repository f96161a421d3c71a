import path from "node:path";
import { Worker } from "node:worker_threads";
import { GENESIS_HASH, entryHash, type ChainStart, type DisclosureEntry } from "../../lib/disclosure/entries";
import type { AnchoredRoot } from "../../lib/disclosure/anchoring";
import { ApiError } from "../errors";

/** The outcome of a verification, as /api/disclosures/verify answers it. */
export interface LogCheck {
  ok: boolean;
  entries: number;
  firstBadSeq?: number;
  reason?: string;
  anchoredThrough: number;
  unanchored: number;
}

/**
 * Verifies the disclosure log against the roots anchored on-chain, incrementally and off the event loop:
 * - the hash chain and Merkle roots are recomputed in a worker thread, so a long log never stalls the gateway;
 * - the Merkle roots of a range once verified up to an anchored root are not recomputed: the next check starts at the
 *   entry after it, chaining from its hash, after making sure that entry on disk still hashes to what was verified
 *   and that the entries before it still chain to it (so a rewrite of any already-verified entry is still seen: of
 *   the tip by its hash, of an earlier one by the chain). A full re-check is what the audit CLI
 *   (`npm run audit -- --log`) does;
 * - one verification at a time: concurrent callers share it.
 */
export class LogVerifier {
  private verified: { seq: number; hash: string } | undefined;
  private running?: Promise<LogCheck>;

  constructor(
    private readonly readLog: () => Promise<DisclosureEntry[]>,
    private readonly anchors: () => Promise<AnchoredRoot[]>,
  ) {}

  /** Verifies what was not verified yet (see the class comment). */
  verify(): Promise<LogCheck> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<LogCheck> {
    const [entries, anchors] = await Promise.all([this.readLog(), this.anchors()]);
    let start: ChainStart = GENESIS_START;
    const last = this.verified;
    if (last !== undefined && entries[last.seq] !== undefined) {
      const { hash, ...body } = entries[last.seq];
      // The verified tip must still be there, unchanged, and still be reached by an intact chain (an entry before it
      // edited in place no longer hashes to its own hash); otherwise check everything again.
      const tipKept = hash === last.hash && entryHash(body) === hash;
      if (tipKept && (await inWorker(entries.slice(0, last.seq + 1), [], GENESIS_START)).ok) start = { seq: last.seq + 1, prevHash: hash };
    }
    const result = await inWorker(entries.slice(start.seq), anchors, start);
    if (result.ok && result.anchoredThrough >= 0 && result.anchoredThrough >= start.seq) {
      this.verified = { seq: result.anchoredThrough, hash: entries[result.anchoredThrough].hash };
    } else if (!result.ok) {
      this.verified = undefined;
    }
    return result;
  }
}

/** Where a full check starts. */
const GENESIS_START: ChainStart = { seq: 0, prevHash: GENESIS_HASH };

function inWorker(entries: DisclosureEntry[], anchors: AnchoredRoot[], start: ChainStart): Promise<LogCheck> {
  const ts = __filename.endsWith(".ts");
  const worker = new Worker(path.join(__dirname, `logVerifierWorker${ts ? ".ts" : ".js"}`), {
    workerData: { entries, anchors, start },
    // Under ts-node (npm start, tests) the worker compiles its TypeScript the same way.
    execArgv: ts ? ["--require", "ts-node/register/transpile-only"] : [],
  });
  return new Promise((resolve, reject) => {
    worker.once("message", (result: LogCheck) => resolve(result));
    worker.once("error", (err) => reject(new ApiError("INTERNAL", `The log could not be verified: ${err.message}`)));
    worker.once("exit", (code) => {
      if (code !== 0) reject(new ApiError("INTERNAL", `The log verifier stopped with code ${code}.`));
    });
  });
}
