import { expect } from "chai";
import { scopeOf } from "../../lib/consent/codes";
import type { DisclosureEntry } from "../../lib/disclosure/entries";
import { formatDuration, scopeText, shortAddress } from "../../web/src/components/format";
import { authorLabel, nameOf } from "../../web/src/components/names";
import { disclosureRow, purposeText } from "../../web/src/components/disclosureRows";

const ME = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ALICE = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const STRANGER = "0x0000000000000000000000000000000000000bEE";
const dir = {
  me: ME,
  providers: [
    { address: ALICE, name: "Dr. Alice Chen", kind: "clinician" as const, active: true, emergencyCapable: false, encryptionKey: "0x" },
  ],
  known: (a: string) => (a === STRANGER ? "Someone known" : undefined),
};

describe("format helpers (durations, scopes, names)", function () {
  it("words durations the way the forms offer them", function () {
    expect([300, 900, 3600, 86_400, 7 * 86_400, 90, 5400].map(formatDuration)).to.deep.equal([
      "5 min",
      "15 min",
      "1 hour",
      "1 day",
      "7 days",
      "90 s",
      "1 h 30 min",
    ]);
  });

  it("lists a scope's categories and says when it may add records", function () {
    expect(scopeText(scopeOf([1, 4]))).to.equal("Problems & diagnoses, Lab results");
    expect(scopeText(scopeOf([4], true))).to.equal("Lab results · may add records");
    expect(scopeText(0)).to.equal("no category");
  });

  it("shortens addresses for lists and leaves anything else alone", function () {
    expect(shortAddress(ME)).to.equal("0x7099…79C8");
    expect(shortAddress("you")).to.equal("you");
  });

  it("names the reader as you, a registry provider, a known name, or a short address", function () {
    expect(nameOf(ME.toLowerCase(), dir)).to.equal("you");
    expect(nameOf(ALICE.toLowerCase(), dir)).to.equal("Dr. Alice Chen");
    expect(nameOf(STRANGER, dir)).to.equal("Someone known");
    expect(nameOf("0x1111111111111111111111111111111111111111", dir)).to.equal("0x1111…1111");
  });

  it("names a record's author from the reader's side", function () {
    expect(authorLabel(ME, ME, dir)).to.equal("you");
    expect(authorLabel(ALICE, ME, dir)).to.equal("Dr. Alice Chen");
    expect(authorLabel(ME, ME, { ...dir, me: ALICE })).to.equal("the patient");
  });

  it("words a disclosure's purpose and basis", function () {
    expect([purposeText(1), purposeText(0), purposeText(99)]).to.deep.equal(["Treatment (TREAT)", "—", "purpose 99"]);
    const e: DisclosureEntry = {
      seq: 5,
      time: "2026-03-01T10:00:00.000Z",
      reader: ALICE,
      patient: ME,
      cid: "bafy",
      category: 4,
      purpose: 1,
      basis: "grant",
      grantExpiresAt: 0,
      block: 1,
      release: "ciphertext",
      decidedAt: 0,
      justification: "",
      prevHash: "",
      hash: "",
    };
    expect(disclosureRow(e, dir)).to.include({
      readerName: "Dr. Alice Chen",
      categoryText: "Lab results",
      basisText: "under a grant",
      emergency: false,
    });
    expect(disclosureRow({ ...e, basis: "emergency" }, dir).emergency).to.equal(true);
  });
});
