import { expect } from "chai";
import { fromUtf8, utf8 } from "../../lib/crypto";
import { addOwnRecord, readRecord } from "../../lib/client/consentActions";
import { approveRequest, denyRequest, requestAccess } from "../../lib/client/requestActions";
import { breakGlass, publishEmergencySummary, readEmergencySummary } from "../../lib/client/emergencyActions";
import { GatewayError } from "../../lib/client/gatewayClient";
import { signedInActor } from "../support/actors";
import { startStack, type TestStack } from "../support/stack";

const SUMMARY = JSON.stringify({
  resourceType: "Bundle",
  type: "document",
  entry: [{ resource: { resourceType: "AllergyIntolerance", code: { text: "Penicillin" }, criticality: "high" } }],
});

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    const e = err as { revert?: { name: string }; shortMessage?: string };
    if (e.revert) return { status: 0, code: e.revert.name, message: e.shortMessage ?? "" };
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("access requests and break-glass through the gateway", function () {
  let stack: TestStack;

  beforeEach(async function () {
    stack = await startStack();
  });

  afterEach(async function () {
    await stack.close();
  });

  it("lets a doctor request access, the patient approve with a key bundle, and the doctor read", async function () {
    const patient = await signedInActor(stack, 1);
    const doctor = await signedInActor(stack, 2);
    await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition","code":{"text":"Asthma"}}'), category: 1 });
    await requestAccess(doctor, { patient: patient.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const [pending] = (await patient.client.requests({ patient: patient.address })).requests;
    expect(pending).to.include({ provider: doctor.address, status: "pending", scope: 2, purpose: 1, duration: 3600 });

    const approved = await approveRequest(patient, pending);
    expect(approved.records).to.equal(1);
    expect((await doctor.client.requests({ provider: doctor.address })).requests[0].status).to.equal("approved");
    const [record] = (await doctor.client.listRecords(patient.address)).records;
    expect(fromUtf8(await readRecord(doctor, patient.address, record))).to.contain("Asthma");
  });

  it("records a denial and grants nothing", async function () {
    const patient = await signedInActor(stack, 1);
    const doctor = await signedInActor(stack, 2);
    const { cid } = await addOwnRecord(patient, { plaintext: utf8("{}"), category: 1 });
    await requestAccess(doctor, { patient: patient.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const [pending] = (await patient.client.requests({ patient: patient.address })).requests;
    await denyRequest(patient, pending.requestId);
    expect((await patient.client.requests({ patient: patient.address })).requests[0].status).to.equal("denied");
    const denied = await refusal(doctor.client.fetchRecord(cid));
    expect([denied.status, denied.code]).to.deep.equal([403, "ACCESS_DENIED"]);
  });

  it("opens only the emergency summary to an ER doctor who breaks the glass, and only for the window", async function () {
    const patient = await signedInActor(stack, 1);
    const er = await signedInActor(stack, 3);
    const { cid: asthmaCid } = await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    await publishEmergencySummary(patient, { summary: utf8(SUMMARY), windowSeconds: 900 });

    const before = await refusal(er.client.emergencySummaryKey(patient.address));
    expect([before.status, before.code]).to.deep.equal([403, "ACCESS_DENIED"]);

    await breakGlass(er, patient.address, 3);
    const { plaintext } = await readEmergencySummary(er, patient.address);
    expect(fromUtf8(plaintext)).to.contain("Penicillin");
    const other = await refusal(er.client.fetchRecord(asthmaCid));
    expect([other.status, other.code]).to.deep.equal([403, "ACCESS_DENIED"]);
    const logged = stack.gateway.services.disclosures.list((e) => e.reader === er.address);
    expect(logged.map((e) => [e.basis, e.category, e.purpose])).to.deep.equal(
      [["emergency", 12, 3]],
      "logged with the BTG reason given on-chain",
    );

    await stack.provider.send("evm_increaseTime", [901]);
    await stack.provider.send("evm_mine", []);
    const after = await refusal(er.client.emergencySummaryKey(patient.address));
    expect([after.status, after.code]).to.deep.equal([403, "ACCESS_DENIED"]);
  });

  it("refuses break-glass to a doctor the registry does not mark emergency-capable", async function () {
    const patient = await signedInActor(stack, 1);
    const gp = await signedInActor(stack, 2);
    await publishEmergencySummary(patient, { summary: utf8(SUMMARY), windowSeconds: 900 });
    const refused = await refusal(breakGlass(gp, patient.address, 3));
    expect(refused.code).to.equal("ConsentLedgerNotEmergencyProvider");
  });
});
