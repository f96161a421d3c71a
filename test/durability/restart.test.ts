import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { addOwnRecord, grantAccess } from "../../lib/client";
import { readyActor } from "../support/actors";
import { freePort, killOrphanedChain, startLocalSystem, type OwnedProcess } from "../support/processes";

/** The local chain writes its state every second: what a kill -9 may lose, with margin. */
const CHAIN_WINDOW_MS = 1_500;

describe("durability of `npm start`: kill -9, restart, nothing a user saw as done is lost", function () {
  this.timeout(240_000);
  let dir: string;
  let env: { DATA_DIR: string; CHAIN_PORT: string; PORT: string };
  let system: OwnedProcess | undefined;

  before(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-durable-"));
    env = { DATA_DIR: dir, CHAIN_PORT: String(await freePort()), PORT: String(await freePort()) };
  });

  after(async function () {
    await system?.stop("SIGKILL");
    // The chain outlives a SIGKILLed parent until the next start stops it (pid file): stop it the same way.
    await killOrphanedChain(dir);
    await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<{ url: string; provider: JsonRpcProvider }> {
    const started = await startLocalSystem(env);
    system = started.proc;
    return { url: started.url, provider: new JsonRpcProvider(started.rpcUrl, 31337, { staticNetwork: true }) };
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
