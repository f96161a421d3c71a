import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { bytesToHex, fromUtf8, utf8 } from "../../lib/crypto";
import { addOwnRecord, grantAccess, readRecord, revokeAccess, signAction, type ActorContext } from "../../lib/client";
import { cidToBytes } from "../../lib/ids";
import { readyActor } from "../support/actors";
import { useStack } from "../support/stack";
import { refusal } from "../support/answers";
import { pastHeadAge } from "../support/until";

const ASTHMA = JSON.stringify({
  resourceType: "Condition",
  id: "asthma-1",
  clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
  code: { coding: [{ system: "http://snomed.info/sct", code: "195967001", display: "Asthma" }], text: "Asthma" },
  subject: { reference: "Patient/jane-doe" },
});

describe("record access through the gateway (chain + IPFS + gateway, end to end)", function () {
  let patient: ActorContext;
  let doctor: ActorContext;

  const stack = useStack({}, "each");

  beforeEach(async function () {
    patient = await readyActor(stack, 1);
    doctor = await readyActor(stack, 2);
  });

  it("releases a record to a doctor while the grant is live and refuses it after revoke", async function () {
    const { cid } = await addOwnRecord(patient, { plaintext: utf8(ASTHMA), category: 1 });
    const { records } = await patient.client.listRecords(patient.address);
    expect(records.map((r) => r.cid)).to.deep.equal([cid]);

    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const plaintext = await readRecord(doctor, patient.address, records[0]);
    expect(JSON.parse(fromUtf8(plaintext)).code.text).to.equal("Asthma");

    await revokeAccess(patient, doctor.address);
    await pastHeadAge(); // the gateway's documented window
    const denied = await refusal(doctor.client.fetchRecord(cid));
    expect(denied.status).to.equal(403);
    expect(denied.code).to.equal("ACCESS_DENIED");
    expect(denied.message).to.match(/never granted or has been revoked/);
  });

  it("answers 404 CONTENT_NOT_FOUND, never a retryable 503, for the dag-pb spelling of a stored record's digest", async function () {
    const { cid, recordId } = await addOwnRecord(patient, { plaintext: utf8(ASTHMA), category: 1 });
    expect(cid).to.match(/^bafkrei/);
    // Canonical (CIDv1, dag-pb, sha2-256) and the same digest as the raw record: the store finds the leaf by it.
    const alias = CID.createV1(0x70, CID.parse(cid).multihash).toString();
    const nobodys = CID.createV1(0x70, await sha256.digest(randomBytes(32))).toString();
    const answer = async (response: Promise<Response>) => {
      const r = await response;
      const body = (await r.json().catch(() => ({}))) as { error?: { code: string } };
      return [r.status, body.error?.code, r.headers.get("retry-after")];
    };
    const read = (who: ActorContext, name: string) =>
      answer(fetch(`${stack.url}/api/records/${name}`, { headers: { authorization: `Bearer ${who.client.sessionToken}` } }));
    // The doctor has no grant: the answer is the one for a CID nobody stored, so it tells nothing of what the store holds.
    expect(await read(doctor, nobodys)).to.deep.equal([404, "CONTENT_NOT_FOUND", null]);
    expect(await read(doctor, alias)).to.deep.equal([404, "CONTENT_NOT_FOUND", null]);
    expect(await read(patient, alias)).to.deep.equal([404, "CONTENT_NOT_FOUND", null]);

    // Announcing under that spelling is refused the same way, before anything is relayed.
    const fields = { patient: patient.address, author: patient.address, recordId, cid: bytesToHex(cidToBytes(alias)), category: 1 };
    const signed = await signAction(patient, "AddRecord", fields, patient.address);
    const announced = await answer(
      fetch(`${stack.url}/api/records/announce`, {
        method: "POST",
        headers: { authorization: `Bearer ${patient.client.sessionToken}`, "content-type": "application/json" },
        body: JSON.stringify({ ...fields, cid: alias, deadline: signed.deadline, signature: signed.signature }),
      }),
    );
    expect(announced).to.deep.equal([404, "CONTENT_NOT_FOUND", null]);
    // The record still reads under its own CID.
    expect((await patient.client.fetchRecord(cid)).length).to.be.above(0);
  });

  it("stores only ciphertext: the uploaded bytes never contain the plaintext", async function () {
    const { cid } = await addOwnRecord(patient, { plaintext: utf8(ASTHMA), category: 1 });
    const stored = await patient.client.fetchRecord(cid);
    expect(Buffer.from(stored).includes(Buffer.from("Asthma"))).to.equal(false);
    expect(fromUtf8(await readRecord(patient, patient.address, (await patient.client.listRecords(patient.address)).records[0]))).to.equal(
      ASTHMA,
    );
  });

  it("refuses a category the grant does not cover", async function () {
    const { cid } = await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Observation"}'), category: 4 });
    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const denied = await refusal(doctor.client.fetchRecord(cid));
    expect([denied.status, denied.code]).to.deep.equal([403, "ACCESS_DENIED"]);
    expect(denied.message).to.match(/does not cover Lab results/);
  });

  it("logs every release before sending it, in a hash chain that verifies", async function () {
    const { cid } = await addOwnRecord(patient, { plaintext: utf8(ASTHMA), category: 1 });
    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    await doctor.client.fetchRecord(cid);
    const entries = stack.gateway.services.disclosures.list((e) => e.reader === doctor.address);
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({ cid, patient: patient.address, basis: "grant", category: 1, purpose: 1 });
    expect(await stack.gateway.services.disclosures.verify()).to.deep.include({ ok: true });
  });

  it("releases nothing when the disclosure cannot be made durable, though the store read has begun", async function () {
    const { cid } = await addOwnRecord(patient, { plaintext: utf8(ASTHMA), category: 1 });
    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    // The log's own file handle fails its fsync, as a disk would (EIO).
    const log = stack.gateway.services.disclosures as unknown as { handle: { datasync: () => Promise<void> } };
    log.handle.datasync = () => Promise.reject(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    try {
      const failed = await refusal(doctor.client.fetchRecord(cid));
      expect([failed.status, failed.code]).to.deep.equal([500, "INTERNAL"]);
    } finally {
      delete (log.handle as Partial<typeof log.handle>).datasync;
    }
    expect(stack.gateway.services.disclosures.list((e) => e.reader === doctor.address)).to.have.length(0);
    expect(await stack.gateway.services.disclosures.verify()).to.deep.include({ ok: true });
    // The log works again: the next read is released and logged.
    await doctor.client.fetchRecord(cid);
    expect(stack.gateway.services.disclosures.list((e) => e.reader === doctor.address)).to.have.length(1);
  });
});
