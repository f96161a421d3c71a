import { expect } from "chai";
import type { DisclosureEntry } from "../../lib/disclosure/entries";
import type { ProviderView } from "../../lib/client/gatewayClient";
import { categoriesIn, filterRows, localDayStart, providersIn, rowsFromDisclosures } from "../../web/src/views/auditor/auditRows";
import { verificationText } from "../../web/src/views/auditor/verificationText";

const PATIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ALICE = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const OMAR = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const AUDITOR = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const providers: ProviderView[] = [
  { address: ALICE, name: "Dr. Alice Chen", kind: "clinician", active: true, emergencyCapable: false, encryptionKey: "0x" },
  { address: OMAR, name: "Dr. Omar Haddad", kind: "clinician", active: true, emergencyCapable: true, encryptionKey: "0x" },
];

function entry(
  seq: number,
  time: string,
  reader: string,
  basis: DisclosureEntry["basis"],
  category: number,
  purpose: number,
): DisclosureEntry {
  return {
    seq,
    time,
    reader,
    patient: PATIENT,
    cid: `bafy${seq}`,
    category,
    purpose,
    basis,
    grantExpiresAt: 0,
    block: seq + 10,
    release: "ciphertext",
    decidedAt: 0,
    justification: "",
    prevHash: "0",
    hash: String(seq),
  };
}

const LOG = [
  entry(0, "2026-03-01T10:00:00.000Z", PATIENT, "patient", 1, 0),
  entry(1, "2026-03-01T10:05:00.000Z", ALICE, "grant", 1, 1),
  entry(2, "2026-03-03T09:00:00.000Z", ALICE, "grant", 4, 1),
  entry(3, "2026-03-05T23:30:00.000Z", OMAR, "emergency", 12, 2),
];

describe("auditRows (the auditor's timeline from the disclosure log)", function () {
  const rows = rowsFromDisclosures(LOG, { me: AUDITOR, providers });

  it("words each disclosure with who, what, why and its log entry, emergencies loudly", function () {
    expect(rows.map((r) => r.title)).to.deep.equal([
      "The patient read Problems & diagnoses",
      "Dr. Alice Chen read Problems & diagnoses",
      "Dr. Alice Chen read Lab results",
      "Emergency access by Dr. Omar Haddad: Emergency summary",
    ]);
    expect(rows.map((r) => r.detail)).to.deep.equal([
      "the patient's own access",
      "Treatment (TREAT) · under a grant",
      "Treatment (TREAT) · under a grant",
      "Emergency treatment (ETREAT) · EMERGENCY (break-glass)",
    ]);
    expect(rows.map((r) => r.emergency)).to.deep.equal([false, false, false, true]);
    expect(rows[3].evidence).to.equal("log entry #3");
  });

  it("filters by provider (any letter case), category, and hides the patient's own reads on request", function () {
    expect(filterRows(rows, { provider: ALICE.toLowerCase() }).map((r) => r.key)).to.deep.equal(["disclosure-1", "disclosure-2"]);
    expect(filterRows(rows, { category: 12 }).map((r) => r.key)).to.deep.equal(["disclosure-3"]);
    expect(filterRows(rows, { hideOwnReads: true })).to.have.length(3);
    expect(filterRows(rows, { provider: OMAR, category: 1 })).to.deep.equal([]);
  });

  it("filters by local calendar days, both ends inclusive", function () {
    const day = (iso: string): string => {
      const d = new Date(iso);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    };
    const firstDay = day(LOG[1].time);
    expect(filterRows(rows, { from: firstDay, to: firstDay }).map((r) => r.key)).to.deep.equal(["disclosure-0", "disclosure-1"]);
    expect(filterRows(rows, { from: day(LOG[3].time) }).map((r) => r.key)).to.deep.equal(["disclosure-3"]);
    expect(localDayStart("not a day")).to.equal(undefined);
  });

  it("keeps oldest first whatever order the rows came in", function () {
    expect(filterRows([...rows].reverse(), {}).map((r) => r.key)).to.deep.equal([
      "disclosure-0",
      "disclosure-1",
      "disclosure-2",
      "disclosure-3",
    ]);
  });

  it("offers the providers and categories that occur, each once", function () {
    expect(providersIn(rows)).to.deep.equal([
      { address: ALICE, name: "Dr. Alice Chen" },
      { address: OMAR, name: "Dr. Omar Haddad" },
    ]);
    expect(categoriesIn(rows).map((c) => c.id)).to.deep.equal([1, 4, 12]);
  });
});

describe("verificationText (the disclosure log's verification in words)", function () {
  it("names the first mismatching entry and the reason", function () {
    expect(
      verificationText({
        ok: false,
        entries: 9,
        firstBadSeq: 4,
        reason: "entry hash does not match its content",
        anchoredThrough: 3,
        unanchored: 0,
      }),
    ).to.equal("Mismatch from entry #4: entry hash does not match its content.");
  });

  it("says how much is anchored on-chain and how much rests on the hash chain alone", function () {
    expect(verificationText({ ok: true, entries: 7, anchoredThrough: -1, unanchored: 7 })).to.match(
      /^Verified: 7 entries, hash chain intact\. None is anchored/,
    );
    expect(verificationText({ ok: true, entries: 7, anchoredThrough: 4, unanchored: 2 })).to.equal(
      "Verified: 7 entries, hash chain intact. Entries #0–#4 match the roots anchored on-chain. The 2 newer ones are checked by the hash chain until the next anchor.",
    );
    expect(verificationText({ ok: true, entries: 0, anchoredThrough: -1, unanchored: 0 })).to.match(/empty/);
  });
});
