import { expect } from "chai";
import {
  addOwnRecord,
  grantAccess,
  readEventStream,
  requestAccess,
  revokeAccess,
  type ActorContext,
  type LiveEvent,
} from "../../lib/client";
import { CATEGORY, PURPOSE } from "../../lib/consent/codes";
import { utf8 } from "../../lib/crypto";
import { DEMO } from "../../lib/demo/accounts";
import { readyActor } from "../support/actors";
import { listen } from "../support/liveStream";
import { useStack } from "../support/stack";
import { until } from "../support/until";

const vaultNotes = (events: readonly LiveEvent[]): LiveEvent[] => events.filter((e) => e.type === "vault");
const asks = (events: readonly LiveEvent[]): boolean => events.some((e) => e.type === "ledger" && e.event.kind === "request");

/** Grants `grantee` one category of `patient`'s vault for an hour, for treatment. */
async function grant(patient: ActorContext, grantee: ActorContext, category: number): Promise<void> {
  await grantAccess(patient, { grantee: grantee.address, categories: [category], purpose: PURPOSE.TREAT, durationSeconds: 3600 });
}

describe("live notes that a patient's vault changed (GET /api/events, event: vault)", function () {
  const stack = useStack();

  it("tell a grantee whose live grant covers the new record's category, and neither one whose grant does not cover it nor one revoked", async function () {
    const [jane, chen, haddad, patel] = await Promise.all(
      [DEMO.JANE, DEMO.DR_CHEN, DEMO.DR_HADDAD, DEMO.DR_PATEL].map((i) => readyActor(stack, i)),
    );
    await grant(jane, chen, CATEGORY.PROBLEMS);
    await grant(jane, haddad, CATEGORY.LABS);
    await grant(jane, patel, CATEGORY.PROBLEMS);
    await revokeAccess(jane, patel.address);
    const [covered, notCovered, revoked] = await Promise.all([listen(chen), listen(haddad), listen(patel)]);

    await addOwnRecord(jane, { plaintext: utf8("{}"), category: CATEGORY.PROBLEMS });
    // Then something the other two do hear: a note due to them would come before it (the feed is in ledger order).
    for (const asker of [haddad, patel])
      await requestAccess(asker, { patient: jane.address, categories: [CATEGORY.IMAGING], purpose: PURPOSE.TREAT, durationSeconds: 3600 });
    await until(
      () => vaultNotes(covered.events).length > 0 && asks(notCovered.events) && asks(revoked.events),
      Boolean,
      "the note and the requests",
    );

    // The note names the patient and nothing else: what changed is learnt by listing the vault, which the gateway authorizes.
    expect(vaultNotes(covered.events).map((e) => ({ ...e, id: "…" }))).to.deep.equal([{ type: "vault", id: "…", patient: jane.address }]);
    expect(covered.events.filter((e) => e.type === "ledger" && e.event.kind === "record")).to.deep.equal([]);
    expect((await chen.client.listRecords(jane.address)).records.map((r) => r.category)).to.deep.equal([CATEGORY.PROBLEMS]);
    expect(vaultNotes(notCovered.events)).to.deep.equal([]);
    expect(vaultNotes(revoked.events)).to.deep.equal([]);
    await Promise.all([covered, notCovered, revoked].map((s) => s.close()));
  });

  it("replay no note to a grantee who resumes his stream after the patient revoked him, even for a record added while he was live", async function () {
    const [jane, chen] = await Promise.all([readyActor(stack, DEMO.JANE), readyActor(stack, DEMO.DR_CHEN)]);
    const live = await listen(chen);
    await grant(jane, chen, CATEGORY.PROBLEMS);
    await addOwnRecord(jane, { plaintext: utf8("{}"), category: CATEGORY.PROBLEMS });
    await until(
      () => vaultNotes(live.events).length,
      (n) => n > 0,
      "the note while he is live",
    );
    await live.close();
    const before = live.events.find((e) => e.type === "ledger" && e.event.kind === "grant");
    expect(before, "his stream saw the grant").not.to.equal(undefined);
    // Resumed from before that note, after the revoke: what he may list now is nothing, so the feed says nothing.
    await revokeAccess(jane, chen.address);
    const resumed: LiveEvent[] = [];
    const controller = new AbortController();
    await readEventStream(chen.client, {
      since: before && "id" in before ? before.id : undefined,
      signal: controller.signal,
      onEvent: (e) => (e.type === "ready" ? controller.abort() : resumed.push(e)),
    });
    expect(resumed.some((e) => e.type === "ledger" && e.event.kind === "revoke")).to.equal(true);
    expect(vaultNotes(resumed)).to.deep.equal([]);
  });
});
