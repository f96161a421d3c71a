/**
 * Client-side content verification: a reader recomputes the CID of the bytes a gateway served and refuses them
 * unless it is the CID it asked for, so a gateway (or a peer, or a disk) cannot substitute content. The CID is
 * computed exactly as the gateway's embedded store writes files (`server/services/store/embeddedStore.ts`):
 * UnixFS through `ipfs-unixfs-importer`, CIDv1, raw leaves, a single leaf reduced to itself, fixed 1 MiB leaves,
 * balanced layout with at most 1024 links a node (the @helia/unixfs defaults the store relies on). Isomorphic; in a
 * browser it needs a secure context (https or localhost), because the importer hashes with WebCrypto there.
 */
import { importBytes, type ImporterOptions, type WritableStorage } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { parseCanonicalCid } from "./cid";
import { ContentIdError } from "./errors";

/** Bytes per UnixFS leaf, as the store cuts files. */
export const UNIXFS_LEAF_BYTES = 1_048_576;
/** Most links in one UnixFS node of the balanced layout, as the store builds files. */
export const UNIXFS_MAX_CHILDREN = 1024;

/** The importer settings that make the store's CIDs; any change here or there changes every CID of a large file. */
const IMPORT_SETTINGS: ImporterOptions = {
  cidVersion: 1,
  rawLeaves: true,
  reduceSingleLeafToSelf: true,
  chunker: fixedSize({ chunkSize: UNIXFS_LEAF_BYTES }),
  layout: balanced({ maxChildrenPerNode: UNIXFS_MAX_CHILDREN }),
};

/**
 * Only the root CID is wanted, so blocks are hashed by the importer and then dropped, not kept: memory stays at
 * what the importer itself holds, whatever the size of the file. `put` is all the importer ever calls.
 */
const DISCARD_BLOCKS: WritableStorage = {
  put: (cid) => cid,
};

/**
 * The canonical CID the gateway's store gives a file of exactly these bytes (raw CID for at most one leaf, a
 * dag-pb root above that).
 *
 * @example
 * await cidOfBytes(new TextEncoder().encode("hello")); // "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
 */
export async function cidOfBytes(bytes: Uint8Array): Promise<string> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("cidOfBytes takes a Uint8Array");
  // In a browser the importer hashes with WebCrypto, which exists only in secure contexts; say so, not "undefined".
  if (globalThis.crypto?.subtle === undefined) {
    throw new Error("checking content needs WebCrypto: open the app over https or from localhost");
  }
  const { cid } = await importBytes(bytes, DISCARD_BLOCKS, IMPORT_SETTINGS);
  return cid.toString();
}

/**
 * Checks that `bytes` are the content named by `cid` before anything uses them. Throws `BAD_CID` when `cid` is
 * not canonical and `INTEGRITY` when the bytes are other content (altered, truncated or substituted).
 */
export async function verifyContent(cid: string, bytes: Uint8Array): Promise<void> {
  const expected = parseCanonicalCid(cid).toString();
  const actual = await cidOfBytes(bytes);
  if (actual !== expected) {
    throw new ContentIdError(
      "INTEGRITY",
      `the ${bytes.length} bytes served for ${expected} are other content (they hash to ${actual}); they were discarded`,
    );
  }
}
