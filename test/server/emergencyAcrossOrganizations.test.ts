import { expect } from "chai";
import { fromUtf8, utf8 } from "../../lib/crypto";
import { addOwnRecord, breakGlass, publishEmergencySummary, readEmergencySummary } from "../../lib/client";
import type { ActorContext } from "../../lib/client/actorContext";
import { CATEGORY } from "../../lib/consent/codes";
import { buildAllergyIntolerance, buildCondition, buildPatientSummary, triageSummary, type FhirResource } from "../../lib/fhir";
import { readyActor } from "../support/actors";
import { refusal, statusOf } from "../support/answers";
import { startNetwork, type NetworkGateway, type TestNetwork } from "../support/network";
import { until } from "../support/until";
import { built } from "../lib/fhir/fixtures";

/** Development accounts: Jane Doe and John Roe (patients), Dr. Omar Haddad (Lakeside Hospital ER, emergency-capable), Sam Reyes (auditor). */
const JANE = 1;
const JOHN = 5;
const DR_HADDAD = 3;
const AUDITOR = 4;
/** Break-glass reason code the ER gives on-chain (as the portal's "unconscious, unable to consent"). */
const REASON = 3;
/** Longest wait for one block from one peer, set low here so that the hanging-peer case is quick to test. */
const PEER_TIMEOUT_MS = 1000;
/** What a bounded refusal may take beyond the peer timeout: the head read, the access decision, the answer. */
const SLACK_MS = 1500;

/** A patient's International Patient Summary (FHIR R4 document Bundle), as the portal's summary form builds it. */
function ipsOf(patient: { display: string; address: string }, gender: "female" | "male", allergy: string, problem: string): Uint8Array {
  const now = new Date();
  const allergyRecord = built(
    buildAllergyIntolerance({ substance: allergy, category: "medication", criticality: "high", patient }, { now }),
  );
  const problemRecord = built(buildCondition({ name: problem, onsetDate: "2019-04-02", clinicalStatus: "active", patient }, { now }));
  const bundle = built(
    buildPatientSummary(
      {
        patient: { name: patient.display, birthDate: "1985-06-15", gender, address: patient.address },
        allergies: [allergyRecord as unknown as FhirResource],
        problems: [problemRecord as unknown as FhirResource],
        medications: [],
        noCurrentMedications: true,
        author: patient,
      },
      { now },
    ),
  );
  return utf8(JSON.stringify(bundle));
}

/** How long a call takes to settle, and how it settled ("200" or "<status> <code>"). */
async function timedStatus(promise: Promise<unknown>): Promise<{ answer: string; ms: number }> {
  const started = performance.now();
  const answer = await statusOf(promise);
  return { answer, ms: performance.now() - started };
}

/**
 * Issue 14's story: an out-of-state ER reaches a patient's emergency summary kept by her home clinic. Two
 * organizations on one ledger, each an in-process gateway with its own store, disclosure log and relayer, peered over
 * real HTTP: Jane publishes her summary at Riverside Family Clinic only; Dr. Omar Haddad breaks the glass and reads
 * it through Lakeside Hospital ER's gateway, which fetches the ciphertext and the escrow bundle from the clinic's
 * store by CID, verifies them, releases them under the on-chain window and logs the disclosure in its own log.
 */
describe("break-glass across organizations: Lakeside Hospital ER reads an emergency summary kept at Riverside Family Clinic", function () {
  this.timeout(120_000);
  let network: TestNetwork;
  let clinic: NetworkGateway;
  let er: NetworkGateway;

  const at = (gateway: NetworkGateway, account: number): Promise<ActorContext> =>
    readyActor({ url: gateway.url, provider: network.chain.provider }, account);

  before(async function () {
    network = await startNetwork([
      { name: "Riverside Family Clinic", relayer: 7, config: { peerTimeoutMs: PEER_TIMEOUT_MS } },
      { name: "Lakeside Hospital ER", relayer: 8, config: { peerTimeoutMs: PEER_TIMEOUT_MS } },
    ]);
    [clinic, er] = network.organizations;
  });

  after(async function () {
    await network?.close();
  });

  it("releases the summary to Dr. Haddad at the ER only after he breaks the glass, logged by the ER, and nothing else of Jane's", async function () {
    const jane = await at(clinic, JANE);
    const { cid: asthmaCid } = await addOwnRecord(jane, {
      plaintext: utf8('{"resourceType":"Condition","code":{"text":"Asthma"}}'),
      category: CATEGORY.PROBLEMS,
    });
    const summary = ipsOf({ display: "Jane Doe", address: jane.address.toLowerCase() }, "female", "Penicillin", "Asthma");
    const { cid: summaryCid, packageDigest } = await publishEmergencySummary(jane, { summary, windowSeconds: 900 });
    // Kept at the clinic only: the ER's store has neither the summary nor its escrow bundle.
    expect(await er.gateway.services.store.has(summaryCid)).to.equal(false);
    expect(await clinic.gateway.services.store.has(summaryCid)).to.equal(true);

    const haddad = await at(er, DR_HADDAD);
    const before = await refusal(haddad.client.emergencySummaryKey(jane.address, "Unconscious on arrival, allergies unknown"));
    expect([before.status, before.code]).to.deep.equal([403, "ACCESS_DENIED"]);

    await breakGlass(haddad, jane.address, REASON);
    const read = await readEmergencySummary(haddad, jane.address, "Unconscious on arrival, allergies unknown");
    expect(read.cid).to.equal(summaryCid);
    expect(fromUtf8(read.plaintext)).to.equal(fromUtf8(summary), "the exact bytes Jane published, opened in the doctor's client");
    const triage = triageSummary(JSON.parse(fromUtf8(read.plaintext)));
    expect(triage.allergies.map((a) => [a.title, a.highRisk])).to.deep.equal([["Penicillin", true]]);
    expect(triage.medicationsState).to.equal("none-known");
    expect(read.expiresAt).to.be.greaterThan(Math.floor(Date.now() / 1000));

    // The ER fetched and kept what it released (content fetched once stays readable there).
    expect(await er.gateway.services.store.has(summaryCid)).to.equal(true);

    // The window opens the summary only: Jane's other records stay closed to him, at either organization.
    expect(await statusOf(haddad.client.fetchRecord(asthmaCid))).to.equal("403 ACCESS_DENIED");

    // Logged by the organization that released it, with his words and the on-chain reason; the clinic released nothing to him.
    const janeAtEr = await at(er, JANE);
    const auditorAtEr = await at(er, AUDITOR);
    const [seenByJane, seenByAuditor, atClinic] = await Promise.all([
      janeAtEr.client.disclosures(jane.address),
      auditorAtEr.client.disclosures(jane.address),
      jane.client.disclosures(jane.address),
    ]);
    const shown = (d: (typeof seenByJane.disclosures)[number]): unknown[] => [d.reader, d.cid, d.basis, d.category, d.purpose, d.release];
    expect(seenByJane.disclosures.map(shown)).to.have.deep.members([
      [haddad.address, summaryCid, "emergency", CATEGORY.EMERGENCY_SUMMARY, REASON, "emergency-key"],
      [haddad.address, summaryCid, "emergency", CATEGORY.EMERGENCY_SUMMARY, REASON, "ciphertext"],
    ]);
    expect(seenByAuditor.disclosures).to.deep.equal(seenByJane.disclosures, "the auditor sees the ER's log as Jane does");
    expect(seenByJane.disclosures.find((d) => d.release === "emergency-key")?.justification).to.equal(
      "Unconscious on arrival, allergies unknown",
    );
    expect(atClinic.disclosures.filter((d) => d.reader === haddad.address)).to.deep.equal([]);

    // The auditor verifies each organization's log against the Merkle roots that organization anchored on the ledger.
    for (const org of [er, clinic]) {
      const entries = org.gateway.services.disclosures.list().length;
      await org.gateway.services.anchorer!.anchorNow(); // what its timer does; nothing to do when already anchored
      const verified = await (await at(org, AUDITOR)).client.verifyDisclosures();
      expect(verified).to.deep.include({ ok: true, entries, unanchored: 0 });
    }
    expect(er.gateway.services.disclosures.list().length).to.be.greaterThan(0, "the ER's log holds the releases");
    expect(packageDigest).to.match(/^0x[0-9a-f]{64}$/);

    // When the window closes the ER refuses, although it now holds the bytes: holding content is not access.
    await network.chain.provider.send("evm_increaseTime", [901]);
    await network.chain.provider.send("evm_mine", []);
    // Listing the vault releases nothing, so it can be polled until the ER's head has the block.
    await until(
      () => statusOf(haddad.client.listRecords(jane.address)),
      (s) => s === "403 ACCESS_DENIED",
      "the ER to see the window closed",
    );
    expect([
      await statusOf(haddad.client.emergencySummaryKey(jane.address, "Still in the ER, reassessing")),
      await statusOf(haddad.client.fetchRecord(summaryCid)),
    ]).to.deep.equal(["403 ACCESS_DENIED", "403 ACCESS_DENIED"]);
    expect((await janeAtEr.client.disclosures(jane.address)).disclosures).to.have.length(2, "no release after the window");
  });

  it("answers STORE_UNAVAILABLE within the peer timeout while the clinic's gateway is down or hangs, logging only what it released", async function () {
    const john = await at(clinic, JOHN);
    const summary = ipsOf({ display: "John Roe", address: john.address.toLowerCase() }, "male", "Latex", "Type 1 diabetes");
    const { cid } = await publishEmergencySummary(john, { summary, windowSeconds: 900 });
    const haddad = await at(er, DR_HADDAD);
    const johnAtEr = await at(er, JOHN);
    await breakGlass(haddad, john.address, REASON);
    const why = "Found collapsed, diabetic bracelet";
    const released = async (): Promise<string[]> => (await johnAtEr.client.disclosures(john.address)).disclosures.map((d) => d.release);

    // Neither the escrow bundle nor the summary has crossed yet: the key release itself needs the clinic.
    try {
      await clinic.down();
      const refused = await timedStatus(readEmergencySummary(haddad, john.address, why));
      expect(refused.answer).to.equal("503 STORE_UNAVAILABLE");
      expect(refused.ms, "a refused connection is answered at once").to.be.below(PEER_TIMEOUT_MS + SLACK_MS);

      await clinic.hang();
      const silent = await timedStatus(readEmergencySummary(haddad, john.address, why));
      expect(silent.answer).to.equal("503 STORE_UNAVAILABLE");
      expect(silent.ms, "a silent peer is given up on after the peer timeout").to.be.within(
        PEER_TIMEOUT_MS - 50,
        PEER_TIMEOUT_MS + SLACK_MS,
      );
    } finally {
      await clinic.up();
    }
    expect(await released(), "nothing reached Dr. Haddad, so the ER logged nothing").to.deep.equal([]);

    // The key is released (the escrow bundle crossed), then the clinic goes away before the ciphertext does.
    const key = await haddad.client.emergencySummaryKey(john.address, why);
    expect(key.cid).to.equal(cid);
    try {
      await clinic.down();
      const cut = await timedStatus(haddad.client.fetchRecord(cid));
      expect(cut.answer).to.equal("503 STORE_UNAVAILABLE");
      expect(cut.ms).to.be.below(PEER_TIMEOUT_MS + SLACK_MS);
    } finally {
      await clinic.up();
    }
    expect(await released(), "the key release is logged, the ciphertext that never left is not").to.deep.equal(["emergency-key"]);

    const read = await readEmergencySummary(haddad, john.address, why);
    expect([read.cid, fromUtf8(read.plaintext)]).to.deep.equal([cid, fromUtf8(summary)]);
    expect(await released()).to.have.members(["emergency-key", "emergency-key", "ciphertext"]);
  });

  it("keeps what the ER fetched readable there once the clinic's gateway is stopped; what it never fetched answers STORE_UNAVAILABLE", async function () {
    const jane = await at(clinic, JANE);
    const summary = ipsOf({ display: "Jane Doe", address: jane.address.toLowerCase() }, "female", "Sulfonamides", "Epilepsy");
    const { cid: summaryCid } = await publishEmergencySummary(jane, { summary, windowSeconds: 900 });
    const { cid: neverFetched } = await addOwnRecord(jane, {
      plaintext: utf8('{"resourceType":"Condition","code":{"text":"Migraine"}}'),
      category: CATEGORY.PROBLEMS,
    });
    const haddad = await at(er, DR_HADDAD);
    const janeAtEr = await at(er, JANE);
    const why = "Seizure on arrival, history unknown";
    await breakGlass(haddad, jane.address, REASON);
    // The escrow bundle and the summary's ciphertext cross from the clinic's store to the ER's.
    expect((await readEmergencySummary(haddad, jane.address, why)).cid).to.equal(summaryCid);

    try {
      await clinic.down();
      // Both come from the ER's own store now: the key is released again and the same bytes open.
      const again = await readEmergencySummary(haddad, jane.address, why);
      expect([again.cid, fromUtf8(again.plaintext)]).to.deep.equal([summaryCid, fromUtf8(summary)]);
      // Jane's own record, never fetched by the ER, may be at the clinic: a clear code, not a hang (the bound is the
      // peer timeout; the previous test times it).
      expect(await statusOf(janeAtEr.client.fetchRecord(neverFetched))).to.equal("503 STORE_UNAVAILABLE");
    } finally {
      await clinic.up();
    }
  });
});
