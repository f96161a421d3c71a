import net from "node:net";
import { expect } from "chai";
import { utf8 } from "../../lib/crypto";
import { addOwnRecord, grantAccess, readRecord } from "../../lib/client";
import { buildKeyDirectory, directoryEntry } from "../../lib/crypto";
import { pastHeadAge } from "../support/until";

import { sealPatientRecord } from "../../lib/records/recordCrypto";
import { grantedScene, readyActor, signedInActor } from "../support/actors";
import { startStack, type TestStack } from "../support/stack";
import { refusal } from "../support/answers";

/** A port on 127.0.0.1 with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("faults: the gateway fails closed and loses nothing", function () {
  let stack: TestStack;

  afterEach(async function () {
    await stack?.close();
  });

  it("answers 503 CHAIN_UNAVAILABLE and releases nothing when the chain stops mid-session", async function () {
    stack = await startStack();
    const { doctor, cid } = await grantedScene(stack);
    expect((await doctor.client.fetchRecord(cid)).byteLength).to.be.greaterThan(0);
    const logged = stack.gateway.services.disclosures.list().length;

    await stack.stopChain();
    await pastHeadAge();
    const down = await refusal(doctor.client.fetchRecord(cid));
    expect([down.status, down.code]).to.deep.equal([503, "CHAIN_UNAVAILABLE"]);
    expect(down.message).to.match(/nothing is released/);
    expect(stack.gateway.services.disclosures.list().length).to.equal(logged, "no disclosure logged while the chain is down");
    const ready = await fetch(`${stack.url}/readyz`);
    expect(ready.status).to.equal(503);
    expect(await ready.json()).to.deep.include({ chain: "down" });
  });

  it("never serves a grant the chain no longer has (a reverted block, as in a reorg)", async function () {
    stack = await startStack();
    const patient = await readyActor(stack, 1);
    const doctor = await readyActor(stack, 2);
    const { cid } = await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    const snapshot = await stack.provider.send("evm_snapshot", []);
    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const [record] = (await doctor.client.listRecords(patient.address)).records;
    expect((await readRecord(doctor, patient.address, record)).byteLength).to.be.greaterThan(0);

    await stack.provider.send("evm_revert", [snapshot]);
    await pastHeadAge();
    const refused = await refusal(doctor.client.fetchRecord(cid));
    expect([refused.status, refused.code]).to.deep.equal([403, "ACCESS_DENIED"]);
  });

  it("answers 503 STORE_UNAVAILABLE when the IPFS node is down, and nothing can be indexed without its content", async function () {
    stack = await startStack({ ipfsApiUrl: `http://127.0.0.1:${await closedPort()}` });
    // With the store down no key directory can be published: seal with the one the patient would publish.
    const patient = await signedInActor(stack, 1);
    const sealed = sealPatientRecord(utf8('{"resourceType":"Condition"}'), {
      patient: patient.address,
      patientPublicKey: patient.keys.publicKey,
      categoryKey: directoryEntry(buildKeyDirectory(patient.keys, patient.address), 1),
    });
    const upload = await refusal(patient.client.uploadRecord(sealed.envelope));
    expect([upload.status, upload.code]).to.deep.equal([503, "STORE_UNAVAILABLE"]);
    const announce = await refusal(
      patient.client.announceRecord({
        patient: patient.address,
        author: patient.address,
        recordId: sealed.recordId,
        cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
        category: 1,
        deadline: 2 ** 40,
        signature: "0x" + "11".repeat(65),
      }),
    );
    expect([announce.status, announce.code]).to.deep.equal([503, "STORE_UNAVAILABLE"]);
    expect((await patient.client.listRecords(patient.address)).records).to.deep.equal([]);
    const ready = await fetch(`${stack.url}/readyz`);
    expect([ready.status, ((await ready.json()) as { store: string }).store]).to.deep.equal([503, "kubo down"]);
  });

  it("limits requests per signed-in wallet with 429 RATE_LIMITED", async function () {
    stack = await startStack({ rateLimitPerWallet: 3 });
    const patient = await signedInActor(stack, 1);
    const other = await signedInActor(stack, 5);
    for (let i = 0; i < 3; i++) await patient.client.listRecords(patient.address);
    const limited = await refusal(patient.client.listRecords(patient.address));
    expect([limited.status, limited.code]).to.deep.equal([429, "RATE_LIMITED"]);
    expect((await other.client.listRecords(other.address)).records).to.deep.equal([], "another wallet is not limited");
  });
});
