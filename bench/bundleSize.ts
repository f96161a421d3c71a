import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** Issue budget for the web app's JavaScript, gzipped. */
const BUDGET_BYTES = 300 * 1024;
const ROOT = path.resolve(__dirname, "..");
const ASSETS = path.join(ROOT, "web", "dist", "assets");

/** Prints the gzipped size of the built web bundle against its budget (run `npm run build:web` first). */
function main(): void {
  let files: string[];
  try {
    files = readdirSync(ASSETS).filter((f) => f.endsWith(".js"));
  } catch {
    console.error("web/dist is missing: run `npm run build:web` first.");
    process.exit(2);
  }
  const rows = files.map((f) => {
    const bytes = readFileSync(path.join(ASSETS, f));
    return { file: f, raw: statSync(path.join(ASSETS, f)).size, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = rows.reduce((sum, r) => sum + r.gzip, 0);
  console.log("web bundle (JavaScript)");
  console.table(rows.map((r) => ({ file: r.file, "raw KB": (r.raw / 1024).toFixed(1), "gzip KB": (r.gzip / 1024).toFixed(1) })));
  const summary = {
    figure: "web bundle gzip",
    measuredKB: +(total / 1024).toFixed(1),
    budgetKB: BUDGET_BYTES / 1024,
    ratio: +(total / BUDGET_BYTES).toFixed(3),
    withinBudget: total <= BUDGET_BYTES,
  };
  console.table([summary]);
  mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench", "results", "bundleSize.json"), JSON.stringify(summary, null, 2) + "\n");
}

main();
