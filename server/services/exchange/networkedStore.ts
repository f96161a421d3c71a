import type { CID } from "multiformats/cid";
import type { ContentStore, StoreProgress } from "../store/contentStore";
import { fileReadFailure, StoreError } from "../store/contentStore";
import { parseCid, type VerifiedBlock } from "../store/cids";
import { isCanonicalKind } from "./canonicalCid";
import type { LocalBlocks, LocalStore } from "./localBlocks";
import { PeerBlockClient, type PeerBlockClientOptions } from "./peerBlockClient";

/** Settings of {@link NetworkedStore}: the peers to ask and how long to wait for them. */
export interface NetworkedStoreOptions extends PeerBlockClientOptions {
  /**
   * Longest time one read may spend fetching from peers (default 30 s): a document, or a whole file. Content nobody
   * has answers sooner: NOT_FOUND as soon as every peer said so, UNAVAILABLE once a peer failed or timed out.
   */
  deadlineMs?: number;
  /** Blocks of one file fetched at a time (default 8). */
  blockReadConcurrency?: number;
}

type UnixFsOver = (blockstore: BlockSource) => UnixFsApi;

interface UnixFsApi {
  cat(
    cid: CID,
    options?: { signal?: AbortSignal; blockReadConcurrency?: number; offset?: number; length?: number },
  ): AsyncIterable<Uint8Array>;
}

/** The part of a blockstore the UnixFS exporter reads through. */
interface BlockSource {
  get(cid: CID, options?: { signal?: AbortSignal }): AsyncGenerator<Uint8Array>;
  has(cid: CID): Promise<boolean>;
}

/**
 * At most `limit` block lookups of one read at a time (locally, then from the peers), started in the order they were
 * asked for. The exporter's own bound (`blockReadConcurrency`) does not hold: it-parallel's ordered mode can wake its
 * source with no free slot, which then starts a ninth fetch, and its `ops.length === concurrency` test never holds
 * again. A 50 MiB read had up to 42 blocks of 1 MiB in flight (bench/exchange.ts): they shared the peer's answers, so
 * the block wanted next arrived among the last (about 0.4 s to its first byte rather than 0.08 s), and under load some
 * took longer than the request timeout. In order and a few at a time, each block is hashed and handed on while the
 * next ones are on their way. Lookups still waiting when the read ends (deadline, reader gone) fail at once.
 */
class FetchWindow {
  private running = 0;
  private readonly queued: Array<{ go: () => void; stop: (reason: unknown) => void }> = [];

  constructor(
    private readonly limit: number,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener(
      "abort",
      () => {
        for (const waiting of this.queued.splice(0)) waiting.stop(signal.reason);
      },
      { once: true },
    );
  }

  async run<T>(fetch: () => Promise<T>): Promise<T> {
    this.signal.throwIfAborted();
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((go, stop) => this.queued.push({ go, stop }));
    try {
      return await fetch();
    } finally {
      // The slot passes to the next in line, or is given back.
      const next = this.queued.shift();
      if (next !== undefined) next.go();
      else this.running--;
    }
  }
}

/**
 * The blocks UnixFS reads through, a {@link forRead} view for each read: the local store first, then the peers. A block
 * from a peer is hashed against its CID once, as it arrives (PeerBlockClient), and stored as it is
 * (LocalBlocks.putBlockCopy takes only a VerifiedBlock), so content fetched once stays readable here when the peer is
 * gone; reads from disk hash again.
 *
 * The copy is written while the read goes on rather than before it does: a block's bytes are handed on as soon as
 * they are verified, and kept in memory until their copy is on disk (so a second read in the meantime, such as
 * UnixFS resolving a root and then exporting it, finds them). This keeps the disk write off the latency of a
 * cross-organization read; {@link settled} waits for the copies.
 */
class PeerBackedBlocks {
  /** Verified blocks whose copy is being written, by CID. */
  private readonly copying = new Map<string, Uint8Array>();
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly local: LocalBlocks,
    private readonly peers: PeerBlockClient,
  ) {}

  /** The blocks as one read sees them: at most `concurrency` of its blocks looked up at a time (see FetchWindow). */
  forRead(concurrency: number, signal: AbortSignal): BlockSource {
    const window = new FetchWindow(concurrency, signal);
    // The whole lookup takes its turn, local look included, so the turns go in the order UnixFS asked (file order).
    const block = (cid: CID): Promise<Uint8Array> => window.run(() => this.block(cid, signal));
    return {
      async *get(cid) {
        yield await block(cid);
      },
      has: (cid) => this.has(cid),
    };
  }

  async has(cid: CID): Promise<boolean> {
    return this.copying.has(cid.toString()) || this.local.hasBlock(cid);
  }

  async block(cid: CID, signal?: AbortSignal): Promise<Uint8Array> {
    const key = cid.toString();
    const inMemory = this.copying.get(key);
    if (inMemory !== undefined) return inMemory;
    try {
      return await this.local.getBlock(cid);
    } catch (err) {
      // A copy damaged on disk is replaced by a good one from a peer, like a missing one.
      if (!(err instanceof StoreError) || (err.code !== "NOT_FOUND" && err.code !== "CORRUPT")) throw err;
    }
    if (!isCanonicalKind(cid)) {
      throw new StoreError("NOT_FOUND", `This store does not hold ${cid.toString()}, and peers are asked for canonical CIDs only.`);
    }
    const block = await this.peers.fetch(cid, signal);
    this.keepCopy(key, block);
    return block.bytes;
  }

  /** Resolves when every copy begun so far is written (or has failed, and will be fetched again when next read). */
  async settled(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  private keepCopy(key: string, block: VerifiedBlock): void {
    const { bytes } = block;
    this.copying.set(key, bytes);
    const write = this.local
      .putBlockCopy(block)
      // A copy that cannot be written (disk full) is only a cache miss: the next read asks the peers again.
      .catch(() => undefined)
      .finally(() => {
        if (this.copying.get(key) === bytes) this.copying.delete(key);
        this.writes.delete(write);
      });
    this.writes.add(write);
  }
}

/**
 * An organization's store in a network of organizations: its own embedded store, plus the blocks of other member
 * gateways fetched over the IPFS Trustless Gateway protocol when a read misses locally. Writes, pins and `has` are
 * local only: what this organization holds is what it uploaded or has already fetched.
 */
export class NetworkedStore implements ContentStore {
  readonly kind: string;
  private readonly blocks: PeerBackedBlocks;
  private readonly deadlineMs: number;
  private readonly blockReadConcurrency: number;

  private constructor(
    private readonly local: LocalStore,
    private readonly unixfs: UnixFsOver,
    blocks: PeerBackedBlocks,
    options: NetworkedStoreOptions,
  ) {
    this.kind = `${local.kind}+peers`;
    this.blocks = blocks;
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.blockReadConcurrency = options.blockReadConcurrency ?? 8;
  }

  /** Wraps `local` (the embedded store) with the peers in `options`. */
  static async open(local: LocalStore, options: NetworkedStoreOptions): Promise<NetworkedStore> {
    // ESM-only, loaded with a real dynamic import from this CommonJS build (as embeddedStore.ts does).
    const { unixfs } = await import("@helia/unixfs");
    const blocks = new PeerBackedBlocks(local, new PeerBlockClient(options));
    // One UnixFS per read (a thin wrapper): each reads through its own fetch window.
    const over: UnixFsOver = (blockstore) => unixfs({ blockstore: blockstore as never }) as unknown as UnixFsApi;
    return new NetworkedStore(local, over, blocks, options);
  }

  put(content: Uint8Array | AsyncIterable<Uint8Array>, onProgress?: StoreProgress): Promise<string> {
    return this.local.put(content, onProgress);
  }

  async *get(text: string): AsyncGenerator<Uint8Array> {
    const cid = parseCid(text);
    if (cid === undefined) throw new StoreError("NOT_FOUND", `"${text}" is not a CID.`);
    // Started at the first read, so a caller that never reads never starts the clock.
    const deadline = AbortSignal.timeout(this.deadlineMs);
    // Ended when the read ends however it ends (failed block, reader gone): no fetch outlives it.
    const done = new AbortController();
    try {
      const signal = AbortSignal.any([deadline, done.signal]);
      const fs = this.unixfs(this.blocks.forRead(this.blockReadConcurrency, signal));
      yield* fs.cat(cid, { signal, blockReadConcurrency: this.blockReadConcurrency });
      // Read whole: keep it, so content fetched once stays readable here when its home organization is offline.
      if (!(await this.local.isPinned(text))) await this.pinFetched(text);
    } catch (err) {
      throw this.asStoreError(err, cid, deadline);
    } finally {
      done.abort();
    }
  }

  has(text: string): Promise<boolean> {
    return this.local.has(text);
  }

  async readPrefix(text: string, length: number): Promise<Uint8Array> {
    const cid = parseCid(text);
    if (cid === undefined) throw new StoreError("NOT_FOUND", `"${text}" is not a CID.`);
    const deadline = AbortSignal.timeout(this.deadlineMs);
    const parts: Uint8Array[] = [];
    try {
      const fs = this.unixfs(this.blocks.forRead(this.blockReadConcurrency, deadline));
      for await (const part of fs.cat(cid, { signal: deadline, offset: 0, length, blockReadConcurrency: this.blockReadConcurrency })) {
        parts.push(part);
      }
    } catch (err) {
      throw this.asStoreError(err, cid, deadline);
    }
    return Buffer.concat(parts);
  }

  collectGarbage(keep: readonly string[], writtenBefore: number): Promise<{ blocks: number; bytes: number }> {
    return this.local.collectGarbage(keep, writtenBefore);
  }

  putDocument(bytes: Uint8Array): Promise<string> {
    return this.local.putDocument(bytes);
  }

  async getDocument(text: string): Promise<Uint8Array> {
    const cid = parseCid(text);
    if (cid === undefined) throw new StoreError("NOT_FOUND", `"${text}" is not a CID.`);
    const signal = AbortSignal.timeout(this.deadlineMs);
    try {
      const held = await this.blocks.has(cid);
      const bytes = await this.blocks.block(cid, signal);
      // Fetched from a peer: keep it, as a file read whole is kept (a key or escrow bundle must still open here when
      // its home organization is offline). Only copies are pinned here: a block this store already held keeps
      // whatever its upload decided.
      if (!held) await this.pinFetched(text);
      return bytes;
    } catch (err) {
      throw this.asStoreError(err, cid, signal);
    }
  }

  pin(text: string): Promise<void> {
    return this.local.pin(text);
  }

  /**
   * Pins content just fetched from peers once its copies are written: a fetched copy is otherwise an unpinned block,
   * which the upload sweep collects. A failed pin leaves it a cache entry (the next read asks the peers again).
   */
  private async pinFetched(text: string): Promise<void> {
    await this.blocks.settled();
    await this.local.pin(text).catch(() => undefined);
  }

  unpin(text: string): Promise<void> {
    return this.local.unpin(text);
  }

  isPinned(text: string): Promise<boolean> {
    return this.local.isPinned(text);
  }

  /** The local store's health only: peers being down makes reads of their content fail, not this gateway unready. */
  ping(): Promise<void> {
    return this.local.ping();
  }

  /** Resolves when the blocks fetched so far are all on disk (reads hand them on before their copy is written). */
  settled(): Promise<void> {
    return this.blocks.settled();
  }

  /** Waits for the copies in progress, then closes the local store. */
  async close(): Promise<void> {
    await this.blocks.settled();
    await this.local.close();
  }

  /**
   * Store errors pass through; the UnixFS reader stopping at the deadline is UNAVAILABLE; anything else it throws is
   * blocks (local or verified from a peer) that do not decode as their CID says, which is not a file here: CORRUPT.
   */
  private asStoreError(err: unknown, cid: CID, signal: AbortSignal): StoreError {
    if (err instanceof StoreError) return err;
    if (signal.aborted) {
      return new StoreError("UNAVAILABLE", `Fetching ${cid.toString()} from the peer gateways took longer than ${this.deadlineMs} ms.`);
    }
    return fileReadFailure(err, cid.toString());
  }
}
