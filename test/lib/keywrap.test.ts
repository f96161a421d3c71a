import { expect } from "chai";
import {
  WRAPPED_KEY_LENGTH,
  equalBytes,
  generateEncryptionKeyPair,
  newDataKey,
  newRecordId,
  parseWrappedKey,
  recordKeyContext,
  serializeWrappedKey,
  unwrapKey,
  wrapKey,
  type WrappedKey,
} from "../../lib/crypto";
import { expectCryptoError } from "./helpers";

const PATIENT = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const OTHER_PATIENT = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

describe("key wrapping", function () {
  const recipient = generateEncryptionKeyPair();
  const recordId = newRecordId();
  const context = recordKeyContext(recordId, PATIENT);
  let dataKey: Uint8Array;
  let wrapped: WrappedKey;

  beforeEach(function () {
    dataKey = newDataKey();
    wrapped = wrapKey(dataKey, recipient.publicKey, context);
  });

  function tamper(field: "ephemeralPublicKey" | "nonce" | "sealedKey", byte: number): WrappedKey {
    const copy = { ...wrapped, [field]: wrapped[field].slice() };
    copy[field][byte] ^= 0x01;
    return copy;
  }

  it("lets the recipient recover the data key", function () {
    expect(equalBytes(unwrapKey(wrapped, recipient.privateKey, context), dataKey)).to.equal(true);
  });

  it("gives unlinkable outputs when the same key is wrapped twice", function () {
    const again = wrapKey(dataKey, recipient.publicKey, context);
    expect(equalBytes(again.ephemeralPublicKey, wrapped.ephemeralPublicKey)).to.equal(false);
    expect(equalBytes(again.sealedKey, wrapped.sealedKey)).to.equal(false);
  });

  it("refuses another recipient's private key with WRONG_KEY", function () {
    expectCryptoError(() => unwrapKey(wrapped, generateEncryptionKeyPair().privateKey, context), "WRONG_KEY");
  });

  it("refuses a different record or patient context with WRONG_KEY", function () {
    expectCryptoError(() => unwrapKey(wrapped, recipient.privateKey, recordKeyContext(newRecordId(), PATIENT)), "WRONG_KEY");
    expectCryptoError(() => unwrapKey(wrapped, recipient.privateKey, recordKeyContext(recordId, OTHER_PATIENT)), "WRONG_KEY");
    expectCryptoError(() => unwrapKey(wrapped, recipient.privateKey, new Uint8Array(0)), "WRONG_KEY");
  });

  it("refuses a tampered ephemeral key, nonce or sealed key with WRONG_KEY", function () {
    expectCryptoError(() => unwrapKey(tamper("ephemeralPublicKey", 3), recipient.privateKey, context), "WRONG_KEY");
    expectCryptoError(() => unwrapKey(tamper("nonce", 23), recipient.privateKey, context), "WRONG_KEY");
    expectCryptoError(() => unwrapKey(tamper("sealedKey", 0), recipient.privateKey, context), "WRONG_KEY");
    expectCryptoError(() => unwrapKey(tamper("sealedKey", 47), recipient.privateKey, context), "WRONG_KEY");
  });

  it("refuses a low-order ephemeral key (all-zero shared secret) with WRONG_KEY", function () {
    const lowOrder = { ...wrapped, ephemeralPublicKey: new Uint8Array(32) };
    expectCryptoError(() => unwrapKey(lowOrder, recipient.privateKey, context), "WRONG_KEY");
  });

  it("refuses to wrap for a low-order public key or a key of the wrong length", function () {
    expectCryptoError(() => wrapKey(dataKey, new Uint8Array(32), context), "BAD_FORMAT");
    expectCryptoError(() => wrapKey(dataKey, new Uint8Array(31), context), "BAD_FORMAT");
    expectCryptoError(() => wrapKey(new Uint8Array(16), recipient.publicKey, context), "BAD_FORMAT");
  });

  it("serializes to a fixed length and parses back to the same wrapped key", function () {
    const bytes = serializeWrappedKey(wrapped);
    expect(bytes.length).to.equal(WRAPPED_KEY_LENGTH);
    const parsed = parseWrappedKey(bytes);
    expect(parsed).to.deep.equal(wrapped);
    expect(equalBytes(unwrapKey(parsed, recipient.privateKey, context), dataKey)).to.equal(true);
  });

  it("refuses malformed serialized bytes with BAD_FORMAT and another version with UNSUPPORTED_VERSION", function () {
    const bytes = serializeWrappedKey(wrapped);
    expectCryptoError(() => parseWrappedKey(bytes.slice(0, -1)), "BAD_FORMAT");
    expectCryptoError(() => parseWrappedKey(Uint8Array.of(...bytes, 0)), "BAD_FORMAT");
    expectCryptoError(() => parseWrappedKey(new Uint8Array(0)), "BAD_FORMAT");
    const v2 = bytes.slice();
    v2[0] = 2;
    expectCryptoError(() => parseWrappedKey(v2), "UNSUPPORTED_VERSION");
  });

  it("binds the record context to a 16-byte record id and a valid patient address", function () {
    expect(recordKeyContext(recordId, PATIENT)).to.deep.equal(recordKeyContext(recordId, PATIENT.toUpperCase().replace("0X", "0x")));
    expectCryptoError(() => recordKeyContext(new Uint8Array(15), PATIENT), "BAD_FORMAT");
    expectCryptoError(() => recordKeyContext(recordId, "0x70997970C51812dc3A010C7d01b50e0d17dc79c8"), "BAD_FORMAT");
  });
});
