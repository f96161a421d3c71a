import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { addOwnRecord, grantAccess, publishKeys, readRecord, type ActorContext } from "../../lib/client";
import { readyActor } from "../support/actors";
import { useStack } from "../support/stack";

/** Development accounts used as patients here (1 and 5 are seeded; the others publish their key first). */
const PATIENTS = [1, 5, 7, 8, 9, 10];
const RECORDS_PER_PATIENT = 3;

describe("load: concurrent uploads, grants and fetches from many wallets lose nothing", function () {
  this.timeout(180_000);
  const stack = useStack({ rateLimitPerIp: 1_000_000, rateLimitPerWallet: 1_000_000 });

  it("keeps every uploaded record retrievable and logs every release exactly once", async function () {
    const patients: ActorContext[] = await Promise.all(PATIENTS.map((i) => readyActor(stack, i)));
    await Promise.all(patients.map((p) => publishKeys(p)));
    const doctor = await readyActor(stack, 2);

    // Every patient uploads in parallel with every other (each patient's own uploads in turn: one signer, one nonce).
    const uploaded = new Map<string, Uint8Array>();
    await Promise.all(
      patients.map(async (patient) => {
        for (let i = 0; i < RECORDS_PER_PATIENT; i++) {
          const plaintext = randomBytes(2048 + i * 1000);
          const { cid } = await addOwnRecord(patient, { plaintext, category: 1 });
          uploaded.set(cid, plaintext);
        }
      }),
    );
    expect(uploaded.size).to.equal(PATIENTS.length * RECORDS_PER_PATIENT);
    await Promise.all(patients.map((p) => grantAccess(p, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 })));

    const before = stack.gateway.services.disclosures.list().length;
    const token = await doctor.client.signIn(doctor.signer, 31337);
    // Three concurrent fetches of every record by the doctor.
    const fetches = [...uploaded.keys()].flatMap((cid) => [cid, cid, cid]);
    const answers = await Promise.all(
      fetches.map(async (cid) => {
        const response = await fetch(`${stack.url}/api/records/${cid}`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status, cid).to.equal(200);
        await response.arrayBuffer();
        return { cid, seq: Number(response.headers.get("x-disclosure-seq")) };
      }),
    );

    for (const patient of patients) {
      const listed = (await patient.client.listRecords(patient.address)).records.map((r) => r.cid);
      expect(listed).to.have.length(RECORDS_PER_PATIENT);
      for (const cid of listed) expect(uploaded.has(cid), `${cid} indexed and uploaded`).to.equal(true);
    }
    const logged = stack.gateway.services.disclosures.list().slice(before);
    expect(logged).to.have.length(fetches.length, "one log entry per release, no more, no less");
    expect(new Set(answers.map((a) => a.seq)).size).to.equal(fetches.length, "every release has its own entry");
    for (const { cid, seq } of answers) expect(logged.find((e) => e.seq === seq)).to.deep.include({ cid, reader: doctor.address });
    expect(await stack.gateway.services.disclosures.verify()).to.deep.include({ ok: true });

    // And each record the doctor receives decrypts to exactly the bytes its patient uploaded.
    for (const patient of patients) {
      for (const record of (await doctor.client.listRecords(patient.address)).records) {
        expect(Buffer.from(await readRecord(doctor, patient.address, record)).equals(Buffer.from(uploaded.get(record.cid)!))).to.equal(
          true,
        );
      }
    }
  });
});
