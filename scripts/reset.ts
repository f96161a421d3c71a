import { rm } from "node:fs/promises";
import path from "node:path";

/**
 * `npm run reset`: deletes the local system's data — the chain's state and deployments, the store, the disclosure
 * log, the event index and the gateway's state — so the next `npm start` begins from an empty ledger. The only
 * command (with `npm start -- --fresh`) that deletes anything; it names what it deletes. Stop `npm start` first.
 */
async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.DATA_DIR || path.join(__dirname, "..", ".data", "local"));
  console.log(`[reset] deleting ${dataDir} (chain state, deployments, store, disclosure log, event index, gateway state)`);
  await rm(dataDir, { recursive: true, force: true });
  console.log("[reset] done: the next `npm start` begins with an empty ledger and the demo people only.");
}

main().catch((err: unknown) => {
  console.error(`[reset] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
