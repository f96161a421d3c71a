import { expect } from "chai";
import { x25519 } from "@noble/curves/ed25519.js";
import { EMERGENCY_CATEGORY } from "../../lib/consent/codes";
import { buildKeyBundle, encodeKeyBundle, fromUtf8, hexToBytes, utf8 } from "../../lib/crypto";
import { cidDigestHex } from "../../lib/ids/cid";
import {
  addOwnRecord,
  approveRequest,
  breakGlass,
  denyRequest,
  publishEmergencySummary,
  readEmergencySummary,
  readRecord,
  requestAccess,
  sendLedgerTransaction,
  GatewayError,
} from "../../lib/client";
import { readyActor } from "../support/actors";
import { useStack } from "../support/stack";
import { pastHeadAge } from "../support/until";

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
  const stack = useStack({}, "each");

  it("lets a doctor request access, the patient approve with a key bundle, and the doctor read", async function () {
    const patient = await readyActor(stack, 1);
    const doctor = await readyActor(stack, 2);
    await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition","code":{"text":"Asthma"}}'), category: 1 });
    await requestAccess(doctor, { patient: patient.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const [pending] = (await patient.client.requests({ patient: patient.address })).requests;
    expect(pending).to.include({ provider: doctor.address, status: "pending", scope: 2, purpose: 1, duration: 3600 });

    const approved = await approveRequest(patient, pending);
    expect(approved.txHash).to.match(/^0x[0-9a-f]{64}$/);
    // Approving downloads no record: no disclosure is logged for the patient's own vault.
    expect(stack.gateway.services.disclosures.count).to.equal(0);
    expect((await doctor.client.requests({ provider: doctor.address })).requests[0].status).to.equal("approved");
    const [record] = (await doctor.client.listRecords(patient.address)).records;
    expect(fromUtf8(await readRecord(doctor, patient.address, record))).to.contain("Asthma");
  });

  it("records a denial and grants nothing", async function () {
    const patient = await readyActor(stack, 1);
    const doctor = await readyActor(stack, 2);
    const { cid } = await addOwnRecord(patient, { plaintext: utf8("{}"), category: 1 });
    await requestAccess(doctor, { patient: patient.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const [pending] = (await patient.client.requests({ patient: patient.address })).requests;
    await denyRequest(patient, pending);
    expect((await patient.client.requests({ patient: patient.address })).requests[0].status).to.equal("denied");
    const denied = await refusal(doctor.client.fetchRecord(cid));
    expect([denied.status, denied.code]).to.deep.equal([403, "ACCESS_DENIED"]);
  });

  it("opens only the emergency summary to an ER doctor who breaks the glass, and only for the window", async function () {
    const patient = await readyActor(stack, 1);
    const er = await readyActor(stack, 3);
    const { cid: asthmaCid } = await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    await publishEmergencySummary(patient, { summary: utf8(SUMMARY), windowSeconds: 900 });

    const before = await refusal(er.client.emergencySummaryKey(patient.address, "Unconscious on arrival, allergies unknown"));
    expect([before.status, before.code]).to.deep.equal([403, "ACCESS_DENIED"]);

    await breakGlass(er, patient.address, 3);
    const { plaintext } = await readEmergencySummary(er, patient.address, "Unconscious on arrival, allergies unknown");
    expect(fromUtf8(plaintext)).to.contain("Penicillin");
    const other = await refusal(er.client.fetchRecord(asthmaCid));
    expect([other.status, other.code]).to.deep.equal([403, "ACCESS_DENIED"]);
    const logged = stack.gateway.services.disclosures.list((e) => e.reader === er.address);
    expect(logged.map((e) => [e.basis, e.category, e.purpose, e.release])).to.deep.equal(
      [
        ["emergency", 12, 3, "emergency-key"],
        ["emergency", 12, 3, "ciphertext"],
      ],
      "the key release and the ciphertext, each logged with the BTG reason given on-chain",
    );
    expect(logged[0].justification).to.equal("Unconscious on arrival, allergies unknown");

    await stack.provider.send("evm_increaseTime", [901]);
    await stack.provider.send("evm_mine", []);
    await pastHeadAge(); // the gateway's head is at most HEAD_MAX_AGE_MS old
    const after = await refusal(er.client.emergencySummaryKey(patient.address, "Still in the ER"));
    expect([after.status, after.code]).to.deep.equal([403, "ACCESS_DENIED"]);
  });

  it("answers 404, not 500, when the package the patient's policy names is not a bundle the escrow key opens", async function () {
    const patient = await readyActor(stack, 1);
    const er = await readyActor(stack, 3);
    const { cid, dataKey, recordId } = await addOwnRecord(patient, { plaintext: utf8(SUMMARY), category: EMERGENCY_CATEGORY });
    const escrow = await patient.client.escrowKey();
    const packages = {
      // Any stored document will do for a policy: here one that is not a key bundle at all.
      "is not a key bundle": cidDigestHex(await stack.gateway.services.store.putDocument(utf8('{"not":"a key bundle"}'))),
      // A well-formed emergency bundle of this patient, wrapped for some other key than the gateway's escrow key.
      "is not wrapped for the escrow key this gateway holds": (
        await patient.client.uploadKeyBundle(
          encodeKeyBundle(
            buildKeyBundle({
              patient: patient.address,
              grantee: escrow.account,
              granteePublicKey: x25519.getPublicKey(x25519.utils.randomSecretKey()),
              records: [{ cid, recordId: hexToBytes(recordId).slice(0, 16), category: EMERGENCY_CATEGORY, dataKey }],
            }),
          ),
        )
      ).digest,
    };
    for (const [why, digest] of Object.entries(packages)) {
      await sendLedgerTransaction(patient, "setEmergencyPolicy", [true, 900, digest]);
      await breakGlass(er, patient.address, 3);
      // The gateway decides at its head, which may be up to HEAD_MAX_AGE_MS old: past it, it reads this policy.
      await pastHeadAge();
      const refused = await refusal(er.client.emergencySummaryKey(patient.address, "Unconscious on arrival, allergies unknown"));
      expect([refused.status, refused.code, refused.message]).to.deep.equal([
        404,
        "NOT_FOUND",
        `The emergency package on the ledger ${why}.`,
      ]);
    }
  });

  it("refuses break-glass to a doctor the registry does not mark emergency-capable", async function () {
    const patient = await readyActor(stack, 1);
    const gp = await readyActor(stack, 2);
    await publishEmergencySummary(patient, { summary: utf8(SUMMARY), windowSeconds: 900 });
    const refused = await refusal(breakGlass(gp, patient.address, 3));
    expect(refused.code).to.equal("ConsentLedgerNotEmergencyProvider");
  });
});
