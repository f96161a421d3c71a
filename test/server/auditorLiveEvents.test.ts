import { expect } from "chai";
import { addOwnRecord, grantAccess, type LiveEvent } from "../../lib/client";
import { utf8 } from "../../lib/crypto";
import { readyActors } from "../support/actors";
import { listen } from "../support/liveStream";
import { useStack } from "../support/stack";
import { until } from "../support/until";

describe("live updates for an auditor (GET /api/events)", function () {
  const stack = useStack();

  it("carries every patient's grants and disclosures to an auditor, and none of them to another patient", async function () {
    const [jane, chen, sam, john] = await readyActors(stack, 1, 2, 4, 5);
    const auditor = await listen(sam);
    const other = await listen(john);
    const { cid } = await addOwnRecord(jane, { plaintext: utf8("{}"), category: 1 });
    await grantAccess(jane, { grantee: chen.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    await chen.client.fetchRecord(cid);

    const granted = (e: LiveEvent): boolean => e.type === "ledger" && e.event.kind === "grant" && e.event.patient === jane.address;
    const disclosed = (e: LiveEvent): boolean =>
      e.type === "disclosure" && e.entry.patient === jane.address && e.entry.reader === chen.address;
    // The index commits the grant's block a moment after it is mined: wait for both to arrive.
    await until(() => auditor.events.some(granted) && auditor.events.some(disclosed), Boolean, "the grant and the disclosure").catch(
      () => undefined,
    );
    expect(auditor.events.some(granted)).to.equal(true);
    expect(auditor.events.some(disclosed)).to.equal(true);
    // The same moments, seen from another patient's stream: nothing of Jane's.
    expect(
      other.events.filter((e) =>
        (e.type === "disclosure" ? e.entry.patient : e.type === "ledger" ? JSON.stringify(e.event) : "").includes(jane.address),
      ),
    ).to.deep.equal([]);
    await Promise.all([auditor.close(), other.close()]);
  });
});
