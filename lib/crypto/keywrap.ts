import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { randomBytes } from "@noble/ciphers/utils.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { assertBytes, concatBytes, copyBytes, isBytes, utf8 } from "./bytes";
import { badFormat, CryptoError } from "./errors";

/** Length of every data key (XChaCha20-Poly1305 key). */
export const DATA_KEY_LENGTH = 32;
/** Length of X25519 public and private keys. */
export const X25519_KEY_LENGTH = 32;
/** Format version written as the first byte of a serialized {@link WrappedKey}. */
export const WRAPPED_KEY_VERSION = 1;
/** Length of a serialized {@link WrappedKey}: version 1 | ephemeral public key 32 | nonce 24 | sealed key 48. */
export const WRAPPED_KEY_LENGTH = 1 + 32 + 24 + DATA_KEY_LENGTH + 16;

const NONCE_LENGTH = 24;
const SEALED_KEY_LENGTH = DATA_KEY_LENGTH + 16;
const KEYWRAP_INFO = utf8("consent-ledger/keywrap/v1");

/** A data key sealed for one recipient's X25519 public key (ephemeral ECDH + HKDF-SHA256 + XChaCha20-Poly1305). */
export interface WrappedKey {
  version: 1;
  /** Sender's one-time X25519 public key; its private half was discarded after wrapping. */
  ephemeralPublicKey: Uint8Array;
  /** Random 24-byte XChaCha20 nonce. */
  nonce: Uint8Array;
  /** The 32-byte data key encrypted, followed by its 16-byte Poly1305 tag. */
  sealedKey: Uint8Array;
}

/**
 * Wraps `dataKey` so only the holder of the private key for `recipientPublicKey` can recover it, and only
 * when presenting the same `context`. A fresh ephemeral key pair per call means wrapping the same key twice
 * gives unlinkable outputs.
 */
export function wrapKey(dataKey: Uint8Array, recipientPublicKey: Uint8Array, context: Uint8Array): WrappedKey {
  assertBytes(dataKey, DATA_KEY_LENGTH, "dataKey");
  assertBytes(recipientPublicKey, X25519_KEY_LENGTH, "recipientPublicKey");
  if (!isBytes(context)) throw badFormat("context must be a Uint8Array");
  const ephemeralPrivateKey = randomBytes(X25519_KEY_LENGTH);
  const ephemeralPublicKey = x25519.getPublicKey(ephemeralPrivateKey);
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(ephemeralPrivateKey, recipientPublicKey);
  } catch (cause) {
    // noble refuses low-order points, whose shared secret would be all zeros and known to everyone.
    throw badFormat("recipientPublicKey is not a usable X25519 public key (low-order point)", cause);
  } finally {
    ephemeralPrivateKey.fill(0);
  }
  const kek = deriveKek(shared, ephemeralPublicKey, recipientPublicKey, context);
  const nonce = randomBytes(NONCE_LENGTH);
  const sealedKey = xchacha20poly1305(kek, nonce, context).encrypt(dataKey);
  kek.fill(0);
  return { version: WRAPPED_KEY_VERSION, ephemeralPublicKey, nonce, sealedKey };
}

/**
 * Recovers a data key wrapped by {@link wrapKey}. Throws `WRONG_KEY` when the private key is not the
 * recipient's, the context differs, or any part of the wrapped key was altered: the AEAD cannot tell these
 * apart, and a caller should treat them alike (this key is not for you).
 */
export function unwrapKey(wrapped: WrappedKey, recipientPrivateKey: Uint8Array, context: Uint8Array): Uint8Array {
  checkWrappedKeyShape(wrapped);
  assertBytes(recipientPrivateKey, X25519_KEY_LENGTH, "recipientPrivateKey");
  if (!isBytes(context)) throw badFormat("context must be a Uint8Array");
  const recipientPublicKey = x25519.getPublicKey(recipientPrivateKey);
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(recipientPrivateKey, wrapped.ephemeralPublicKey);
  } catch (cause) {
    // A low-order ephemeral key can only come from tampering; report it like any other failed unwrap.
    throw wrongKey(cause);
  }
  const kek = deriveKek(shared, wrapped.ephemeralPublicKey, recipientPublicKey, context);
  try {
    return xchacha20poly1305(kek, wrapped.nonce, context).decrypt(wrapped.sealedKey);
  } catch (cause) {
    throw wrongKey(cause);
  } finally {
    kek.fill(0);
  }
}

/** Fixed-length binary form of a {@link WrappedKey} ({@link WRAPPED_KEY_LENGTH} bytes), as stored in envelopes. */
export function serializeWrappedKey(wrapped: WrappedKey): Uint8Array {
  checkWrappedKeyShape(wrapped);
  return concatBytes(Uint8Array.of(wrapped.version), wrapped.ephemeralPublicKey, wrapped.nonce, wrapped.sealedKey);
}

/**
 * Parses {@link serializeWrappedKey} output. Throws `UNSUPPORTED_VERSION` for a version byte other than 1
 * and `BAD_FORMAT` for a wrong length. Returned fields are copies, not views into `bytes`.
 */
export function parseWrappedKey(bytes: Uint8Array): WrappedKey {
  if (!isBytes(bytes) || bytes.length === 0) throw badFormat("wrapped key is empty or not a Uint8Array");
  if (bytes[0] !== WRAPPED_KEY_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `wrapped key version ${bytes[0]} is not supported (expected 1)`);
  }
  if (bytes.length !== WRAPPED_KEY_LENGTH) {
    throw badFormat(`wrapped key must be ${WRAPPED_KEY_LENGTH} bytes, got ${bytes.length}`);
  }
  return {
    version: WRAPPED_KEY_VERSION,
    ephemeralPublicKey: copyBytes(bytes.subarray(1, 33)),
    nonce: copyBytes(bytes.subarray(33, 33 + NONCE_LENGTH)),
    sealedKey: copyBytes(bytes.subarray(33 + NONCE_LENGTH)),
  };
}

function deriveKek(shared: Uint8Array, ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array, context: Uint8Array): Uint8Array {
  // Both public keys in the salt bind the KEK to this exact exchange (as in HPKE's kem_context); the
  // context in info makes keys for different records or purposes independent.
  const salt = concatBytes(ephemeralPublicKey, recipientPublicKey);
  const kek = hkdf(sha256, shared, salt, concatBytes(KEYWRAP_INFO, context), 32);
  shared.fill(0);
  return kek;
}

function checkWrappedKeyShape(wrapped: WrappedKey): void {
  if (typeof wrapped !== "object" || wrapped === null) throw badFormat("wrapped key must be an object");
  if (wrapped.version !== WRAPPED_KEY_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `wrapped key version ${String(wrapped.version)} is not supported`);
  }
  assertBytes(wrapped.ephemeralPublicKey, X25519_KEY_LENGTH, "wrapped key ephemeralPublicKey");
  assertBytes(wrapped.nonce, NONCE_LENGTH, "wrapped key nonce");
  assertBytes(wrapped.sealedKey, SEALED_KEY_LENGTH, "wrapped key sealedKey");
}

function wrongKey(cause: unknown): CryptoError {
  return new CryptoError("WRONG_KEY", "could not unwrap the data key: it was wrapped for another key or context, or was altered", {
    cause,
  });
}
