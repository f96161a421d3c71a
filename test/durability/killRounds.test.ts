import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { addOwnRecord, grantAccess, readRecord, type ActorContext } from "../../lib/client";
import { CATEGORY, PURPOSE } from "../../lib/consent/codes";
import { readyActor } from "../support/actors";
import { freePort, killOrphanedChain, startLocalSystem, type LocalSystem } from "../support/processes";

/** Rounds of start, work, kill -9. */
const ROUNDS = 10;
/** The local chain writes its state every second: what a kill -9 may lose (the README's window), with margin. */
const CHAIN_WINDOW_MS = 1_500;
/** The kill lands this long after the round's work starts, at random within the range (so at every stage of it). */
const KILL_AFTER_MS = { min: 300, max: 3_000 };

/** A small seeded generator (mulberry32), so a failing round can be replayed from the seed it prints. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a user was told is done, and when (ms since the epoch). */
interface Done {
  records: Array<{ cid: string; text: string; round: number; at: number }>;
  grants: Array<{ round: number; at: number }>;
  reads: string[];
  /** When each round's kill landed. */
  kills: number[];
}

/** Whether something done in `round` at `at` was outside the chain window before that round's kill. */
const outsideWindow = (done: Done, item: { round: number; at: number }): boolean => item.at < done.kills[item.round] - CHAIN_WINDOW_MS;

describe("kill -9 at random points, ten rounds: everything a user saw as done outside the chain window survives", function () {
  this.timeout(600_000);
  let dir: string;
  let env: { DATA_DIR: string; CHAIN_PORT: string; PORT: string };
  let system: LocalSystem | undefined;
  const done: Done = { records: [], grants: [], reads: [], kills: [] };

  before(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-kill-"));
    env = { DATA_DIR: dir, CHAIN_PORT: String(await freePort()), PORT: String(await freePort()) };
  });

  after(async function () {
    await system?.proc.stop("SIGKILL");
    await killOrphanedChain(dir);
    await rm(dir, { recursive: true, force: true });
  });

  /** Uploads, grants and reads until stopped; each success is noted with its time. */
  async function work(jane: ActorContext, chen: ActorContext, round: number, stopped: () => boolean): Promise<void> {
    for (let step = 0; !stopped(); step++) {
      const text = `{"resourceType":"Condition","code":{"text":"round ${round} step ${step}"}}`;
      const { cid } = await addOwnRecord(jane, { plaintext: new TextEncoder().encode(text), category: CATEGORY.PROBLEMS });
      done.records.push({ cid, text, round, at: Date.now() });
      await grantAccess(jane, { grantee: chen.address, categories: [CATEGORY.PROBLEMS], purpose: PURPOSE.TREAT, durationSeconds: 7200 });
      done.grants.push({ round, at: Date.now() });
      await readRecord(chen, jane.address, { cid, category: CATEGORY.PROBLEMS });
      done.reads.push(cid);
    }
  }

  it("keeps every record, grant and disclosure across ten kills, and the disclosure log verifies against the chain", async function () {
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 100_000);
    const random = seeded(seed);
    console.log(`      kill rounds seeded with KILL_SEED=${seed}`);
    for (let round = 0; round <= ROUNDS; round++) {
      system = await startLocalSystem(env);
      const provider = new JsonRpcProvider(system.rpcUrl, 31337, { staticNetwork: true });
      const stack = { url: system.url, provider };
      const jane = await readyActor(stack, 1);
      const chen = await readyActor(stack, 2);

      // What the previous rounds told Jane and Dr. Chen is done, outside the chain window before its kill, is there.
      const vault = (await jane.client.listRecords(jane.address, { limit: 200 })).records;
      const listed = new Set(vault.map((r) => r.cid));
      for (const record of done.records.filter((r) => outsideWindow(done, r))) {
        expect(listed.has(record.cid), `round ${round}: record ${record.cid} (seed ${seed})`).to.equal(true);
      }
      // Whatever is listed opens (no record on the ledger without its ciphertext), and reads back what was written.
      for (const record of vault) {
        const text = new TextDecoder().decode(await readRecord(jane, jane.address, record));
        const known = done.records.find((r) => r.cid === record.cid);
        if (known !== undefined) expect(text).to.equal(known.text);
      }
      if (done.grants.some((g) => outsideWindow(done, g))) {
        const { grants } = await jane.client.grants({ patient: jane.address, grantee: chen.address });
        expect(
          grants.map((g) => g.live),
          `round ${round}: Dr. Chen's grant (seed ${seed})`,
        ).to.deep.equal([true]);
      }
      // Every release was logged before its bytes left, so every read Dr. Chen saw is in Jane's disclosure list.
      const disclosed = new Set((await jane.client.disclosures(jane.address, { limit: 200 })).disclosures.map((d) => d.cid));
      for (const cid of done.reads) expect(disclosed.has(cid), `round ${round}: disclosure of ${cid} (seed ${seed})`).to.equal(true);
      const auditor = await readyActor(stack, 4);
      expect(await auditor.client.verifyDisclosures(), `round ${round}: log verification (seed ${seed})`).to.deep.include({ ok: true });

      if (round === ROUNDS) break;
      let stopped = false;
      const working = work(jane, chen, round, () => stopped).catch(() => undefined); // cut short by the kill
      await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS.min + random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min)));
      done.kills[round] = Date.now();
      await system.proc.stop("SIGKILL");
      stopped = true;
      await working;
      provider.destroy();
    }
    expect(done.records.length, "records written across the rounds").to.be.greaterThan(ROUNDS / 2);
  });
});
