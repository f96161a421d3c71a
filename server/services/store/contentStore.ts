/** Progress of a write, in bytes of content accepted so far. */
export type StoreProgress = (bytesStored: number) => void;

/**
 * Content-addressed storage for record ciphertext and small documents (key bundles).
 * Two engines implement it: the embedded UnixFS blockstore on disk, and a Kubo node over its RPC API.
 * Every read verifies that the bytes hash to the requested CID before anything is returned.
 */
export interface ContentStore {
  /** A short name for logs and /readyz ("embedded" or "kubo"). */
  readonly kind: string;
  /** Adds a file (UnixFS, CIDv1, raw leaves) and returns its CID string. */
  put(content: Uint8Array | AsyncIterable<Uint8Array>, onProgress?: StoreProgress): Promise<string>;
  /** Streams a file's bytes; throws StoreError NOT_FOUND when the store does not hold it. */
  get(cid: string): AsyncIterable<Uint8Array>;
  /** True when every block of the file is present and intact. */
  has(cid: string): Promise<boolean>;
  /** The first `length` bytes of a file (fewer if it is shorter), verified like every read; NOT_FOUND when absent. */
  readPrefix(cid: string, length: number): Promise<Uint8Array>;
  /** Stores a small document (≤ 1 MiB) as one raw block; its CID is derivable from the sha2-256 digest alone. */
  putDocument(bytes: Uint8Array): Promise<string>;
  /** Reads a document stored with putDocument. */
  getDocument(cid: string): Promise<Uint8Array>;
  /** Marks content the store holds as kept (NOT_FOUND if it does not); unpinned content may be garbage-collected by engines that collect. */
  pin(cid: string): Promise<void>;
  /** Removes a pin; unpinning what is not pinned is not an error. */
  unpin(cid: string): Promise<void>;
  /** True when `cid` is pinned (directly or as the root of a recursive pin). */
  isPinned(cid: string): Promise<boolean>;
  /**
   * Removes blocks that no pin and none of `keep` (roots of files still wanted, e.g. uploads awaiting announcement)
   * reach, and that were written before `writtenBefore` (unix ms: blocks of uploads in flight are younger). Engines
   * that collect on their own (Kubo) may leave it to the node.
   */
  collectGarbage(keep: readonly string[], writtenBefore: number): Promise<{ blocks: number; bytes: number }>;
  /** Resolves when the engine answers; throws StoreError UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreErrorCode = "NOT_FOUND" | "CORRUPT" | "UNAVAILABLE" | "TOO_LARGE";

/** A storage failure with a stable code (the gateway maps NOT_FOUND and CORRUPT to 404, TOO_LARGE to 413, the rest to 503). */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "StoreError";
  }
}

/**
 * What a file read (UnixFS `cat`) failed with, as a StoreError. The blocks a read goes through report their own
 * failures as StoreErrors (missing, damaged, the engine down), which pass on as they are. Anything else was thrown by
 * the UnixFS reader decoding blocks that were present and hashed right: the CID names them as something they are not
 * (the dag-pb spelling of a raw leaf's digest, a block that is no UnixFS node), so this store does not hold that CID
 * as a file. That is CORRUPT (404, like content not held), never UNAVAILABLE: a 503 says "try again", and no retry
 * changes how the bytes decode. A caller whose read can be aborted checks its signal first (an abort is no decoding).
 */
export function fileReadFailure(err: unknown, cid: string): StoreError {
  if (err instanceof StoreError) return err;
  return new StoreError("CORRUPT", `${cid} is not a UnixFS file this store can read: ${(err as Error).message}`);
}
