import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, hexToBytes, utf8 } from "./bytes";
import { badFormat } from "./errors";

const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;

/** EIP-55 mixed-case checksum form of an Ethereum address (what wallets display). */
export function checksumAddress(address: string): string {
  return checksumOf(normalizeAddress(address));
}

/**
 * Validates an Ethereum address and returns it `0x`-prefixed lower-case, the one spelling used inside
 * envelopes, contexts and bundles. A mixed-case address must carry a correct EIP-55 checksum, because a
 * wrong one almost always means a typo; all-lower and all-upper spellings carry no checksum and pass.
 */
export function normalizeAddress(address: string): string {
  if (typeof address !== "string" || !ADDRESS_PATTERN.test(address)) {
    throw badFormat(`not an Ethereum address: ${JSON.stringify(address)} (expected 0x + 40 hex digits)`);
  }
  const body = address.slice(2);
  const lower = "0x" + body.toLowerCase();
  const mixedCase = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixedCase && checksumOf(lower) !== address) {
    throw badFormat(`address ${address} has a wrong EIP-55 checksum; check it for typos`);
  }
  return lower;
}

/** The 20 bytes of an Ethereum address. */
export function addressToBytes(address: string): Uint8Array {
  return hexToBytes(normalizeAddress(address));
}

/** Lower-case `0x` address from its 20 bytes. */
export function bytesToAddress(bytes: Uint8Array): string {
  if (bytes.length !== 20) throw badFormat(`an address is 20 bytes, got ${bytes.length}`);
  return bytesToHex(bytes);
}

// Separate from checksumAddress so normalizeAddress can compute a checksum without recursing into itself.
function checksumOf(lowerWithPrefix: string): string {
  const lower = lowerWithPrefix.slice(2);
  const hash = keccak_256(utf8(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}
