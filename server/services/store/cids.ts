import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";

/** Largest document kept as a single raw block; IPFS peers refuse blocks much over 1 MiB. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** Parses a CID string, or returns undefined when it is not one. */
export function parseCid(text: string): CID | undefined {
  try {
    return CID.parse(text);
  } catch {
    return undefined;
  }
}

/** The CIDv1 (raw codec, sha2-256) of a document; key bundles on-chain carry only its 32-byte digest. */
export async function documentCid(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes));
}

/** The bytes32 digest of a sha2-256 CID, as 0x-hex, for the chain. */
export function cidDigestHex(cid: CID): string {
  return "0x" + Buffer.from(cid.multihash.digest).toString("hex");
}

/**
 * A block whose bytes were hashed against its CID, made only by {@link VerifiedBlock.of}. The exchange verifies each
 * block a peer sends once, as it arrives (peerBlockClient.ts), and hands this on: the store keeps it without hashing
 * it again, and the type keeps unverified bytes from being kept as a copy.
 */
export class VerifiedBlock {
  private constructor(
    readonly cid: CID,
    readonly bytes: Uint8Array,
  ) {}

  /** The block, or undefined when `bytes` do not hash to `cid`. */
  static async of(cid: CID, bytes: Uint8Array): Promise<VerifiedBlock | undefined> {
    return (await blockMatches(cid, bytes)) ? new VerifiedBlock(cid, bytes) : undefined;
  }
}

/** True when `bytes` hash to the multihash inside `cid` (only sha2-256 is accepted). */
export async function blockMatches(cid: CID, bytes: Uint8Array): Promise<boolean> {
  if (cid.multihash.code !== sha256.code) return false;
  const actual = await sha256.digest(bytes);
  return Buffer.from(actual.digest).equals(Buffer.from(cid.multihash.digest));
}
