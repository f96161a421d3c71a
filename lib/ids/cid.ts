/**
 * The one canonical text form of content identifiers, checked at every boundary (upload, announce, fetch, key
 * bundles, contract input): CIDv1, base32 lower-case (`b…`), codec raw (0x55) or dag-pb (0x70), multihash
 * sha2-256 with a 32-byte digest. That is what the store writes and what the chain holds in binary (36 bytes:
 * `0x01 | codec | 0x12 0x20 | digest`). Any other spelling of the same content (CIDv0 `Qm…`, base58btc `z…`,
 * base36 `k…`, base16 `f…`, upper-case `B…`) is refused, naming the canonical spelling, because two spellings of
 * one content let a second owner claim it under a second name. Isomorphic (browser, Node).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { base16, base16upper } from "multiformats/bases/base16";
import {
  base32,
  base32hex,
  base32hexpad,
  base32hexpadupper,
  base32hexupper,
  base32pad,
  base32padupper,
  base32upper,
  base32z,
} from "multiformats/bases/base32";
import { base36, base36upper } from "multiformats/bases/base36";
import { base58btc, base58flickr } from "multiformats/bases/base58";
import { base64, base64pad, base64url, base64urlpad } from "multiformats/bases/base64";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { ContentIdError } from "./errors";

/** Multicodec of a raw block (a document, or a file of at most one leaf). */
export const RAW_CODEC = 0x55;
/** Multicodec of a UnixFS node (the root of a file of more than one leaf). */
export const DAG_PB_CODEC = 0x70;
/** Multihash code of sha2-256, the only hash accepted. */
export const SHA2_256_CODE = 0x12;
/** Bytes of the binary CID the chain stores: version, codec, hash code, digest length, 32-byte digest. */
export const CID_BYTES_LENGTH = 36;
/** Characters of every canonical CID: `b` and 58 base32 digits of its 36 bytes. */
export const CANONICAL_CID_LENGTH = 59;

// Longer input is refused before any decoding: the longest spelling below of a 36-byte CID (base16) is 73 chars.
const MAX_CID_TEXT_LENGTH = 128;
const HEX_CID_PATTERN = /^0x[0-9a-fA-F]{72}$/;
const HEX_DIGEST_PATTERN = /^0x[0-9a-fA-F]{64}$/;

/** The multibases a CID is commonly printed in, so that another spelling can be named rather than called junk. */
const SPELLINGS: ReadonlyMap<string, { name: string; decode(text: string): Uint8Array }> = new Map(
  [
    base32,
    base32upper,
    base32pad,
    base32padupper,
    base32hex,
    base32hexupper,
    base32hexpad,
    base32hexpadupper,
    base32z,
    base36,
    base36upper,
    base58btc,
    base58flickr,
    base16,
    base16upper,
    base64,
    base64pad,
    base64url,
    base64urlpad,
  ].map((base) => [base.prefix as string, base]),
);

/**
 * Parses the canonical text form of a CID; throws `BAD_CID` for anything else. When `text` is another spelling
 * of an acceptable CID the error's message (and its `canonical` field) names the canonical spelling to use.
 *
 * @example
 * parseCanonicalCid("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"); // CID
 * parseCanonicalCid("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"); // BAD_CID: use bafybei… instead
 */
export function parseCanonicalCid(text: string): CID {
  if (typeof text !== "string") throw badCid(`a CID must be a string, not ${typeof text}`);
  if (text.length === 0) throw badCid("the CID is empty");
  if (text.length > MAX_CID_TEXT_LENGTH) {
    throw badCid(`${preview(text)} is ${text.length} characters long; a canonical CID is ${CANONICAL_CID_LENGTH}`);
  }
  const { cid, spelling } = decodeAnySpelling(text);
  checkAcceptable(cid, JSON.stringify(text));
  const canonical = CID.createV1(cid.code, cid.multihash).toString();
  if (text !== canonical) {
    throw new ContentIdError(
      "BAD_CID",
      `${JSON.stringify(text)} is the ${spelling} spelling of ${canonical}: use ${canonical} instead ` +
        "(content identifiers are accepted only as CIDv1 in lower-case base32)",
      { canonical },
    );
  }
  return cid;
}

/** True when `text` is a CID in its canonical form (see {@link parseCanonicalCid}). */
export function isCanonicalCid(text: string): boolean {
  try {
    parseCanonicalCid(text);
    return true;
  } catch {
    return false;
  }
}

/** The 36-byte binary form the chain stores, from canonical text or an acceptable CIDv1 object; `BAD_CID` otherwise. */
export function cidToBytes(cid: CID | string): Uint8Array {
  const parsed = typeof cid === "string" ? parseCanonicalCid(cid) : checkCidObject(cid);
  return Uint8Array.from(parsed.bytes);
}

/**
 * The canonical text of a CID in its 36-byte on-chain form (`RecordIndex`'s `bytes cid`), given as bytes or as
 * `0x` hex (what ethers returns for `bytes`). Throws `BAD_CID` unless it is exactly
 * `0x01 | 0x55 or 0x70 | 0x12 0x20 | 32-byte digest`.
 */
export function cidFromBytes(bytes: Uint8Array | string): string {
  let raw: Uint8Array;
  if (typeof bytes === "string") {
    if (!HEX_CID_PATTERN.test(bytes)) throw badCid(`${preview(bytes)} is not 0x and the 72 hex digits of a 36-byte CID`);
    raw = hexToBytes(bytes.slice(2));
  } else if (bytes instanceof Uint8Array) {
    raw = bytes;
  } else {
    throw badCid("a binary CID must be a Uint8Array or 0x hex");
  }
  if (raw.length !== CID_BYTES_LENGTH) throw badCid(`a binary CID is ${CID_BYTES_LENGTH} bytes, got ${raw.length}`);
  if (raw[0] !== 1 || (raw[1] !== RAW_CODEC && raw[1] !== DAG_PB_CODEC) || raw[2] !== SHA2_256_CODE || raw[3] !== 32) {
    throw badCid(
      `binary CID 0x${bytesToHex(raw.subarray(0, 4))}… is not CIDv1 raw or dag-pb with a sha2-256 digest ` +
        "(expected 0x01, 0x55 or 0x70, 0x12, 0x20)",
    );
  }
  return CID.decode(Uint8Array.from(raw)).toString();
}

/** The 32-byte sha2-256 digest inside a canonical CID, as `0x` hex (what the chain keys records and bundles by). */
export function cidDigestHex(cid: CID | string): string {
  const parsed = typeof cid === "string" ? parseCanonicalCid(cid) : checkCidObject(cid);
  return "0x" + bytesToHex(parsed.multihash.digest);
}

/**
 * The canonical CID of a document (a raw block: key bundle, key directory) from the sha2-256 digest the chain
 * carries for it, `0x` + 64 hex digits; `BAD_CID` otherwise.
 */
export function rawCidFromDigest(digestHex: string): string {
  if (typeof digestHex !== "string" || !HEX_DIGEST_PATTERN.test(digestHex)) {
    throw badCid(`${preview(String(digestHex))} is not a sha2-256 digest (0x and 64 hex digits)`);
  }
  return CID.createV1(RAW_CODEC, Digest.create(SHA2_256_CODE, hexToBytes(digestHex.slice(2)))).toString();
}

/** The canonical CID of a document stored as one raw block: CIDv1, raw, sha2-256 of exactly these bytes. */
export function documentCid(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw badCid("a document must be a Uint8Array");
  return CID.createV1(RAW_CODEC, Digest.create(SHA2_256_CODE, sha256(bytes))).toString();
}

function decodeAnySpelling(text: string): { cid: CID; spelling: string } {
  try {
    // CIDv0 has no multibase prefix: 46 base58btc characters of a sha2-256 multihash, which always start "Qm".
    if (text.startsWith("Qm")) return { cid: CID.parse(text), spelling: "CIDv0" };
    const base = SPELLINGS.get(text[0]);
    if (base === undefined) throw new Error(`no multibase uses the prefix ${JSON.stringify(text[0])}`);
    const cid = CID.decode(base.decode(text));
    return { cid, spelling: cid.version === 0 ? `${base.name} CIDv0` : base.name };
  } catch (cause) {
    throw badCid(`${preview(text)} is not a CID (${(cause as Error).message})`, cause);
  }
}

function checkAcceptable(cid: CID, what: string): void {
  if (cid.code !== RAW_CODEC && cid.code !== DAG_PB_CODEC) {
    throw badCid(`${what} names codec 0x${cid.code.toString(16)}; only raw (0x55) and dag-pb (0x70) content is accepted`);
  }
  if (cid.multihash.code !== SHA2_256_CODE || cid.multihash.digest.length !== 32) {
    throw badCid(
      `${what} uses multihash 0x${cid.multihash.code.toString(16)} with a ${cid.multihash.digest.length}-byte digest; ` +
        "only sha2-256 (0x12, 32 bytes) is accepted",
    );
  }
}

function checkCidObject(value: CID): CID {
  const cid = CID.asCID(value);
  if (cid === null) throw badCid("not a CID object");
  checkAcceptable(cid, cid.toString());
  if (cid.version !== 1) {
    throw badCid(`${cid.toString()} is a CIDv0; use ${cid.toV1().toString()} instead`, undefined, cid.toV1().toString());
  }
  return cid;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function badCid(message: string, cause?: unknown, canonical?: string): ContentIdError {
  return new ContentIdError("BAD_CID", message, { cause, canonical });
}
