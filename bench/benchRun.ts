import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A full garbage collection between phases, so one phase's garbage does not count against the next. */
export const forcedGc: () => void = (() => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

/**
 * Writes a benchmark's figures to bench/results/<name>.json (what `npm run bench` collects), stamped with what they were
 * measured on (date, Node, CPU), and says where.
 */
export async function writeBenchResult(name: string, figures: object): Promise<void> {
  const out = path.join(__dirname, "results", `${name}.json`);
  const stamp = {
    bench: name,
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cpus: os.cpus().length,
  };
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ ...stamp, ...figures }, null, 2) + "\n");
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

/** Runs a benchmark's entry point; a failure is printed and exits non-zero so `npm run bench` sees it. */
export function runBench(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

/** The middle of `values` (the upper middle of an even count): the one rule every bench reports a median by. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Median wall time (ms) of `runs` calls of `run`, one after another, after `warmup` calls that are not measured. */
export async function medianMs(run: () => Promise<unknown>, runs: number, warmup = 0): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}
