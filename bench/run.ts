/**
 * `npm run bench`: runs every bench script in turn, each in its own process (so one's memory, JIT and open handles
 * do not weigh on the next), then prints one table of every figure with its reference, ratio and goal, and writes
 * it to bench/results/summary.json.
 *
 * Scripts that need Hardhat's in-process chain run under `hardhat run --no-compile` (after one `hardhat compile`);
 * the others under ts-node. The web bundle is rebuilt (`npm run build:web`) before it is measured. `auditExport`
 * runs if bench/auditExport.ts exists. A script that fails is reported and the rest still run; the exit code is
 * non-zero only if a script failed, not if a goal was missed (a missed goal is a figure, shown as MISS).
 *
 * Run: `npm run bench` (all), or `npm run bench -- gas fetch` (only those, by name).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const RESULTS = path.join(__dirname, "results");
const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
const TS_NODE = path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** One row of the combined table. */
interface Figure {
  bench: string;
  name: string;
  measured: number;
  unit: string;
  reference?: number;
  referenceName?: string;
  ratio?: number;
  goal?: string;
  ok?: boolean;
}

/** A bench script: how to run it, and how to read its JSON into figures. */
interface Bench {
  name: string;
  file: string;
  runner: "ts-node" | "hardhat";
  before?: Array<{ label: string; command: string; args: string[] }>;
  figures(json: Record<string, unknown>): Figure[];
}

/** Figures of a result that carries a `figures` array (gas, encryption, fetch and any script following them). */
function listed(bench: string, json: Record<string, unknown>): Figure[] {
  const figures = json.figures;
  if (!Array.isArray(figures)) return [];
  return figures.map((f: Record<string, unknown>) => ({
    bench,
    name: String(f.name),
    measured: Number(f.measured),
    unit: String(f.unit ?? ""),
    reference: typeof f.reference === "number" ? f.reference : undefined,
    referenceName: typeof f.referenceName === "string" ? f.referenceName : undefined,
    ratio: typeof f.ratio === "number" ? f.ratio : undefined,
    goal: typeof f.goal === "string" ? f.goal : undefined,
    ok: typeof f.ok === "boolean" ? f.ok : undefined,
  }));
}

/** Best effort for a result without a `figures` array: any numeric `ratio` with its `ok`, at the top or one level down. */
function guessed(bench: string, json: Record<string, unknown>): Figure[] {
  const out: Figure[] = [];
  const visit = (name: string, o: Record<string, unknown>): void => {
    if (typeof o.ratio === "number") {
      const measuredKey = Object.keys(o).find((k) => /^measured|Ms$|MBps$|PerSecond$/.test(k) && typeof o[k] === "number");
      const referenceKey = Object.keys(o).find((k) => /^(reference|raw|baseline)/i.test(k) && typeof o[k] === "number");
      const okKey = ["ok", "pass", "withinBudget", "withinGoal"].find((k) => typeof o[k] === "boolean");
      out.push({
        bench,
        name,
        measured: measuredKey ? Number(o[measuredKey]) : NaN,
        unit: measuredKey ?? "",
        reference: referenceKey ? Number(o[referenceKey]) : undefined,
        referenceName: referenceKey,
        ratio: o.ratio,
        goal:
          typeof o.goal === "string" || typeof o.goal === "number"
            ? String(o.goal)
            : typeof o.target === "number"
              ? `${o.target}`
              : undefined,
        ok: okKey ? Boolean(o[okKey]) : undefined,
      });
    }
  };
  visit(bench, json);
  for (const [k, v] of Object.entries(json))
    if (v !== null && typeof v === "object" && !Array.isArray(v)) visit(`${bench}: ${k}`, v as Record<string, unknown>);
  return out;
}

const BENCHES: Bench[] = [
  {
    name: "encryptStore",
    file: "bench/encryptStore.ts",
    runner: "ts-node",
    figures: (j) => {
      const t = j.throughput as Record<string, number | boolean>;
      const m = j.memory as Record<string, number | boolean>;
      return [
        {
          bench: "encryptStore",
          name: "encrypt + store 50 MiB",
          measured: Number(t.encryptAndStoreMBps),
          unit: "MB/s",
          reference: Number(t.referenceMBps),
          referenceName: "slower of raw noble cipher / raw UnixFS add",
          ratio: Number(t.ratio),
          goal: `≥ ${t.target}×`,
          ok: Boolean(t.ok),
        },
        {
          bench: "encryptStore",
          name: "peak RSS streaming 200 MiB (above baseline)",
          measured: Number(m.peakAboveBaselineMiB),
          unit: "MiB",
          reference: Number(m.targetMiB),
          referenceName: "budget",
          ratio: Number(m.peakAboveBaselineMiB) / Number(m.targetMiB),
          goal: `< ${m.targetMiB} MiB`,
          ok: Boolean(m.ok),
        },
      ];
    },
  },
  { name: "encryption", file: "bench/encryption.ts", runner: "ts-node", figures: (j) => listed("encryption", j) },
  { name: "gas", file: "bench/gas.ts", runner: "hardhat", figures: (j) => listed("gas", j) },
  { name: "fetch", file: "bench/fetch.ts", runner: "hardhat", figures: (j) => listed("fetch", j) },
  { name: "exchange", file: "bench/exchange.ts", runner: "ts-node", figures: (j) => listed("exchange", j) },
  { name: "exchangeFloor", file: "bench/exchangeFloor.ts", runner: "ts-node", figures: (j) => listed("exchangeFloor", j) },
  { name: "lists", file: "bench/lists.ts", runner: "hardhat", figures: (j) => listed("lists", j) },
  { name: "chainState", file: "bench/chainState.ts", runner: "ts-node", figures: (j) => listed("chainState", j) },
  {
    name: "bundleSize",
    file: "bench/bundleSize.ts",
    runner: "ts-node",
    before: [{ label: "npm run build:web", command: NPM, args: ["run", "build:web"] }],
    figures: (j) => [
      {
        bench: "bundleSize",
        name: "web bundle (JS, gzip)",
        measured: Number(j.measuredKB),
        unit: "KB",
        reference: Number(j.budgetKB),
        referenceName: "budget",
        ratio: Number(j.ratio),
        goal: `≤ ${j.budgetKB} KB`,
        ok: Boolean(j.withinBudget),
      },
    ],
  },
  {
    name: "auditExport",
    file: "bench/auditExport.ts",
    // Chosen at run time from its imports (see runnerOf).
    runner: "hardhat",
    figures: (j) => {
      const figures = listed("auditExport", j);
      if (figures.length > 0) return figures;
      // Its own shape: medians of the CSV export and of the raw eth_getLogs over the same pages.
      const exportMs = (j.csvExportMs as { median?: number } | undefined)?.median;
      const rawMs = (j.rawGetLogsMs as { median?: number } | undefined)?.median;
      if (typeof exportMs !== "number" || typeof rawMs !== "number") return guessed("auditExport", j);
      return [
        {
          bench: "auditExport",
          name: `CSV export of ${Number(j.events).toLocaleString("en")} events (time)`,
          measured: exportMs / 1000,
          unit: "s",
          reference: rawMs / 1000,
          referenceName: "raw eth_getLogs",
          ratio: typeof j.ratio === "number" ? j.ratio : exportMs / rawMs,
          goal: typeof j.target === "number" ? `≤ ${j.target}×` : undefined,
          ok: typeof j.ok === "boolean" ? j.ok : undefined,
        },
      ];
    },
  },
];

/** Hardhat for a script that imports hardhat or the test stack (which does); ts-node otherwise. */
function runnerOf(bench: Bench): Bench["runner"] {
  if (bench.name !== "auditExport") return bench.runner;
  const source = readFileSync(path.join(ROOT, bench.file), "utf8");
  return /from "hardhat"|require\("hardhat"\)|test\/support\/stack|hardhat\/builtin-tasks/.test(source) ? "hardhat" : "ts-node";
}

/** Runs a command with the terminal attached; resolves with its exit code (never rejects). */
function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: process.env });
    child.on("error", (err) => {
      console.error(`could not start ${command}: ${err.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
}

function num(n: number | undefined, unit = ""): string {
  if (n === undefined || Number.isNaN(n)) return "";
  const s = Math.abs(n) >= 1000 ? n.toFixed(0) : Math.abs(n) >= 100 ? n.toFixed(1) : n.toFixed(2);
  return unit ? `${s} ${unit}` : s;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = BENCHES.filter((b) => (only.length === 0 || only.includes(b.name)) && existsSync(path.join(ROOT, b.file)));
  const skipped = BENCHES.filter((b) => !existsSync(path.join(ROOT, b.file))).map((b) => b.name);
  await mkdir(RESULTS, { recursive: true });

  const started = Date.now();
  const runs: Array<{ bench: string; exitCode: number; seconds: number; fresh: boolean }> = [];
  if (selected.some((b) => runnerOf(b) === "hardhat")) {
    console.log(`\n=== hardhat compile`);
    const code = await run(process.execPath, [HARDHAT, "compile", "--quiet"]);
    if (code !== 0) console.error(`hardhat compile failed (${code}); the chain benches will likely fail too`);
  }
  for (const bench of selected) {
    const t0 = Date.now();
    let code = 0;
    for (const step of bench.before ?? []) {
      console.log(`\n=== ${step.label}`);
      code = await run(step.command, step.args);
      if (code !== 0) break;
    }
    if (code === 0) {
      const runner = runnerOf(bench);
      console.log(`\n=== ${bench.name} (${runner === "hardhat" ? "hardhat run" : "ts-node"} ${bench.file})`);
      code =
        runner === "hardhat"
          ? await run(process.execPath, [HARDHAT, "run", "--no-compile", bench.file])
          : await run(process.execPath, [TS_NODE, bench.file]);
    }
    const json = path.join(RESULTS, `${bench.name}.json`);
    const fresh = existsSync(json) && statSync(json).mtimeMs >= t0;
    runs.push({ bench: bench.name, exitCode: code, seconds: (Date.now() - t0) / 1000, fresh });
  }

  const figures: Figure[] = [];
  const problems: string[] = [];
  for (const r of runs) {
    const bench = BENCHES.find((b) => b.name === r.bench)!;
    if (r.exitCode !== 0) problems.push(`${r.bench}: exited with ${r.exitCode}`);
    if (!r.fresh) {
      problems.push(`${r.bench}: wrote no bench/results/${r.bench}.json in this run`);
      continue;
    }
    try {
      const found = bench.figures(JSON.parse(readFileSync(path.join(RESULTS, `${r.bench}.json`), "utf8")) as Record<string, unknown>);
      if (found.length === 0) problems.push(`${r.bench}: no figures recognised in bench/results/${r.bench}.json`);
      figures.push(...found);
    } catch (err) {
      problems.push(`${r.bench}: unreadable result (${(err as Error).message})`);
    }
  }

  const widths = [12, 58, 16, 16, 7, 12, 4];
  console.log(`\n=== Summary (${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version})\n`);
  console.log(row(["bench", "figure", "measured", "reference", "ratio", "goal", ""], widths));
  for (const f of figures) {
    console.log(
      row(
        [
          f.bench,
          f.name.slice(0, widths[1]),
          num(f.measured, f.unit),
          num(f.reference, f.unit),
          f.ratio === undefined ? "" : f.ratio.toFixed(2),
          f.goal ?? "",
          f.ok === undefined ? "" : f.ok ? "ok" : "MISS",
        ],
        widths,
      ),
    );
  }
  const missed = figures.filter((f) => f.ok === false);
  console.log(
    `\ngoals: ${figures.filter((f) => f.ok === true).length} met, ${missed.length} missed${missed.length ? ": " + missed.map((f) => `${f.bench} ${f.name}`).join("; ") : ""}`,
  );
  console.log(
    `time: ${runs.map((r) => `${r.bench} ${r.seconds.toFixed(0)} s`).join(", ")}; total ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (skipped.length) console.log(`not present, skipped: ${skipped.join(", ")}`);
  for (const p of problems) console.log(`PROBLEM ${p}`);

  const summary = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cpus: os.cpus().length,
    totalSeconds: (Date.now() - started) / 1000,
    runs,
    skipped,
    problems,
    figures,
  };
  await writeFile(path.join(RESULTS, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  console.log(`\nwrote bench/results/summary.json`);
  if (runs.some((r) => r.exitCode !== 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
