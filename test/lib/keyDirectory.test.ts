import { expect } from "chai";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  buildKeyDirectory,
  bytesToHex,
  decodeKeyDirectory,
  deriveCategoryKeyPair,
  directoryEntry,
  encodeKeyDirectory,
  fromUtf8,
  generateEncryptionKeyPair,
  keyDirectoryDigest,
  openKeyDirectory,
  rotateCategories,
  utf8,
  type KeyDirectory,
} from "../../lib/crypto";
import { cidDigestHex, documentCid } from "../../lib/ids";
import { expectCryptoError } from "./helpers";

const JANE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const JOHN = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

describe("key directory", function () {
  const jane = generateEncryptionKeyPair();
  let directory: KeyDirectory;

  before(function () {
    directory = buildKeyDirectory(jane, JANE.toLowerCase());
  });

  function reencode(mutate: (json: { categories: Array<Record<string, unknown>> } & Record<string, unknown>) => void): Uint8Array {
    const json = JSON.parse(fromUtf8(encodeKeyDirectory(directory))) as { categories: Array<Record<string, unknown>> } & Record<
      string,
      unknown
    >;
    mutate(json);
    return utf8(JSON.stringify(json));
  }

  it("lists every one of the 13 categories at version 0 with the patient's derived public key", function () {
    expect(directory.patient).to.equal(JANE);
    expect(directory.categories.map((e) => e.category)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const entry of directory.categories) {
      expect(entry.keyVersion).to.equal(0);
      expect(entry.publicKey).to.equal(bytesToHex(deriveCategoryKeyPair(jane.privateKey, JANE, entry.category, 0).publicKey));
    }
    expect(buildKeyDirectory(jane, JANE, { 4: 3 }).categories[4]).to.deep.equal({
      category: 4,
      keyVersion: 3,
      publicKey: bytesToHex(deriveCategoryKeyPair(jane.privateKey, JANE, 4, 3).publicKey),
    });
    expectCryptoError(() => buildKeyDirectory(jane, JANE, { 13: 1 }), "BAD_FORMAT");
  });

  it("encodes canonically and decodes back to the same directory and the same bytes", function () {
    const bytes = encodeKeyDirectory(directory);
    const text = fromUtf8(bytes);
    expect(text.startsWith('{"categories":[{"category":0,"keyVersion":0,"publicKey":"0x')).to.equal(true);
    expect(text.endsWith(`"patient":"${JANE}","version":1}`)).to.equal(true);
    expect(text).to.not.match(/\s/);
    expect(decodeKeyDirectory(bytes)).to.deep.equal(directory);
    expect(encodeKeyDirectory(decodeKeyDirectory(bytes))).to.deep.equal(bytes);
  });

  it("is published by the sha2-256 digest of its bytes, the digest of its raw CID", function () {
    const bytes = encodeKeyDirectory(directory);
    expect(keyDirectoryDigest(directory)).to.equal(bytesToHex(sha256(bytes)));
    expect(cidDigestHex(documentCid(bytes))).to.equal(keyDirectoryDigest(directory));
  });

  it("rotates only the named categories, one version up, to keys only the patient could derive", function () {
    const rotated = rotateCategories(directory, [1, 8, 1], jane);
    const twice = rotateCategories(rotated, [8], jane);
    for (const entry of twice.categories) {
      const expected = entry.category === 8 ? 2 : entry.category === 1 ? 1 : 0;
      expect(entry.keyVersion, `category ${entry.category}`).to.equal(expected);
      expect(entry.publicKey).to.equal(bytesToHex(deriveCategoryKeyPair(jane.privateKey, JANE, entry.category, expected).publicKey));
    }
    expect(directoryEntry(rotated, 1).publicKey).to.not.equal(directoryEntry(directory, 1).publicKey);
    expect(directory.categories.every((e) => e.keyVersion === 0)).to.equal(true); // the input is left alone
    expect(decodeKeyDirectory(encodeKeyDirectory(twice))).to.deep.equal(twice);
  });

  it("refuses to rotate with keys that did not make the directory (WRONG_KEY) or an unknown category", function () {
    expectCryptoError(() => rotateCategories(directory, [1], generateEncryptionKeyPair()), "WRONG_KEY");
    expectCryptoError(() => rotateCategories(directory, [13], jane), "BAD_FORMAT");
  });

  it("accepts a directory fetched from a store only when it hashes to the on-chain digest and is the patient's", function () {
    const bytes = encodeKeyDirectory(directory);
    const digest = keyDirectoryDigest(directory);
    expect(openKeyDirectory(bytes, { digest, patient: JANE.toLowerCase() })).to.deep.equal(directory);
    const substituted = encodeKeyDirectory(buildKeyDirectory(generateEncryptionKeyPair(), JANE));
    expectCryptoError(() => openKeyDirectory(substituted, { digest, patient: JANE }), "TAMPERED");
    const johns = encodeKeyDirectory(buildKeyDirectory(jane, JOHN));
    expectCryptoError(() => openKeyDirectory(johns, { digest: bytesToHex(sha256(johns)), patient: JANE }), "BAD_FORMAT");
    expectCryptoError(() => openKeyDirectory(bytes, { digest: "0x12", patient: JANE }), "BAD_FORMAT");
  });

  it("refuses anything but exactly a canonical version 1 directory with BAD_FORMAT", function () {
    const key = (i: number): string => (directory.categories[i].publicKey as string).toUpperCase().replace("0X", "0x");
    const cases: Array<(j: { categories: Array<Record<string, unknown>> } & Record<string, unknown>) => void> = [
      (j) => (j.extra = 1),
      (j) => delete j.patient,
      (j) => (j.categories[0].note = "x"),
      (j) => delete j.categories[2].keyVersion,
      (j) => j.categories.pop(),
      (j) => j.categories.push({ ...j.categories[12], category: 13 }),
      (j) => (j.categories[3] = j.categories[2]), // category 2 twice, 3 missing
      (j) => j.categories.reverse(),
      (j) => (j.categories[1].keyVersion = -1),
      (j) => (j.categories[1].keyVersion = 1.5),
      (j) => (j.categories[1].keyVersion = "1"),
      (j) => (j.categories[1].publicKey = key(1)), // upper-case hex
      (j) => (j.categories[1].publicKey = "0x1234"),
      (j) => (j.patient = JANE.toLowerCase()), // not EIP-55: another spelling of the same document
      (j) => (j.patient = "0x1234"),
    ];
    for (const mutate of cases) expectCryptoError(() => decodeKeyDirectory(reencode(mutate)), "BAD_FORMAT");
    const pretty = utf8(JSON.stringify(JSON.parse(fromUtf8(encodeKeyDirectory(directory))), null, 1));
    expectCryptoError(() => decodeKeyDirectory(pretty), "BAD_FORMAT");
    expectCryptoError(() => decodeKeyDirectory(utf8('{"version":1')), "BAD_FORMAT");
    expectCryptoError(() => decodeKeyDirectory(Uint8Array.of(0xff)), "BAD_FORMAT");
    expectCryptoError(() => decodeKeyDirectory(reencode((j) => (j.version = 2))), "UNSUPPORTED_VERSION");
  });
});
