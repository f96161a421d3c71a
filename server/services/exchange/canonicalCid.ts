/**
 * The one place the peer exchange decides whether a CID is in its canonical form (ROUND2 §2: CIDv1, base32,
 * codec raw or dag-pb, sha2-256). Kept to these two functions so the shared `lib/ids/cid.ts` can replace them.
 */
import { bases } from "multiformats/basics";
import type { MultibaseDecoder } from "multiformats/bases/interface";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";

/** The dag-pb codec (UnixFS file roots); not imported from @ipld/dag-pb to keep this check free of a codec. */
const DAG_PB = 0x70;
const SHA256_BYTES = 32;

/** A CID text that is not the canonical spelling of a raw or dag-pb sha2-256 block. */
export class NonCanonicalCidError extends Error {
  readonly code = "BAD_CID";
  constructor(message: string) {
    super(message);
    this.name = "NonCanonicalCidError";
  }
}

/** Every multibase multiformats knows, so a non-canonical spelling is named rather than reported as unreadable. */
const anyBase: MultibaseDecoder<string> = {
  decode(text: string): Uint8Array<ArrayBuffer> {
    const base = Object.values(bases).find((b) => b.prefix === text[0]);
    if (base === undefined) throw new Error(`Unknown multibase prefix "${text[0]}".`);
    return base.decoder.decode(text);
  },
};

/** True when `cid` is a CIDv1 with codec raw or dag-pb and a 32-byte sha2-256 multihash (spelling aside). */
export function isCanonicalKind(cid: CID): boolean {
  return (
    cid.version === 1 &&
    (cid.code === raw.code || cid.code === DAG_PB) &&
    cid.multihash.code === sha256.code &&
    cid.multihash.digest.byteLength === SHA256_BYTES
  );
}

/**
 * Parses `text` as a canonical CID, or throws NonCanonicalCidError saying what is wrong and, when the content has a
 * canonical CID (a v0 or another base of a raw/dag-pb sha2-256 block), naming it.
 */
export function parseCanonicalCid(text: string): CID {
  let cid: CID;
  try {
    cid = text.startsWith("Qm") ? CID.parse(text) : CID.parse(text, anyBase);
  } catch {
    throw new NonCanonicalCidError(`"${text.slice(0, 100)}" is not a CID.`);
  }
  const v1 = cid.version === 0 ? cid.toV1() : cid;
  if (!isCanonicalKind(v1)) {
    throw new NonCanonicalCidError(
      `${text.slice(0, 100)} is not a raw or dag-pb block hashed with sha2-256 (codec 0x${cid.code.toString(16)}, hash 0x${cid.multihash.code.toString(16)}).`,
    );
  }
  const canonical = v1.toString();
  if (text !== canonical) {
    throw new NonCanonicalCidError(`${text.slice(0, 100)} is not the canonical spelling (CIDv1, base32); use ${canonical}.`);
  }
  return cid;
}
