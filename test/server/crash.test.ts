import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { addOwnRecord, grantAccess, patientKeyDirectory, type ActorContext } from "../../lib/client";
import { directoryEntry, utf8 } from "../../lib/crypto";
import { sealPatientRecord } from "../../lib/records/recordCrypto";
import { demoWallet } from "../../scripts/seed";
import { blockMatches } from "../../server/services/store/cids";
import { readyActor } from "../support/actors";
import { startGatewayProcess, type OwnedProcess } from "../support/processes";
import { startChain, type TestChain } from "../support/stack";

describe("crash safety: the gateway killed with SIGKILL mid-upload and mid-disclosure", function () {
  this.timeout(180_000);
  let chain: TestChain;
  let gateway: { url: string; proc: OwnedProcess };
  let env: Record<string, string>;

  const actor = (index: number): Promise<ActorContext> => readyActor({ url: gateway.url, provider: chain.provider }, index);

  async function restart(): Promise<void> {
    gateway = await startGatewayProcess(env);
  }

  /** Every block file left in the embedded store hashes to the CID it is filed under: no torn writes. */
  async function assertEveryBlockIntact(): Promise<number> {
    const { NextToLast } = await import("blockstore-fs/sharding");
    const sharding = new NextToLast();
    const root = path.join(env.DATA_DIR, "ipfs", "blocks");
    let count = 0;
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      expect(entry.name.endsWith(".partial"), `temporary ${entry.name} swept at restart`).to.equal(false);
      const cid = sharding.decode(entry.name);
      expect(await blockMatches(cid, await readFile(path.join(entry.parentPath, entry.name))), `block ${entry.name} intact`).to.equal(true);
      count++;
    }
    return count;
  }

  beforeEach(async function () {
    chain = await startChain();
    env = {
      CHAIN_RPC_URL: chain.rpcUrl,
      DEPLOYMENTS_DIR: chain.deploymentsDir,
      DATA_DIR: path.join(chain.dir, "gateway"),
      RELAYER_PRIVATE_KEY: demoWallet(0, chain.provider).privateKey,
    };
    await restart();
  });

  afterEach(async function () {
    await gateway?.proc.stop("SIGKILL");
    await chain?.close();
  });

  it("leaves no index entry and no torn block after a kill in the middle of a 40 MB upload", async function () {
    const patient = await actor(1);
    const sealed = sealPatientRecord(randomBytes(40 * 1024 * 1024), {
      patient: patient.address,
      patientPublicKey: patient.keys.publicKey,
      categoryKey: directoryEntry(await patientKeyDirectory(patient, patient.address), 5),
    });
    let delivered = 0;
    let halfway!: () => void;
    const reachedHalfway = new Promise<void>((resolve) => (halfway = resolve));
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (delivered >= 16 * 1024 * 1024) return halfway(); // hold the rest back: the kill comes first
        const piece = sealed.envelope.subarray(delivered, delivered + 1024 * 1024);
        delivered += piece.byteLength;
        controller.enqueue(piece);
      },
    });
    const upload = fetch(`${gateway.url}/api/records`, {
      method: "POST",
      headers: {
        "content-type": "application/octet-stream",
        authorization: `Bearer ${await patient.client.signIn(patient.signer, 31337)}`,
      },
      body,
      duplex: "half",
    } as RequestInit).catch((err: Error) => err);
    await reachedHalfway;
    await gateway.proc.stop("SIGKILL");
    expect(await upload).to.be.instanceOf(Error, "the client sees the upload fail");

    await restart();
    const again = await actor(1);
    expect((await again.client.listRecords(again.address)).records).to.deep.equal([]);
    expect(await assertEveryBlockIntact()).to.be.greaterThan(0, "some leaves had been written before the kill");
    const { cid } = await addOwnRecord(again, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    expect((await again.client.listRecords(again.address)).records.map((r) => r.cid)).to.deep.equal([cid]);
    expect((await (await actor(4)).client.verifyDisclosures()).ok).to.equal(true, "verified by the auditor");
  });

  it("has logged every disclosure a client received, after a kill while reads are in flight", async function () {
    const patient = await actor(1);
    const doctor = await actor(2);
    const { cid } = await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const token = await doctor.client.signIn(doctor.signer, 31337);

    const received: number[] = [];
    let tenReceived!: () => void;
    const afterTen = new Promise<void>((resolve) => (tenReceived = resolve));
    const reader = async (): Promise<void> => {
      for (;;) {
        const response = await fetch(`${gateway.url}/api/records/${cid}`, { headers: { authorization: `Bearer ${token}` } }).catch(
          () => undefined,
        );
        if (response === undefined) return;
        const bytes = await response.arrayBuffer().catch(() => undefined);
        if (!response.ok || bytes === undefined) return;
        received.push(Number(response.headers.get("x-disclosure-seq")));
        if (received.length === 10) tenReceived();
      }
    };
    const readers = Promise.all([reader(), reader(), reader()]);
    await afterTen;
    await gateway.proc.stop("SIGKILL");
    await readers;

    await restart();
    const again = await actor(1);
    const verification = await (await actor(4)).client.verifyDisclosures();
    expect(verification.ok, JSON.stringify(verification)).to.equal(true);
    const logged = new Map((await again.client.disclosures(again.address)).disclosures.map((d) => [d.seq, d]));
    for (const seq of received) {
      expect(logged.get(seq), `disclosure ${seq} the doctor received is in the log`).to.deep.include({
        cid,
        reader: doctor.address,
        basis: "grant",
      });
    }
    expect(received.length).to.be.at.least(10);
  });
});
