import { fork, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { keepGood, parses } from "../../scripts/localChain/anvil";

/** A state about the size of Anvil's at ~10k blocks, so that one rewrite takes a while, as Anvil's dumps do. */
const STATE_BYTES = 16 * 1024 * 1024;
/** Copies to check, and the most rounds to try for them (most rounds find the file mid-rewrite and keep nothing). */
const COPIES = 8;
const MAX_ROUNDS = 200;

/** A state document of about STATE_BYTES. */
function stateText(): string {
  const filler = "x".repeat(1024);
  return JSON.stringify({ blocks: Array.from({ length: Math.ceil(STATE_BYTES / 1040) }, (_, i) => ({ i, filler })) });
}

/**
 * The last good copy of the local chain's state is what a restart falls back to when a kill -9 tore the state file.
 * Anvil rewrites `state.json` in place (truncated, then written), every second, so the file can change between any
 * two reads of it: the copy must be checked, not the file.
 */
describe("the local chain's last good state copy", function () {
  this.timeout(60_000);
  let dir: string;
  let writer: ChildProcess | undefined;

  beforeEach(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-good-state-"));
  });

  afterEach(async function () {
    if (writer !== undefined && writer.exitCode === null) {
      const exited = new Promise((resolve) => writer!.once("exit", resolve));
      writer.kill("SIGKILL");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("is never a torn file while the state file is being rewritten in place, as Anvil's interval dumps do", async function () {
    const state = path.join(dir, "state.json");
    const good = path.join(dir, "state.good.json");
    await writeFile(state, stateText());
    // A separate process, as Anvil is: truncates the file and writes it again in 64 KiB pieces, rests a moment, again.
    const script = path.join(dir, "writer.js");
    await writeFile(
      script,
      `const fs = require("node:fs");
       const state = process.argv[2];
       const text = fs.readFileSync(state);
       process.send("writing");
       for (;;) {
         const fd = fs.openSync(state, "w");
         for (let at = 0; at < text.length; at += 65536) fs.writeSync(fd, text, at, Math.min(65536, text.length - at));
         fs.closeSync(fd);
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
       }`,
    );
    writer = fork(script, [state], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
    await new Promise((resolve) => writer!.once("message", resolve));

    // Until several copies were kept (a copy is kept only when the file was whole while it was read), checking each.
    const torn: number[] = [];
    let kept = 0;
    for (let round = 0; round < MAX_ROUNDS && kept < COPIES; round++) {
      const before = existsSync(good) ? statSync(good).mtimeMs : undefined;
      keepGood(state, good);
      if (!existsSync(good) || statSync(good).mtimeMs === before) continue;
      kept++;
      if (!parses(good)) torn.push(round);
    }
    expect(kept, "copies kept").to.equal(COPIES);
    expect(torn, "rounds whose kept copy did not parse").to.deep.equal([]);
  });
});
