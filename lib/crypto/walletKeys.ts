/**
 * X25519 encryption keys derived from a wallet signature, so a patient or provider needs nothing but their
 * wallet to recover their key on any device (no deprecated `eth_getEncryptionPublicKey`, no key file).
 */
import { randomBytes } from "@noble/ciphers/utils.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToAddress, checksumAddress, normalizeAddress, addressToBytes } from "./address";
import { assertBytes, concatBytes, copyBytes, equalBytes, hexToBytes, utf8 } from "./bytes";
import { badFormat, CryptoError } from "./errors";

/**
 * The text the wallet shows the user when asked for the key-derivation signature. Whoever holds this signature holds
 * the key, so the prompt itself warns against signing it anywhere else (a phishing site can ask for the same typed
 * data: the warning, and the wallet's display of the requesting site, are the defence; see the README's threat model).
 */
export const ENCRYPTION_KEY_PURPOSE =
  "Derive my Consent Ledger encryption key. WARNING: sign this only in the Consent Ledger app of your own health network; anyone who obtains this signature can read your health records. It does not move funds or grant access.";

/** An X25519 key pair for wrapping and unwrapping record data keys. */
export interface EncryptionKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** One field of an EIP-712 struct type (same shape as ethers' `TypedDataField`). */
export interface TypedDataField {
  name: string;
  type: string;
}

/** The EIP-712 request a wallet signs to derive its encryption key; pass the parts to `signTypedData`. */
export interface EncryptionKeyRequest {
  /** No chainId or verifyingContract: the key must be the same on every chain and deployment. */
  domain: { name: string; version: string };
  types: { EncryptionKeyRequest: TypedDataField[] };
  primaryType: "EncryptionKeyRequest";
  message: { purpose: string; account: string };
}

/**
 * Signs EIP-712 typed data and returns the 65-byte signature as hex; ethers'
 * `signer.signTypedData.bind(signer)` fits as is.
 */
export type SignTypedData = (
  domain: EncryptionKeyRequest["domain"],
  types: EncryptionKeyRequest["types"],
  message: EncryptionKeyRequest["message"],
) => Promise<string>;

const DOMAIN_NAME = "Consent Ledger";
const DOMAIN_VERSION = "1";
const KEY_SALT = utf8("consent-ledger/x25519/v1");
// secp256k1 group order; a signature (r, s) and (r, n - s) are both valid, so s is canonicalized.
const CURVE_ORDER = secp256k1.Point.Fn.ORDER;
const HALF_ORDER = CURVE_ORDER >> 1n;

/** The typed-data request for `account`, in the shape ethers' `signTypedData(domain, types, message)` takes. */
export function encryptionKeyRequest(account: string): EncryptionKeyRequest {
  return {
    domain: { name: DOMAIN_NAME, version: DOMAIN_VERSION },
    types: {
      EncryptionKeyRequest: [
        { name: "purpose", type: "string" },
        { name: "account", type: "address" },
      ],
    },
    primaryType: "EncryptionKeyRequest",
    // Checksummed because wallets display it; EIP-712 hashes the 20 bytes, so spelling does not change the key.
    message: { purpose: ENCRYPTION_KEY_PURPOSE, account: checksumAddress(account) },
  };
}

/** The EIP-712 digest of {@link encryptionKeyRequest}: what the wallet's ECDSA signature covers. */
export function encryptionKeyRequestDigest(account: string): Uint8Array {
  const domainSeparator = keccak_256(
    concatBytes(
      keccak_256(utf8("EIP712Domain(string name,string version)")),
      keccak_256(utf8(DOMAIN_NAME)),
      keccak_256(utf8(DOMAIN_VERSION)),
    ),
  );
  const structHash = keccak_256(
    concatBytes(
      keccak_256(utf8("EncryptionKeyRequest(string purpose,address account)")),
      keccak_256(utf8(ENCRYPTION_KEY_PURPOSE)),
      new Uint8Array(12), // an address is encoded as a left-padded 32-byte word
      addressToBytes(account),
    ),
  );
  return keccak_256(concatBytes(Uint8Array.of(0x19, 0x01), domainSeparator, structHash));
}

/**
 * Derives the account's X25519 key pair from the wallet's signature over {@link encryptionKeyRequest}.
 *
 * Assumes the wallet signs deterministically (RFC 6979 ECDSA, as MetaMask, hardware wallets and ethers
 * do): the key is only recoverable if the same request always yields the same signature. So it asks for
 * two signatures and throws `NONDETERMINISTIC_WALLET` if they differ, rather than hand out a key the user
 * could never derive again. It also throws `SIGNER_MISMATCH` if the signature was not made by `account`
 * (e.g. the wallet has another account selected), which would silently give a different key. Only
 * externally owned accounts qualify; contract wallets (ERC-1271) sign differently and are refused.
 *
 * privateKey = HKDF-SHA256(ikm = signature r | s | v, salt = "consent-ledger/x25519/v1", info = account
 * in lower case). The signature is first put in canonical form (low s, v of 27/28), so wallets that differ
 * only in how they encode the same signature derive the same key; for ethers and MetaMask this form is
 * exactly the bytes they return.
 */
export async function deriveEncryptionKeyPair(account: string, signTypedData: SignTypedData): Promise<EncryptionKeyPair> {
  const normalized = normalizeAddress(account);
  const request = encryptionKeyRequest(normalized);
  const first = canonicalSignature(await signTypedData(request.domain, request.types, request.message));
  const second = canonicalSignature(await signTypedData(request.domain, request.types, request.message));
  if (!equalBytes(first.bytes, second.bytes)) {
    throw new CryptoError(
      "NONDETERMINISTIC_WALLET",
      "the wallet gave two different signatures for the same request, so the encryption key could not be " +
        "derived again later; use a wallet that signs deterministically (RFC 6979)",
    );
  }
  const signer = recoverSigner(first, encryptionKeyRequestDigest(normalized));
  if (signer !== normalized) {
    throw new CryptoError(
      "SIGNER_MISMATCH",
      `the key request for ${normalized} was signed by ${signer ?? "an unrecoverable key"}; ` +
        "select that account in the wallet and try again",
    );
  }
  const privateKey = hkdf(sha256, first.bytes, KEY_SALT, utf8(normalized), 32);
  return { publicKey: x25519.getPublicKey(privateKey), privateKey };
}

/**
 * Key pair whose private key is the given 32-byte seed, for tests, servers and escrow keys whose secret
 * comes from configuration rather than a wallet. The seed must be uniformly random.
 */
export function keyPairFromSeed(seed: Uint8Array): EncryptionKeyPair {
  assertBytes(seed, 32, "seed");
  const privateKey = copyBytes(seed);
  return { publicKey: x25519.getPublicKey(privateKey), privateKey };
}

/** A fresh random X25519 key pair. */
export function generateEncryptionKeyPair(): EncryptionKeyPair {
  return keyPairFromSeed(randomBytes(32));
}

interface CanonicalSignature {
  r: bigint;
  s: bigint;
  recovery: number;
  /** r | s | (27 + recovery), 65 bytes. */
  bytes: Uint8Array;
}

function canonicalSignature(signatureHex: string): CanonicalSignature {
  const raw = hexToBytes(signatureHex);
  if (raw.length !== 65) throw badFormat(`a wallet signature must be 65 bytes (r, s, v), got ${raw.length}`);
  const r = bytesToNumberBE(raw.subarray(0, 32));
  let s = bytesToNumberBE(raw.subarray(32, 64));
  const v = raw[64];
  // Wallets encode the recovery id as 0/1 or 27/28; both mean the same signature.
  let recovery = v >= 27 ? v - 27 : v;
  if (recovery > 1 || r === 0n || r >= CURVE_ORDER || s === 0n || s >= CURVE_ORDER) {
    throw badFormat("the wallet returned a malformed ECDSA signature");
  }
  if (s > HALF_ORDER) {
    s = CURVE_ORDER - s;
    recovery ^= 1;
  }
  const bytes = concatBytes(numberToBytesBE(r, 32), numberToBytesBE(s, 32), Uint8Array.of(27 + recovery));
  return { r, s, recovery, bytes };
}

function recoverSigner(signature: CanonicalSignature, digest: Uint8Array): string | undefined {
  try {
    const point = new secp256k1.Signature(signature.r, signature.s, signature.recovery).recoverPublicKey(digest);
    const uncompressed = point.toBytes(false);
    return bytesToAddress(keccak_256(uncompressed.subarray(1)).subarray(12));
  } catch {
    return undefined;
  }
}
