import path from "node:path";
import type { Server } from "node:http";
import { expect } from "chai";
import pino from "pino";
import { addOwnRecord, type ActorContext } from "../../lib/client";
import { demoWallet } from "../../scripts/seed";
import { parseConfig } from "../../server/config";
import { closeGateway, listen, openGateway, type Gateway } from "../../server/gateway";
import { grantedScene, grantTreatment, readyActor } from "../support/actors";
import { startBesuLikeProxy, type BesuLikeProxy } from "../support/besuLikeProxy";
import { RELAYER, startChain, useStack, type TestChain } from "../support/stack";

/** Blocks mined between the deployment and the head: more than twice what one Besu eth_getLogs call may span. */
const HISTORY_BLOCKS = 11_000;

describe("the event index behind the lists: a Besu-like node, >10,000 blocks, restarts", function () {
  this.timeout(180_000);
  let chain: TestChain;
  let proxy: BesuLikeProxy;
  let gateway: Gateway;
  let server: Server;
  let url: string;
  let jane: ActorContext;
  const dataDir = (): string => path.join(chain.dir, "gateway");

  async function openBehindProxy(): Promise<void> {
    const config = parseConfig({
      chainRpcUrl: proxy.url,
      dataDir: dataDir(),
      deploymentsDir: chain.deploymentsDir,
      port: 0,
      relayerKey: demoWallet(RELAYER, chain.provider).privateKey,
      logLevel: "silent",
    });
    gateway = await openGateway(config, pino({ level: "silent" }));
    ({ server, url } = await listen(gateway));
  }

  async function closeGatewayAndServer(): Promise<void> {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeGateway(gateway);
  }

  before(async function () {
    chain = await startChain();
    proxy = await startBesuLikeProxy(chain.rpcUrl);
    await openBehindProxy();
    jane = await readyActor({ url, provider: chain.provider }, 1);
    await addOwnRecord(jane, { plaintext: new TextEncoder().encode('{"resourceType":"Condition"}'), category: 1 });
    await chain.provider.send("hardhat_mine", ["0x" + HISTORY_BLOCKS.toString(16)]);
    await addOwnRecord(jane, { plaintext: new TextEncoder().encode('{"resourceType":"AllergyIntolerance"}'), category: 3 });
  });

  after(async function () {
    await closeGatewayAndServer();
    await proxy.close();
    await chain.close();
  });

  it("serves every list, the alerts and the audit export behind a node that refuses eth_getLogs over 5,000 blocks", async function () {
    const chen = await readyActor({ url, provider: chain.provider }, 2);
    await grantTreatment(jane, chen);
    const head = await chain.provider.getBlockNumber();
    const vault = await jane.client.listRecords(jane.address);
    expect(vault.records.map((r) => r.category)).to.deep.equal([3, 1], "newest first");
    expect(vault.asOf.block).to.be.at.least(head - 1);
    expect((await chen.client.listRecords(jane.address)).records.map((r) => r.category)).to.deep.equal([1]);
    const { grants } = await jane.client.grants({ patient: jane.address });
    expect(grants.map((g) => [g.grantee, g.state])).to.deep.equal([[chen.address, "live"]]);
    expect((await jane.client.providers({ kind: "pharmacy" })).providers.map((p) => p.name)).to.deep.equal(["Main Street Pharmacy"]);

    const auditor = await readyActor({ url, provider: chain.provider }, 4);
    const alerts = await auditor.client.auditAlerts();
    expect(alerts.throughBlock).to.be.at.least(head - 1);
    const { blob } = await auditor.client.auditExport({ patient: jane.address, format: "json" });
    expect(await blob.text()).to.contain(chen.address);
  });

  it("pages with `next` and refuses a token it did not issue", async function () {
    const first = await jane.client.listRecords(jane.address, { limit: 1 });
    expect(first.records).to.have.length(1);
    expect(first.next).to.be.a("string");
    const second = await jane.client.listRecords(jane.address, { limit: 1, next: first.next! });
    expect(second.records.map((r) => r.category)).to.deep.equal([1]);
    expect(second.next).to.equal(null);
    const bad = await fetch(`${url}/api/records?patient=${jane.address}&next=not-a-token`, {
      headers: { authorization: `Bearer ${jane.client.sessionToken}` },
    });
    expect(bad.status).to.equal(400);
  });

  it("resumes after a restart on the same folder without reading the history again, and without duplicates", async function () {
    await closeGatewayAndServer();
    const before = proxy.calls.get("eth_getLogs") ?? 0;
    await openBehindProxy();
    jane = await readyActor({ url, provider: chain.provider }, 1);
    expect((await jane.client.listRecords(jane.address)).records).to.have.length(2);
    expect((proxy.calls.get("eth_getLogs") ?? 0) - before).to.be.at.most(2, "only the blocks mined since it stopped");
  });
});

describe("the event index across a reorg", function () {
  const stack = useStack();

  it("drops a grant from the lists when the block holding it is reorganised away by a longer chain", async function () {
    const { patient, doctor } = await grantedScene(stack, { grant: false });

    const snapshot = (await stack.provider.send("evm_snapshot", [])) as string;
    await grantTreatment(patient, doctor);
    const seen = await patient.client.grants({ patient: patient.address });
    expect(seen.grants.map((g) => [g.grantee, g.state])).to.deep.equal([[doctor.address, "live"]]);
    const grantBlock = seen.grants[0].grantedAtBlock;

    expect(await stack.provider.send("evm_revert", [snapshot])).to.equal(true);
    await stack.provider.send("hardhat_mine", ["0x5"]);
    expect(await stack.provider.getBlockNumber()).to.be.greaterThan(grantBlock, "the new chain is longer than the one with the grant");

    const after = await patient.client.grants({ patient: patient.address });
    expect(after.grants).to.deep.equal([]);
    expect(after.asOf.block).to.be.greaterThan(grantBlock);
    expect((await doctor.client.grants({ grantee: doctor.address })).grants).to.deep.equal([]);
  });
});
