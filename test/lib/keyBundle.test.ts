import { expect } from "chai";
import {
  buildKeyBundle,
  bytesToHex,
  decodeKeyBundle,
  encodeKeyBundle,
  equalBytes,
  fromUtf8,
  generateEncryptionKeyPair,
  newDataKey,
  newRecordId,
  unwrapFromBundle,
  utf8,
  type KeyBundle,
  type KeyBundleRecord,
} from "../../lib/crypto";
import { expectCryptoError } from "./helpers";

const PATIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const GRANTEE = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

describe("key bundle", function () {
  const grantee = generateEncryptionKeyPair();
  let records: KeyBundleRecord[];
  let bundle: KeyBundle;

  beforeEach(function () {
    records = [
      { cid: "bafkreia1", recordId: newRecordId(), category: 0, dataKey: newDataKey() },
      { cid: "bafkreib2", recordId: newRecordId(), category: 7, dataKey: newDataKey() },
    ];
    bundle = buildKeyBundle({ patient: PATIENT, grantee: GRANTEE, granteePublicKey: grantee.publicKey, records });
  });

  function reencode(mutate: (json: Record<string, unknown>) => void): Uint8Array {
    const json = JSON.parse(fromUtf8(encodeKeyBundle(bundle))) as Record<string, unknown>;
    mutate(json);
    return utf8(JSON.stringify(json));
  }

  it("survives build, encode, decode and unwraps every record's data key for the grantee", function () {
    const decoded = decodeKeyBundle(encodeKeyBundle(bundle));
    expect(decoded).to.deep.equal(bundle);
    expect(decoded.patient).to.equal(PATIENT.toLowerCase());
    expect(decoded.grantee).to.equal(GRANTEE.toLowerCase());
    expect(decoded.entries.map((e) => [e.cid, e.recordId, e.category])).to.deep.equal(
      records.map((r) => [r.cid, bytesToHex(r.recordId), r.category]),
    );
    for (const record of records) {
      expect(equalBytes(unwrapFromBundle(decoded, record.cid, grantee.privateKey), record.dataKey)).to.equal(true);
    }
  });

  it("encodes canonically: sorted keys, no whitespace, the same bytes every time", function () {
    const text = fromUtf8(encodeKeyBundle(bundle));
    expect(text.startsWith('{"entries":[{"category":0,"cid":"bafkreia1","recordId":"0x')).to.equal(true);
    expect(text.endsWith(`"grantee":"${GRANTEE.toLowerCase()}","patient":"${PATIENT.toLowerCase()}","version":1}`)).to.equal(true);
    expect(text).to.not.match(/\s/);
    expect(encodeKeyBundle(decodeKeyBundle(encodeKeyBundle(bundle)))).to.deep.equal(encodeKeyBundle(bundle));
  });

  it("refuses another grantee's private key with WRONG_KEY", function () {
    expectCryptoError(() => unwrapFromBundle(bundle, "bafkreia1", generateEncryptionKeyPair().privateKey), "WRONG_KEY");
  });

  it("refuses an entry moved into another patient's bundle with WRONG_KEY", function () {
    const moved = { ...bundle, patient: GRANTEE.toLowerCase() };
    expectCryptoError(() => unwrapFromBundle(moved, "bafkreia1", grantee.privateKey), "WRONG_KEY");
  });

  it("refuses a wrapped key relabelled with another record id with WRONG_KEY", function () {
    const [a, b] = bundle.entries;
    const swapped = { ...bundle, entries: [{ ...a, recordId: b.recordId }, b] };
    expectCryptoError(() => unwrapFromBundle(swapped, "bafkreia1", grantee.privateKey), "WRONG_KEY");
  });

  it("answers NOT_IN_BUNDLE for a record the bundle does not cover", function () {
    expectCryptoError(() => unwrapFromBundle(bundle, "bafkreizz", grantee.privateKey), "NOT_IN_BUNDLE");
  });

  it("refuses malformed JSON and invalid UTF-8 with BAD_FORMAT", function () {
    expectCryptoError(() => decodeKeyBundle(utf8('{"version":1,')), "BAD_FORMAT");
    expectCryptoError(() => decodeKeyBundle(utf8("[]")), "BAD_FORMAT");
    expectCryptoError(() => decodeKeyBundle(utf8("null")), "BAD_FORMAT");
    expectCryptoError(() => decodeKeyBundle(Uint8Array.of(0x7b, 0xff, 0x7d)), "BAD_FORMAT");
  });

  it("refuses well-formed JSON of the wrong shape with BAD_FORMAT", function () {
    const cases: Array<(json: Record<string, unknown>) => void> = [
      (j) => delete j.grantee,
      (j) => (j.extra = true),
      (j) => (j.patient = "0x1234"),
      (j) => (j.entries = {}),
      (j) => (j.entries as unknown[]).push((j.entries as unknown[])[0]), // duplicate CID
      (j) => ((j.entries as Array<Record<string, unknown>>)[0].category = 256),
      (j) => ((j.entries as Array<Record<string, unknown>>)[0].category = "7"),
      (j) => ((j.entries as Array<Record<string, unknown>>)[0].recordId = "0x12"),
      (j) => ((j.entries as Array<Record<string, unknown>>)[0].wrappedKey = "0x01abcd"),
      (j) => delete (j.entries as Array<Record<string, unknown>>)[1].cid,
    ];
    for (const mutate of cases) expectCryptoError(() => decodeKeyBundle(reencode(mutate)), "BAD_FORMAT");
  });

  it("refuses another bundle version with UNSUPPORTED_VERSION", function () {
    expectCryptoError(() => decodeKeyBundle(reencode((j) => (j.version = 2))), "UNSUPPORTED_VERSION");
  });

  it("refuses to build a bundle listing one record twice", function () {
    expectCryptoError(
      () =>
        buildKeyBundle({
          patient: PATIENT,
          grantee: GRANTEE,
          granteePublicKey: grantee.publicKey,
          records: [records[0], records[0]],
        }),
      "BAD_FORMAT",
    );
  });
});

describe("key bundle CIDs", function () {
  for (const cid of ["", "bafy with spaces", "b".repeat(257)]) {
    it(`refuses a bundle entry whose CID is ${JSON.stringify(cid.slice(0, 20))}${cid.length > 20 ? "…" : ""} with BAD_CID`, function () {
      const bad = new TextEncoder().encode(
        JSON.stringify({
          version: 1,
          patient: "0x" + "11".repeat(20),
          grantee: "0x" + "22".repeat(20),
          entries: [{ cid, recordId: "0x" + "00".repeat(16), category: 1, wrappedKey: "0x00" }],
        }),
      );
      let code: string | undefined;
      try {
        decodeKeyBundle(bad);
      } catch (err) {
        code = (err as { code?: string }).code;
      }
      expect(code).to.equal("BAD_CID");
    });
  }
});
