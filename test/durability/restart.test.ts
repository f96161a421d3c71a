import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { addOwnRecord, grantAccess } from "../../lib/client";
import { readyActor } from "../support/actors";
import { freePort, waitForOutput, type OwnedProcess } from "../support/processes";

const ROOT = path.resolve(__dirname, "..", "..");
/** The local chain writes its state every second: what a kill -9 may lose, with margin. */
const CHAIN_WINDOW_MS = 1_500;

/** Runs `npm start`'s script itself (as `npm start` does), on free ports and its own data folder. */
function startLocalSystem(env: Record<string, string>): OwnedProcess {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts", "start.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => output,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

describe("durability of `npm start`: kill -9, restart, nothing a user saw as done is lost", function () {
  this.timeout(240_000);
  let dir: string;
  let env: Record<string, string>;
  let system: OwnedProcess | undefined;

  before(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-durable-"));
    env = { DATA_DIR: dir, CHAIN_PORT: String(await freePort()), PORT: String(await freePort()), LOG_LEVEL: "warn" };
  });

  after(async function () {
    await system?.stop("SIGKILL");
    // The chain outlives a SIGKILLed parent until the next start stops it (pid file): stop it the same way.
    const pid = await readFile(path.join(dir, "chain", "anvil.pid"), "utf8").catch(() => undefined);
    if (pid !== undefined) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<{ url: string; provider: JsonRpcProvider }> {
    system = startLocalSystem(env);
    await waitForOutput("npm start", system, /Consent Ledger is running/, 180_000);
    return { url: `http://127.0.0.1:${env.PORT}`, provider: new JsonRpcProvider(`http://127.0.0.1:${env.CHAIN_PORT}`, 31337, { staticNetwork: true }) };
  }

  it("keeps records, grants and disclosures across a kill -9, redeploys nothing, and recovers a torn chain state file", async function () {
    let stack = await start();
    const jane = await readyActor(stack, 1);
    const chen = await readyActor(stack, 2);
    const { cid } = await addOwnRecord(jane, { plaintext: new TextEncoder().encode('{"resourceType":"Condition"}'), category: 1 });
    await grantAccess(jane, { grantee: chen.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    await chen.client.fetchRecord(cid);
    const deploymentBefore = await readFile(path.join(dir, "deployments", "31337.json"), "utf8");
    await new Promise((resolve) => setTimeout(resolve, CHAIN_WINDOW_MS));
    await system!.stop("SIGKILL");
    stack.provider.destroy();

    stack = await start();
    expect(system!.output()).to.match(/stopping the node an earlier start left running|local chain \(Anvil\) on/);
    expect(system!.output()).to.match(/contracts already deployed on chain 31337/);
    expect(await readFile(path.join(dir, "deployments", "31337.json"), "utf8")).to.equal(deploymentBefore);
    const janeAgain = await readyActor(stack, 1);
    expect((await janeAgain.client.listRecords(janeAgain.address)).records.map((r) => r.cid)).to.deep.equal([cid]);
    const { grants } = await janeAgain.client.grants({ patient: janeAgain.address });
    expect(grants.map((g) => [g.grantee, g.live])).to.deep.equal([[chen.address, true]]);
    const { disclosures } = await janeAgain.client.disclosures(janeAgain.address);
    expect(disclosures.map((d) => [d.reader, d.cid])).to.deep.include([chen.address, cid]);

    // A state file torn by a kill mid-write: the next start restores the last good copy.
    await system!.stop("SIGTERM");
    stack.provider.destroy();
    const state = path.join(dir, "chain", "state.json");
    const whole = await readFile(state, "utf8");
    await writeFile(state, whole.slice(0, Math.floor(whole.length / 2)));
    stack = await start();
    expect(system!.output()).to.match(/restored the last good copy/);
    const janeThird = await readyActor(stack, 1);
    expect((await janeThird.client.listRecords(janeThird.address)).records.map((r) => r.cid)).to.deep.equal([cid]);
    stack.provider.destroy();
  });
});
