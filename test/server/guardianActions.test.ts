import { expect } from "chai";
import {
  addOwnRecord,
  appointGuardian,
  grantAccess,
  guardedPatients,
  removeGuardian,
  revokeAllForPatient,
  revokeForPatient,
} from "../../lib/client";
import { utf8 } from "../../lib/crypto";
import { readyActors } from "../support/actors";
import { statusOf } from "../support/answers";
import { until } from "../support/until";
import { useStack } from "../support/stack";

describe("a guardian acting for a patient through the SDK", function () {
  const stack = useStack({}, "each");

  it("lists the patients who appointed the wallet, and forgets one who removed it", async function () {
    const [jane, chen, john] = await readyActors(stack, 1, 2, 5);
    expect(await guardedPatients(john)).to.deep.equal([]);
    await appointGuardian(jane, john.address);
    await until(
      () => guardedPatients(john),
      (p) => p.length > 0,
      "the index to list the guardianship",
    );
    expect(await guardedPatients(john)).to.deep.equal([jane.address]);
    // Someone else's guardian is not ours: Dr. Chen lists nobody.
    expect(await guardedPatients(chen)).to.deep.equal([]);
    await removeGuardian(jane);
    // Checked against the ledger, not the index: gone as soon as the block is mined.
    expect(await guardedPatients(john)).to.deep.equal([]);
  });

  it("revokes one grant, then everything, for the patient; the gateway refuses the provider at once", async function () {
    const [jane, chen, haddad, john] = await readyActors(stack, 1, 2, 3, 5);
    const { cid } = await addOwnRecord(jane, { plaintext: utf8("{}"), category: 1 });
    await grantAccess(jane, { grantee: chen.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    await grantAccess(jane, { grantee: haddad.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    // Relayed right after the appointment is mined: the gateway judges a refusal again at the head read now.
    await appointGuardian(jane, john.address);
    await revokeForPatient(john, jane.address, chen.address);
    expect(await statusOf(chen.client.fetchRecord(cid))).to.equal("403 ACCESS_DENIED");
    expect(await statusOf(haddad.client.fetchRecord(cid))).to.equal("200");

    await revokeAllForPatient(john, jane.address);
    expect(await statusOf(haddad.client.fetchRecord(cid))).to.equal("403 ACCESS_DENIED");
  });

  it("refuses a wallet that is not the patient's guardian (403 FORBIDDEN), whatever it signs", async function () {
    const [jane, chen, john] = await readyActors(stack, 1, 2, 5);
    await grantAccess(jane, { grantee: chen.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    expect(await statusOf(revokeForPatient(john, jane.address, chen.address))).to.equal("403 FORBIDDEN");
    expect(await statusOf(revokeAllForPatient(john, jane.address))).to.equal("403 FORBIDDEN");
  });
});
