import { expect } from "chai";
import { utf8 } from "../../lib/crypto";
import { addOwnRecord, grantAccess } from "../../lib/client/consentActions";
import { GatewayError } from "../../lib/client/gatewayClient";
import { ProviderRegistry__factory } from "../../typechain-types";
import { demoWallet } from "../../scripts/seed";
import { signedInActor } from "../support/actors";
import { startStack, type TestStack } from "../support/stack";

async function statusOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "200";
  } catch (err) {
    if (err instanceof GatewayError) return `${err.status} ${err.code}`;
    throw err;
  }
}

describe("grant lifecycle at the gateway: expiry to the second, provider deactivation", function () {
  let stack: TestStack;

  beforeEach(async function () {
    stack = await startStack();
  });

  afterEach(async function () {
    await stack.close();
  });

  it("releases a record at expiresAt - 1 and refuses it from expiresAt on", async function () {
    const patient = await signedInActor(stack, 1);
    const doctor = await signedInActor(stack, 2);
    const { cid } = await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const [grant] = (await doctor.client.grants({ grantee: doctor.address })).grants;

    // The gateway decides at the head block, so the head's timestamp is what counts: mine blocks at exact times.
    await stack.provider.send("evm_setNextBlockTimestamp", [grant.expiresAt - 1]);
    await stack.provider.send("evm_mine", []);
    expect(await statusOf(doctor.client.fetchRecord(cid))).to.equal("200");

    await stack.provider.send("evm_setNextBlockTimestamp", [grant.expiresAt]);
    await stack.provider.send("evm_mine", []);
    const refused = await doctor.client.fetchRecord(cid).catch((e: GatewayError) => e);
    expect(refused).to.be.instanceOf(GatewayError);
    expect([(refused as GatewayError).status, (refused as GatewayError).code]).to.deep.equal([403, "ACCESS_DENIED"]);
    expect((refused as GatewayError).message).to.match(/expired at/);
  });

  it("refuses a provider the registrar deactivates, at once, and shows their grant as not live", async function () {
    const patient = await signedInActor(stack, 1);
    const doctor = await signedInActor(stack, 2);
    const { cid } = await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    expect(await statusOf(doctor.client.fetchRecord(cid))).to.equal("200");

    const registry = ProviderRegistry__factory.connect(stack.deployment.contracts.ProviderRegistry.address, demoWallet(0, stack.provider));
    await (await registry.deactivateProvider(doctor.address)).wait();
    expect(await statusOf(doctor.client.fetchRecord(cid))).to.equal("403 ACCESS_DENIED");
    const { grants } = await patient.client.grants({ patient: patient.address });
    expect(grants.find((g) => g.grantee === doctor.address)?.live).to.equal(false);
  });
});
