import type { CID } from "multiformats/cid";
import type { ContentStore } from "../store/contentStore";
import type { VerifiedBlock } from "../store/cids";

/**
 * Block-level access to an organization's own store: what the exchange serves from and writes fetched blocks into.
 * The embedded store implements it. A NetworkedStore does not, on purpose: the serving side must be handed the local
 * store, so it can never answer a peer with something it would first have to fetch from another peer.
 */
export interface LocalBlocks {
  /** One block, hashed against its CID; StoreError NOT_FOUND when absent, CORRUPT when damaged. */
  getBlock(cid: CID): Promise<Uint8Array>;
  /** Stores a copy of a block held by a peer, verified when it arrived (not hashed again). */
  putBlockCopy(block: VerifiedBlock): Promise<void>;
  /** True when a block is present under `cid` (a read still hashes it). */
  hasBlock(cid: CID): Promise<boolean>;
}

/** A local store the NetworkedStore wraps: files and documents, plus its blocks. */
export type LocalStore = ContentStore & LocalBlocks;
