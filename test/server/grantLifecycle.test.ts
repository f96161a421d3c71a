import { expect } from "chai";
import { utf8 } from "../../lib/crypto";
import { addOwnRecord, grantAccess, revokeAll, GatewayError } from "../../lib/client";
import { ProviderRegistry__factory } from "../../typechain-types";
import { demoWallet } from "../../scripts/seed";
import { pastHeadAge } from "../support/until";
import { grantedScene, readyActor } from "../support/actors";
import { REGISTRAR, useStack } from "../support/stack";
import { statusOf } from "../support/answers";

describe("grant lifecycle at the gateway: expiry to the second, revoke-all, provider deactivation, scope of the vault list", function () {
  const stack = useStack({}, "each");

  it("releases a record at expiresAt - 1 and refuses it from expiresAt on", async function () {
    const { doctor, cid } = await grantedScene(stack);
    const [grant] = (await doctor.client.grants({ grantee: doctor.address })).grants;

    // The gateway decides at the head block, so the head's timestamp is what counts: mine blocks at exact times.
    await stack.provider.send("evm_setNextBlockTimestamp", [grant.expiresAt - 1]);
    await stack.provider.send("evm_mine", []);
    expect(await statusOf(doctor.client.fetchRecord(cid))).to.equal("200");

    await stack.provider.send("evm_setNextBlockTimestamp", [grant.expiresAt]);
    await stack.provider.send("evm_mine", []);
    await pastHeadAge();
    const refused = await doctor.client.fetchRecord(cid).catch((e: GatewayError) => e);
    expect(refused).to.be.instanceOf(GatewayError);
    expect([(refused as GatewayError).status, (refused as GatewayError).code]).to.deep.equal([403, "ACCESS_DENIED"]);
    expect((refused as GatewayError).message).to.match(/expired at/);
  });

  it("refuses a provider the registrar deactivates, at once, and shows their grant as not live", async function () {
    const { patient, doctor, cid } = await grantedScene(stack);
    expect(await statusOf(doctor.client.fetchRecord(cid))).to.equal("200");

    const registry = ProviderRegistry__factory.connect(
      stack.deployment.contracts.ProviderRegistry.address,
      demoWallet(REGISTRAR, stack.provider),
    );
    await (await registry.deactivateProvider(doctor.address)).wait();
    await pastHeadAge();
    expect(await statusOf(doctor.client.fetchRecord(cid))).to.equal("403 ACCESS_DENIED");
    // Seeing the vault's list needs the same live grant as reading: ids, categories and authors are health data too.
    expect(await statusOf(doctor.client.listRecords(patient.address))).to.equal("403 ACCESS_DENIED");
    const { grants } = await patient.client.grants({ patient: patient.address });
    const held = grants.find((g) => g.grantee === doctor.address);
    expect([held?.live, held?.state]).to.deep.equal([false, "provider-inactive"]);
  });

  it("after revoke-all, the former grantee can neither list the vault nor fetch, and the list says why", async function () {
    const { patient, doctor, cid } = await grantedScene(stack);
    expect((await doctor.client.listRecords(patient.address)).records.map((r) => r.cid)).to.deep.equal([cid]);

    await revokeAll(patient);
    await pastHeadAge();
    expect(await statusOf(doctor.client.listRecords(patient.address))).to.equal("403 ACCESS_DENIED");
    expect(await statusOf(doctor.client.fetchRecord(cid))).to.equal("403 ACCESS_DENIED");
    const { grants } = await patient.client.grants({ patient: patient.address });
    expect(grants.find((g) => g.grantee === doctor.address)?.state).to.equal("revoked-all");
  });

  it("lists to a grantee only the records of the categories its grant covers", async function () {
    const patient = await readyActor(stack, 1);
    const doctor = await readyActor(stack, 2);
    const problem = await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"MedicationStatement"}'), category: 2 });
    await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Observation"}'), category: 6 });
    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });

    const seen = (await doctor.client.listRecords(patient.address)).records;
    expect(seen.map((r) => [r.cid, r.category])).to.deep.equal([[problem.cid, 1]]);
    expect((await patient.client.listRecords(patient.address)).records).to.have.length(3);
    expect(await statusOf(doctor.client.listRecords(patient.address, { category: 2 }))).to.equal("403 ACCESS_DENIED");
  });
});
