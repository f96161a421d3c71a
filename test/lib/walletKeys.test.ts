import { expect } from "chai";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hexlify, Signature, TypedDataEncoder, Wallet } from "ethers";
import {
  bytesToHex,
  deriveEncryptionKeyPair,
  encryptionKeyRequest,
  encryptionKeyRequestDigest,
  equalBytes,
  hexToBytes,
  keyPairFromSeed,
  newDataKey,
  unwrapKey,
  wrapKey,
  type SignTypedData,
} from "../../lib/crypto";
import { expectCryptoErrorAsync } from "./helpers";

// Fixed keys so the derived key pairs are the same in every run.
const alice = new Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const bob = new Wallet("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

function signerOf(wallet: Wallet): SignTypedData {
  return (domain, types, message) => wallet.signTypedData(domain, types, message);
}

describe("wallet-derived encryption keys", function () {
  it("asks for EIP-712 typed data ethers can sign, with no chain id, naming the account", function () {
    const request = encryptionKeyRequest(alice.address.toLowerCase());
    expect(request.domain).to.deep.equal({ name: "Consent Ledger", version: "1" });
    expect(request.primaryType).to.equal("EncryptionKeyRequest");
    expect(request.message.account).to.equal(alice.address);
    expect(request.message.purpose).to.contain("does not move funds or grant access");
    expect(bytesToHex(encryptionKeyRequestDigest(alice.address))).to.equal(
      TypedDataEncoder.hash(request.domain, request.types, request.message),
    );
  });

  it("derives the same key pair every time for the same wallet", async function () {
    const first = await deriveEncryptionKeyPair(alice.address, signerOf(alice));
    const second = await deriveEncryptionKeyPair(alice.address.toLowerCase(), alice.signTypedData.bind(alice));
    expect(first.privateKey.length).to.equal(32);
    expect(first.publicKey.length).to.equal(32);
    expect(equalBytes(first.privateKey, second.privateKey)).to.equal(true);
    expect(equalBytes(first.publicKey, second.publicKey)).to.equal(true);
  });

  it("derives a working X25519 pair: a key wrapped for the public half unwraps with the private half", async function () {
    const keys = await deriveEncryptionKeyPair(alice.address, signerOf(alice));
    const dataKey = newDataKey();
    const context = Uint8Array.of(1, 2, 3);
    expect(equalBytes(unwrapKey(wrapKey(dataKey, keys.publicKey, context), keys.privateKey, context), dataKey)).to.equal(true);
  });

  it("derives different key pairs for different accounts", async function () {
    const a = await deriveEncryptionKeyPair(alice.address, signerOf(alice));
    const b = await deriveEncryptionKeyPair(bob.address, signerOf(bob));
    expect(equalBytes(a.privateKey, b.privateKey)).to.equal(false);
    expect(equalBytes(a.publicKey, b.publicKey)).to.equal(false);
  });

  it("derives the same key whether the wallet encodes v as 27/28 or 0/1, or returns the high-s twin", async function () {
    const reference = await deriveEncryptionKeyPair(alice.address, signerOf(alice));
    const v01: SignTypedData = async (d, t, m) => {
      const sig = hexToBytes(await alice.signTypedData(d, t, m));
      sig[64] -= 27;
      return hexlify(sig);
    };
    const highS: SignTypedData = async (d, t, m) => {
      const sig = Signature.from(await alice.signTypedData(d, t, m));
      const n = secp256k1.Point.Fn.ORDER;
      const s = n - BigInt(sig.s);
      return sig.r + s.toString(16).padStart(64, "0") + (sig.v === 27 ? "1c" : "1b");
    };
    for (const sign of [v01, highS]) {
      const keys = await deriveEncryptionKeyPair(alice.address, sign);
      expect(equalBytes(keys.privateKey, reference.privateKey)).to.equal(true);
    }
  });

  it("refuses a wallet that signs the same request differently each time with NONDETERMINISTIC_WALLET", async function () {
    // Randomized (non-RFC 6979) ECDSA by alice's own key: each signature is valid, but no two are equal.
    const randomized: SignTypedData = async () => {
      const digest = encryptionKeyRequestDigest(alice.address);
      const sig = secp256k1.sign(digest, hexToBytes(alice.privateKey), {
        prehash: false,
        extraEntropy: true,
        format: "recovered",
      });
      // noble's recovered format puts the recovery byte first; wallets put v last.
      return bytesToHex(Uint8Array.of(...sig.subarray(1), 27 + sig[0]));
    };
    await expectCryptoErrorAsync(() => deriveEncryptionKeyPair(alice.address, randomized), "NONDETERMINISTIC_WALLET");
  });

  it("refuses a signature from another account than the one asked for with SIGNER_MISMATCH", async function () {
    await expectCryptoErrorAsync(() => deriveEncryptionKeyPair(alice.address, signerOf(bob)), "SIGNER_MISMATCH");
  });

  it("refuses a malformed signature with BAD_FORMAT", async function () {
    await expectCryptoErrorAsync(() => deriveEncryptionKeyPair(alice.address, async () => "0x1234"), "BAD_FORMAT");
  });

  it("builds a key pair from a 32-byte seed whose private key is the seed", function () {
    const seed = hexToBytes("0x" + "42".repeat(32));
    const keys = keyPairFromSeed(seed);
    expect(equalBytes(keys.privateKey, seed)).to.equal(true);
    expect(equalBytes(keyPairFromSeed(seed).publicKey, keys.publicKey)).to.equal(true);
  });
});
