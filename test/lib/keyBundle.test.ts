import { expect } from "chai";
import { base58btc } from "multiformats/bases/base58";
import { CID } from "multiformats/cid";
import {
  buildGrantBundle,
  buildKeyBundle,
  buildKeyDirectory,
  bytesToHex,
  categoryKeyFromBundle,
  decodeKeyBundle,
  deriveCategoryKeyPair,
  encodeKeyBundle,
  equalBytes,
  fromUtf8,
  generateEncryptionKeyPair,
  newDataKey,
  newRecordId,
  rotateCategories,
  unwrapFromBundle,
  utf8,
  type KeyBundle,
  type KeyBundleRecord,
  type KeyDirectory,
} from "../../lib/crypto";
import { documentCid } from "../../lib/ids";
import { expectCryptoError } from "./helpers";
import { CATEGORY } from "../../lib/consent/codes";

const { PROBLEMS, ALLERGIES, MEDICATIONS } = CATEGORY;

const JANE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const JOHN = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const ALICE = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const OMAR = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

type Json = Record<string, unknown> & { categoryKeys: Array<Record<string, unknown>>; entries: Array<Record<string, unknown>> };

function reencode(bundle: KeyBundle, mutate: (json: Json) => void): Uint8Array {
  const json = JSON.parse(fromUtf8(encodeKeyBundle(bundle))) as Json;
  mutate(json);
  return utf8(JSON.stringify(json));
}

function cidOf(text: string): string {
  return documentCid(utf8(text));
}

describe("key bundle (version 2)", function () {
  const jane = generateEncryptionKeyPair();
  const alice = generateEncryptionKeyPair();
  const omar = generateEncryptionKeyPair();
  let directory: KeyDirectory;
  let bundle: KeyBundle;

  before(function () {
    // Problems at version 2 (rotated twice), Medications at 0.
    directory = rotateCategories(rotateCategories(buildKeyDirectory(jane, JANE), [PROBLEMS], jane), [PROBLEMS], jane);
    bundle = buildGrantBundle(jane, JANE, ALICE, alice.publicKey, [MEDICATIONS, PROBLEMS, MEDICATIONS], directory);
  });

  describe("grant bundles", function () {
    it("carries every version 0..current of each granted category, in order, and no entries", function () {
      expect(bundle.version).to.equal(2);
      expect(bundle.patient).to.equal(JANE);
      expect(bundle.grantee).to.equal(ALICE);
      expect(bundle.categoryKeys.map((k) => [k.category, k.keyVersion])).to.deep.equal([
        [PROBLEMS, 0],
        [PROBLEMS, 1],
        [PROBLEMS, 2],
        [MEDICATIONS, 0],
      ]);
      expect(bundle.entries).to.deep.equal([]);
    });

    it("hands the grantee exactly the patient's category private keys", function () {
      for (const { category, keyVersion } of bundle.categoryKeys) {
        const held = categoryKeyFromBundle(bundle, category, keyVersion, alice.privateKey);
        expect(bytesToHex(held)).to.equal(bytesToHex(deriveCategoryKeyPair(jane.privateKey, JANE, category, keyVersion).privateKey));
      }
    });

    it("encodes canonically: one bundle, one byte string, one CID", function () {
      const bytes = encodeKeyBundle(bundle);
      const text = fromUtf8(bytes);
      expect(text.startsWith('{"categoryKeys":[{"category":1,"keyVersion":0,"wrappedKey":"0x01')).to.equal(true);
      expect(text.endsWith(`"entries":[],"grantee":"${ALICE}","patient":"${JANE}","version":2}`)).to.equal(true);
      expect(text).to.not.match(/\s/);
      const decoded = decodeKeyBundle(bytes);
      expect(decoded).to.deep.equal(bundle);
      expect(encodeKeyBundle(decoded)).to.deep.equal(bytes);
      expect(documentCid(encodeKeyBundle(decoded))).to.equal(documentCid(bytes));
    });

    it("answers NOT_IN_BUNDLE for a category or a version it does not hold", function () {
      expectCryptoError(() => categoryKeyFromBundle(bundle, ALLERGIES, 0, alice.privateKey), "NOT_IN_BUNDLE");
      const error = expectCryptoError(() => categoryKeyFromBundle(bundle, PROBLEMS, 3, alice.privateKey), "NOT_IN_BUNDLE");
      expect(error.message).to.contain("0..2");
    });

    it("refuses another grantee's private key with WRONG_KEY", function () {
      expectCryptoError(() => categoryKeyFromBundle(bundle, PROBLEMS, 0, omar.privateKey), "WRONG_KEY");
    });

    it("refuses a category key moved to another patient's or grantee's bundle, category or version with WRONG_KEY", function () {
      const [p0, p1] = bundle.categoryKeys;
      const moved: KeyBundle[] = [
        { ...bundle, patient: JOHN }, // another patient
        { ...bundle, grantee: OMAR }, // relabelled for another grantee, opened with the same key
      ];
      for (const relabelled of moved)
        expectCryptoError(() => categoryKeyFromBundle(relabelled, PROBLEMS, 0, alice.privateKey), "WRONG_KEY");
      const swapped = {
        ...bundle,
        categoryKeys: [{ ...p0, wrappedKey: p1.wrappedKey }, { ...p1, wrappedKey: p0.wrappedKey }, ...bundle.categoryKeys.slice(2)],
      };
      expectCryptoError(() => categoryKeyFromBundle(swapped, PROBLEMS, 0, alice.privateKey), "WRONG_KEY");
      const medications = bundle.categoryKeys[3];
      const recategorised = { ...bundle, categoryKeys: [...bundle.categoryKeys.slice(0, 3), { ...medications, category: 4 }] };
      expectCryptoError(() => categoryKeyFromBundle(recategorised, 4, 0, alice.privateKey), "WRONG_KEY");
    });

    it("refuses to build from keys that did not make the directory, or from another patient's directory", function () {
      expectCryptoError(
        () => buildGrantBundle(generateEncryptionKeyPair(), JANE, ALICE, alice.publicKey, [PROBLEMS], directory),
        "WRONG_KEY",
      );
      expectCryptoError(() => buildGrantBundle(jane, JOHN, ALICE, alice.publicKey, [PROBLEMS], directory), "BAD_FORMAT");
      expectCryptoError(() => buildGrantBundle(jane, JANE, ALICE, alice.publicKey, [13], directory), "BAD_FORMAT");
      expectCryptoError(() => buildGrantBundle(jane, JANE, ALICE, new Uint8Array(32), [PROBLEMS], directory), "BAD_FORMAT");
    });
  });

  describe("entries (emergency escrow)", function () {
    let records: KeyBundleRecord[];
    let escrow: KeyBundle;

    before(function () {
      records = [
        { cid: cidOf("b"), recordId: newRecordId(), category: 12, dataKey: newDataKey() },
        { cid: cidOf("a"), recordId: newRecordId(), category: 3, dataKey: newDataKey() },
      ];
      escrow = buildKeyBundle({ patient: JANE, grantee: OMAR, granteePublicKey: omar.publicKey, records });
    });

    it("round-trips, in CID order, and unwraps each record's data key for the grantee", function () {
      expect(escrow.categoryKeys).to.deep.equal([]);
      const cids = escrow.entries.map((e) => e.cid);
      expect(cids).to.deep.equal([...cids].sort());
      const decoded = decodeKeyBundle(encodeKeyBundle(escrow));
      expect(decoded).to.deep.equal(escrow);
      for (const record of records) {
        expect(equalBytes(unwrapFromBundle(decoded, record.cid, omar.privateKey), record.dataKey)).to.equal(true);
      }
      expectCryptoError(() => unwrapFromBundle(decoded, cidOf("c"), omar.privateKey), "NOT_IN_BUNDLE");
    });

    it("refuses an entry moved to another patient, grantee, record id or category with WRONG_KEY", function () {
      const cid = records[0].cid;
      const entry = escrow.entries.find((e) => e.cid === cid)!;
      const other = escrow.entries.find((e) => e.cid !== cid)!;
      const variants: KeyBundle[] = [
        { ...escrow, patient: JOHN },
        { ...escrow, grantee: ALICE },
        { ...escrow, entries: [{ ...entry, recordId: other.recordId }, other] },
        { ...escrow, entries: [{ ...entry, category: 1 }, other] },
      ];
      for (const variant of variants) expectCryptoError(() => unwrapFromBundle(variant, cid, omar.privateKey), "WRONG_KEY");
      expectCryptoError(() => unwrapFromBundle(escrow, cid, alice.privateKey), "WRONG_KEY");
    });

    it("refuses any spelling of a CID but the canonical one with BAD_CID", function () {
      const canonical = records[0].cid;
      const spellings = [
        CID.parse(canonical).toString(base58btc),
        canonical.toUpperCase(),
        "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
        "bafy",
      ];
      for (const cid of spellings) {
        expectCryptoError(
          () => buildKeyBundle({ patient: JANE, grantee: OMAR, granteePublicKey: omar.publicKey, records: [{ ...records[0], cid }] }),
          "BAD_CID",
        );
        expectCryptoError(() => decodeKeyBundle(reencode(escrow, (j) => (j.entries[0].cid = cid))), "BAD_CID");
      }
    });

    it("refuses to build a bundle listing one record twice", function () {
      expectCryptoError(
        () => buildKeyBundle({ patient: JANE, grantee: OMAR, granteePublicKey: omar.publicKey, records: [records[0], records[0]] }),
        "BAD_FORMAT",
      );
    });
  });

  describe("strict decoding", function () {
    // Both lists filled, so every field has something to break (decoding checks shape, not keys).
    let mixed: KeyBundle;

    before(function () {
      const record = { cid: cidOf("x"), recordId: newRecordId(), category: 12, dataKey: newDataKey() };
      const escrow = buildKeyBundle({ patient: JANE, grantee: ALICE, granteePublicKey: alice.publicKey, records: [record] });
      mixed = { ...escrow, categoryKeys: bundle.categoryKeys };
      expect(decodeKeyBundle(encodeKeyBundle(mixed))).to.deep.equal(mixed);
    });

    it("refuses anything but exactly a canonical version 2 bundle with BAD_FORMAT", function () {
      const cases: Array<(j: Json) => void> = [
        (j) => (j.extra = true),
        (j) => delete (j as Record<string, unknown>).entries,
        (j) => delete (j as Record<string, unknown>).categoryKeys,
        (j) => (j.categoryKeys[0].extra = 1),
        (j) => (j.entries[0].extra = 1),
        (j) => delete j.entries[0].recordId,
        (j) => j.categoryKeys.push(j.categoryKeys[3]), // duplicate (category, version)
        (j) => j.categoryKeys.splice(1, 0, j.categoryKeys[0]), // duplicate version 0 of Problems
        (j) => j.categoryKeys.splice(1, 1), // gap: Problems 0, 2
        (j) => j.categoryKeys.splice(0, 1), // Problems starts at 1
        (j) => j.categoryKeys.reverse(),
        (j) => (j.categoryKeys[3].category = 13),
        (j) => (j.categoryKeys[3].keyVersion = "0"),
        (j) => (j.categoryKeys[0].wrappedKey = "0x01abcd"),
        (j) => (j.categoryKeys[0].wrappedKey = (j.categoryKeys[0].wrappedKey as string).toUpperCase().replace("0X", "0x")),
        (j) => (j.entries[0].recordId = "0x12"),
        (j) => (j.entries[0].category = 256),
        (j) => j.entries.push(j.entries[0]),
        (j) => (j.patient = JANE.toLowerCase()),
        (j) => (j.grantee = "0x1234"),
        (j) => (j.entries = {} as never),
      ];
      for (const mutate of cases) expectCryptoError(() => decodeKeyBundle(reencode(mixed, mutate)), "BAD_FORMAT");
      const json = JSON.parse(fromUtf8(encodeKeyBundle(mixed))) as Json;
      const pretty = utf8(JSON.stringify(json, null, 2));
      expectCryptoError(() => decodeKeyBundle(pretty), "BAD_FORMAT");
      const { categoryKeys, entries, ...rest } = json;
      const reordered = utf8(JSON.stringify({ entries, categoryKeys, ...rest }));
      expect(reordered.length).to.equal(encodeKeyBundle(mixed).length);
      expectCryptoError(() => decodeKeyBundle(reordered), "BAD_FORMAT");
      expectCryptoError(() => decodeKeyBundle(utf8('{"version":2,')), "BAD_FORMAT");
      expectCryptoError(() => decodeKeyBundle(utf8("null")), "BAD_FORMAT");
      expectCryptoError(() => decodeKeyBundle(Uint8Array.of(0x7b, 0xff, 0x7d)), "BAD_FORMAT");
    });

    it("refuses version 1 and later versions with UNSUPPORTED_VERSION", function () {
      for (const version of [1, 3]) {
        expectCryptoError(() => decodeKeyBundle(reencode(mixed, (j) => (j.version = version))), "UNSUPPORTED_VERSION");
      }
    });
  });
});
