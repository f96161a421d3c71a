import { expect } from "chai";
import {
  buildGrantBundle,
  buildKeyBundle,
  buildKeyDirectory,
  categoryKeyFromBundle,
  directoryEntry,
  generateEncryptionKeyPair,
  readEnvelopeHeader,
  rotateCategories,
  unwrapCategoryKey,
  utf8,
  WRAPPED_KEY_LENGTH,
  type EncryptionKeyPair,
  type KeyBundle,
  type KeyDirectory,
} from "../../lib/crypto";
import { documentCid } from "../../lib/ids";
import {
  openOwnRecord,
  openRecordWithBundle,
  recordIdToBytes32,
  sealPatientRecord,
  type SealedRecord,
} from "../../lib/records/recordCrypto";
import { expectCryptoError } from "./helpers";
import { CATEGORY } from "../../lib/consent/codes";

const { PROBLEMS, ALLERGIES, MEDICATIONS, EMERGENCY_SUMMARY } = CATEGORY;

const JANE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const JOHN = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const ALICE = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const OMAR = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

interface Patient {
  address: string;
  keys: EncryptionKeyPair;
  directory: KeyDirectory;
}

function patient(address: string): Patient {
  const keys = generateEncryptionKeyPair();
  return { address, keys, directory: buildKeyDirectory(keys, address) };
}

/** What an author does: wrap for the patient and for the category's current key in the patient's directory. */
function seal(p: Patient, category: number, text: string): SealedRecord {
  return sealPatientRecord(utf8(text), {
    patient: p.address,
    patientPublicKey: p.keys.publicKey,
    categoryKey: directoryEntry(p.directory, category),
  });
}

function grant(p: Patient, grantee: string, granteeKeys: EncryptionKeyPair, categories: number[]): KeyBundle {
  return buildGrantBundle(p.keys, p.address, grantee, granteeKeys.publicKey, categories, p.directory);
}

function text(result: { plaintext: Uint8Array }): string {
  return new TextDecoder().decode(result.plaintext);
}

describe("records under category keys", function () {
  const alice = generateEncryptionKeyPair();
  const omar = generateEncryptionKeyPair();
  let jane: Patient;
  let john: Patient;

  beforeEach(function () {
    jane = patient(JANE);
    john = patient(JOHN);
  });

  it("seals a record for the patient and the category key at the directory's current version", function () {
    jane.directory = rotateCategories(jane.directory, [PROBLEMS], jane.keys);
    const sealed = seal(jane, PROBLEMS, "asthma");
    const { header } = readEnvelopeHeader(sealed.envelope);
    expect(header.category).to.equal(PROBLEMS);
    expect(header.categoryKeyVersion).to.equal(1);
    expect(header.patient).to.equal(JANE);
    expect(recordIdToBytes32(header.recordId)).to.equal(sealed.recordId);
    expect(text(openOwnRecord(sealed.envelope, jane.keys))).to.equal("asthma");
  });

  it("lets a grantee open records of a granted category sealed before and after its bundle, with no new bundle", function () {
    const before = seal(jane, PROBLEMS, "asthma, 2019");
    const bundle = grant(jane, ALICE, alice, [PROBLEMS, MEDICATIONS]);
    const after = seal(jane, PROBLEMS, "hay fever, added later");
    const medication = seal(jane, MEDICATIONS, "salbutamol");
    expect(text(openRecordWithBundle(before.envelope, bundle, alice))).to.equal("asthma, 2019");
    expect(text(openRecordWithBundle(after.envelope, bundle, alice))).to.equal("hay fever, added later");
    expect(text(openRecordWithBundle(medication.envelope, bundle, alice))).to.equal("salbutamol");
  });

  it("does not open a category the grant left out (NOT_IN_BUNDLE), nor with another grantee's keys (WRONG_KEY)", function () {
    const bundle = grant(jane, ALICE, alice, [PROBLEMS]);
    const allergy = seal(jane, ALLERGIES, "penicillin");
    const error = expectCryptoError(() => openRecordWithBundle(allergy.envelope, bundle, alice), "NOT_IN_BUNDLE");
    expect(error.message).to.contain("Allergies");
    expectCryptoError(() => openRecordWithBundle(seal(jane, PROBLEMS, "x").envelope, bundle, omar), "WRONG_KEY");
  });

  it("after a rotation, a bundle issued before it cannot open new records; a re-issued bundle opens old and new", function () {
    const oldRecord = seal(jane, PROBLEMS, "old problem");
    const oldMedication = seal(jane, MEDICATIONS, "old medication");
    const revoked = grant(jane, OMAR, omar, [PROBLEMS, MEDICATIONS]);
    const kept = grant(jane, ALICE, alice, [PROBLEMS, MEDICATIONS]);

    // Omar is revoked: Jane rotates the categories he held and re-issues Alice's bundle.
    jane.directory = rotateCategories(jane.directory, [PROBLEMS], jane.keys);
    const newRecord = seal(jane, PROBLEMS, "new problem");
    const newMedication = seal(jane, MEDICATIONS, "new medication"); // Medications not rotated: still version 0
    expect(readEnvelopeHeader(newRecord.envelope).header.categoryKeyVersion).to.equal(1);

    for (const stale of [revoked, kept]) {
      const error = expectCryptoError(
        () => openRecordWithBundle(newRecord.envelope, stale, stale === kept ? alice : omar),
        "NOT_IN_BUNDLE",
      );
      expect(error.message).to.contain("rotated");
      expect(text(openRecordWithBundle(oldRecord.envelope, stale, stale === kept ? alice : omar))).to.equal("old problem");
    }
    expect(text(openRecordWithBundle(newMedication.envelope, revoked, omar))).to.equal("new medication");

    const reissued = grant(jane, ALICE, alice, [PROBLEMS, MEDICATIONS]);
    for (const [record, expected] of [
      [oldRecord, "old problem"],
      [newRecord, "new problem"],
      [oldMedication, "old medication"],
      [newMedication, "new medication"],
    ] as const) {
      expect(text(openRecordWithBundle(record.envelope, reissued, alice))).to.equal(expected);
    }
    // The revoked grantee's old keys cannot be stretched to the new version either.
    const v0 = categoryKeyFromBundle(revoked, PROBLEMS, 0, omar.privateKey);
    expectCryptoError(() => unwrapCategoryKey(readEnvelopeHeader(newRecord.envelope).header, v0), "WRONG_KEY");
  });

  describe("tampering with the header", function () {
    let sealed: SealedRecord;
    let bundle: KeyBundle;

    beforeEach(function () {
      jane.directory = rotateCategories(jane.directory, [PROBLEMS, MEDICATIONS], jane.keys); // both at version 1
      bundle = grant(jane, ALICE, alice, [PROBLEMS, MEDICATIONS]);
      // Sealed at version 0 so that version 1, held by the bundle, is a plausible forgery.
      jane.directory = buildKeyDirectory(jane.keys, JANE);
      sealed = seal(jane, PROBLEMS, "asthma");
      expect(text(openRecordWithBundle(sealed.envelope, bundle, alice))).to.equal("asthma");
    });

    function tampered(edit: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
      const bytes = sealed.envelope.slice();
      edit(bytes, new DataView(bytes.buffer));
      return bytes;
    }

    const edits: Array<[string, (bytes: Uint8Array, view: DataView) => void, "WRONG_KEY" | "NOT_IN_BUNDLE"]> = [
      ["category, to another the bundle holds", (b) => (b[25] = MEDICATIONS), "WRONG_KEY"],
      ["category, to one the bundle does not hold", (b) => (b[25] = ALLERGIES), "NOT_IN_BUNDLE"],
      ["key version, to another the bundle holds", (_, v) => v.setUint32(46, 1), "WRONG_KEY"],
      ["key version, to one the bundle does not hold", (_, v) => v.setUint32(46, 9), "NOT_IN_BUNDLE"],
      ["patient", (b) => b.set(Buffer.from(JOHN.slice(2), "hex"), 26), "NOT_IN_BUNDLE"],
      ["record id", (b) => (b[9] ^= 1), "WRONG_KEY"],
      ["owner key", (b) => (b[52 + 40] ^= 1), "WRONG_KEY"],
      ["category key", (b) => (b[54 + WRAPPED_KEY_LENGTH + 40] ^= 1), "WRONG_KEY"],
    ];
    for (const [field, edit, granteeCode] of edits) {
      it(`refuses a changed ${field}, to the grantee and to the owner`, function () {
        const bytes = tampered(edit);
        expectCryptoError(() => openRecordWithBundle(bytes, bundle, alice), granteeCode);
        expectCryptoError(() => openOwnRecord(bytes, jane.keys), "WRONG_KEY");
      });
    }
  });

  describe("keys of one patient or grantee", function () {
    it("never open another patient's record, whatever the bundle claims", function () {
      const janesBundle = grant(jane, ALICE, alice, [PROBLEMS]);
      const johns = seal(john, PROBLEMS, "john's problem");
      expectCryptoError(() => openRecordWithBundle(johns.envelope, janesBundle, alice), "NOT_IN_BUNDLE");
      // Relabelled as John's bundle, Jane's category keys no longer unwrap (bound to Jane).
      expectCryptoError(() => openRecordWithBundle(johns.envelope, { ...janesBundle, patient: JOHN }, alice), "WRONG_KEY");
      // And Jane's category private key itself does not open John's record of the same category and version.
      const janesKey = categoryKeyFromBundle(janesBundle, PROBLEMS, 0, alice.privateKey);
      expectCryptoError(() => unwrapCategoryKey(readEnvelopeHeader(johns.envelope).header, janesKey), "WRONG_KEY");
      // Nor does Jane's own key open John's record.
      expectCryptoError(() => openOwnRecord(johns.envelope, jane.keys), "WRONG_KEY");
    });

    it("refuse a category key moved into another patient's or grantee's bundle", function () {
      const janesForAlice = grant(jane, ALICE, alice, [PROBLEMS]);
      const johnsForAlice = grant(john, ALICE, alice, [PROBLEMS]);
      const janesRecord = seal(jane, PROBLEMS, "jane's problem");
      const johnsRecord = seal(john, PROBLEMS, "john's problem");
      // Jane's key put in a bundle that says John: bound to Jane, it does not unwrap.
      const movedPatient = { ...johnsForAlice, categoryKeys: janesForAlice.categoryKeys };
      expectCryptoError(() => openRecordWithBundle(johnsRecord.envelope, movedPatient, alice), "WRONG_KEY");
      // Alice's key relabelled for Omar: bound to Alice (and wrapped for her key), it opens for neither.
      const movedGrantee = { ...janesForAlice, grantee: OMAR };
      expectCryptoError(() => openRecordWithBundle(janesRecord.envelope, movedGrantee, alice), "WRONG_KEY");
      expectCryptoError(() => openRecordWithBundle(janesRecord.envelope, movedGrantee, omar), "WRONG_KEY");
    });
  });

  it("opens a record through an entry when the bundle carries that record's own key (emergency escrow)", function () {
    const summary = seal(jane, EMERGENCY_SUMMARY, "allergic to penicillin");
    const recordId = readEnvelopeHeader(summary.envelope).header.recordId;
    const escrow = buildKeyBundle({
      patient: JANE,
      grantee: OMAR,
      granteePublicKey: omar.publicKey,
      records: [{ cid: documentCid(summary.envelope), recordId, category: EMERGENCY_SUMMARY, dataKey: summary.dataKey }],
    });
    expect(text(openRecordWithBundle(summary.envelope, escrow, omar))).to.equal("allergic to penicillin");
    expectCryptoError(() => openRecordWithBundle(seal(jane, EMERGENCY_SUMMARY, "other").envelope, escrow, omar), "NOT_IN_BUNDLE");
  });
});
