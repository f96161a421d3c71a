import { expect } from "chai";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, deriveCategoryKeyPair, generateEncryptionKeyPair, hexToBytes } from "../../lib/crypto";
import { expectCryptoError } from "./helpers";

const JANE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const JOHN = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

describe("category key derivation", function () {
  const jane = generateEncryptionKeyPair();

  it("follows the design: HKDF-SHA256(patient key, salt, patient | category u8 | version u32) is the X25519 private key", function () {
    const info = Uint8Array.from([...hexToBytes(JANE), 7, 0x01, 0x02, 0x03, 0x04]);
    const seed = hkdf(sha256, jane.privateKey, new TextEncoder().encode("consent-ledger/category-key/v1"), info, 32);
    const pair = deriveCategoryKeyPair(jane.privateKey, JANE, 7, 0x01020304);
    expect(bytesToHex(pair.privateKey)).to.equal(bytesToHex(seed));
    expect(bytesToHex(pair.publicKey)).to.equal(bytesToHex(x25519.getPublicKey(seed)));
  });

  it("is deterministic and does not depend on how the address is spelled", function () {
    const a = deriveCategoryKeyPair(jane.privateKey, JANE, 3, 2);
    const b = deriveCategoryKeyPair(jane.privateKey.slice(), JANE.toLowerCase(), 3, 2);
    expect(a).to.deep.equal(b);
  });

  it("gives a different key for every patient, category, version and patient key", function () {
    const other = generateEncryptionKeyPair();
    const seen = new Set<string>();
    for (const key of [jane.privateKey, other.privateKey]) {
      for (const patient of [JANE, JOHN]) {
        for (let category = 0; category <= 12; category++) {
          for (const version of [0, 1, 2, 0xffff_ffff]) {
            seen.add(bytesToHex(deriveCategoryKeyPair(key, patient, category, version).publicKey));
          }
        }
      }
    }
    expect(seen.size).to.equal(2 * 2 * 13 * 4);
    expect(seen.has(bytesToHex(jane.publicKey))).to.equal(false);
  });

  it("refuses a malformed patient key, address, category or version with BAD_FORMAT", function () {
    expectCryptoError(() => deriveCategoryKeyPair(new Uint8Array(31), JANE, 1, 0), "BAD_FORMAT");
    expectCryptoError(() => deriveCategoryKeyPair(jane.privateKey, "0x1234", 1, 0), "BAD_FORMAT");
    expectCryptoError(() => deriveCategoryKeyPair(jane.privateKey, JANE, 256, 0), "BAD_FORMAT");
    expectCryptoError(() => deriveCategoryKeyPair(jane.privateKey, JANE, 1.5, 0), "BAD_FORMAT");
    expectCryptoError(() => deriveCategoryKeyPair(jane.privateKey, JANE, 1, -1), "BAD_FORMAT");
    expectCryptoError(() => deriveCategoryKeyPair(jane.privateKey, JANE, 1, 2 ** 32), "BAD_FORMAT");
  });
});
