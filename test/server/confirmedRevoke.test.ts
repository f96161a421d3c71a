import { expect } from "chai";
import { signAction, GatewayError, type ActorContext } from "../../lib/client";
import { grantedScene, grantTreatment } from "../support/actors";
import { useStack } from "../support/stack";

/** The answer to a fetch: "200", or the gateway's error code. */
function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "200",
    (err: unknown) => {
      if (err instanceof GatewayError) return err.code;
      throw err;
    },
  );
}

/** Signs and relays a bare revoke (no key rotation after it): the gateway answers once it is mined. */
async function relayRevoke(patient: ActorContext, grantee: string): Promise<void> {
  const signed = await signAction(patient, "Revoke", { patient: patient.address, grantee }, patient.address);
  await patient.client.relayRevoke({ patient: patient.address, grantee, deadline: signed.deadline, signature: signed.signature });
}

describe("a revoke the gateway has confirmed", function () {
  const stack = useStack();

  it("holds on that gateway from the moment it answers, whatever the age of its polled head", async function () {
    const { patient, doctor, cid } = await grantedScene(stack, { grant: false });
    // Several rounds: the read right after the revoke lands at a different point of the head poll each time.
    const afterRevoke: string[] = [];
    for (let round = 0; round < 5; round++) {
      await grantTreatment(patient, doctor);
      expect(await outcome(doctor.client.fetchRecord(cid))).to.equal("200");
      await relayRevoke(patient, doctor.address);
      afterRevoke.push(await outcome(doctor.client.fetchRecord(cid)));
    }
    expect(afterRevoke).to.deep.equal(Array(5).fill("ACCESS_DENIED"));
  });
});
