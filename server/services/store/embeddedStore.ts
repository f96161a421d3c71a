import { randomBytes } from "node:crypto";
import { mkdir, open as openFile, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CID } from "multiformats/cid";
import type { ContentStore, StoreProgress } from "./contentStore";
import { fileReadFailure, StoreError } from "./contentStore";
import { blockMatches, documentCid, MAX_DOCUMENT_BYTES, parseCid, type VerifiedBlock } from "./cids";

/** The subset of a blockstore this store uses (interface-blockstore, as implemented by blockstore-fs). */
interface Blocks {
  put(cid: CID, bytes: Uint8Array): Promise<CID>;
  has(cid: CID): Promise<boolean>;
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Where blockstore-fs keeps a block, given its sharding strategy. */
interface BlockPaths {
  encode(cid: CID): { dir: string; file: string };
}

/** dag-pb links of a UnixFS node (the part of @ipld/dag-pb's decoded node this store walks). */
type DecodeDagPb = (bytes: Uint8Array) => { Links: Array<{ Hash: CID }> };

const DAG_PB = 0x70;

/**
 * Wraps the filesystem blockstore so that every block read is hashed and compared with its CID (a block altered on
 * disk reads as missing instead of as data), and every block write is atomic and durable: written to a temporary
 * file, fsync'ed, then renamed into place. blockstore-fs writes in place, so a crash mid-write would leave a torn
 * block under its final name; with this, a crash leaves at most a temporary file, swept at the next open.
 */
class VerifiedBlocks {
  constructor(
    private readonly inner: Blocks,
    private readonly root: string,
    private readonly paths: BlockPaths,
  ) {}

  async put(cid: CID, bytes: Uint8Array): Promise<CID> {
    return this.write(cid, bytes, true);
  }

  /**
   * Without the fsync: for copies of blocks a peer holds (the exchange's cache). A crash may then leave a torn copy,
   * which reads as CORRUPT (every read hashes) and is fetched again.
   */
  async putCopy(cid: CID, bytes: Uint8Array): Promise<CID> {
    return this.write(cid, bytes, false);
  }

  private async write(cid: CID, bytes: Uint8Array, durable: boolean): Promise<CID> {
    const { dir, file } = this.paths.encode(cid);
    const target = path.join(this.root, dir, file);
    await mkdir(path.join(this.root, dir), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`;
    const handle = await openFile(temporary, "wx");
    try {
      await handle.writeFile(bytes);
      if (durable) await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    return cid;
  }

  /** Removes temporary files a crash left behind (never complete blocks: those were renamed into place). */
  async sweepTemporaries(): Promise<number> {
    let swept = 0;
    for (const entry of await readdir(this.root, { recursive: true, withFileTypes: true }).catch(() => [])) {
      if (entry.isFile() && entry.name.endsWith(TEMP_SUFFIX)) {
        await rm(path.join(entry.parentPath, entry.name), { force: true });
        swept++;
      }
    }
    return swept;
  }

  async *get(cid: CID): AsyncGenerator<Uint8Array> {
    yield await this.read(cid);
  }

  async has(cid: CID): Promise<boolean> {
    if (!(await this.inner.has(cid))) return false;
    try {
      await this.read(cid);
      return true;
    } catch {
      return false;
    }
  }

  async read(cid: CID): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await this.readWhole(cid);
    } catch {
      throw new StoreError("NOT_FOUND", `The store does not hold block ${cid.toString()}.`);
    }
    if (!(await blockMatches(cid, bytes))) {
      throw new StoreError("CORRUPT", `Block ${cid.toString()} does not match its hash; it is treated as missing.`);
    }
    return bytes;
  }

  /**
   * A block file's bytes, read into one buffer sized from the file. blockstore-fs streams a file in 64 KiB pieces: a
   * 1 MiB leaf took sixteen reads and a copy to join them, and this way the gateway serving a 50 MiB file to a peer
   * spends about a third less CPU (bench/exchange.ts), a local read about as much less. A file that changes length
   * meanwhile is caught by the hash.
   */
  private async readWhole(cid: CID): Promise<Uint8Array> {
    const { dir, file } = this.paths.encode(cid);
    const handle = await openFile(path.join(this.root, dir, file), "r");
    try {
      const bytes = Buffer.allocUnsafe((await handle.stat()).size);
      let filled = 0;
      while (filled < bytes.byteLength) {
        const { bytesRead } = await handle.read(bytes, filled, bytes.byteLength - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return bytes.subarray(0, filled);
    } finally {
      await handle.close();
    }
  }
}

const TEMP_SUFFIX = ".partial";

interface UnixFsApi {
  addByteStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options?: Record<string, unknown>): Promise<CID>;
  cat(cid: CID, options?: { offset?: number; length?: number }): AsyncIterable<Uint8Array>;
}

/** Leaf size of the importer (@helia/unixfs's default chunker: fixed 1 MiB). */
const LEAF_BYTES = 1_048_576;

/**
 * CIDv1 with raw leaves: every block is addressed by the hash of its own bytes, which is what reads verify.
 * Four leaves written at a time (libuv's default thread pool) rather than the importer's ten: as fast here, and it
 * halves the memory a streamed upload holds (about 22 MiB instead of 52 MiB above baseline for 200 MiB).
 */
export const IMPORT_OPTIONS = { cidVersion: 1, rawLeaves: true, reduceSingleLeafToSelf: true, blockWriteConcurrency: 4 } as const;

/**
 * The embedded engine: UnixFS (`@helia/unixfs`) over a filesystem blockstore (`blockstore-fs`) in the data folder.
 * No daemon and no network. Files are CIDv1 with raw leaves in 1 MiB chunks (the @helia/unixfs defaults), the import
 * options the Kubo engine passes to its node too (see kuboStore.ts).
 */
export class EmbeddedStore implements ContentStore {
  readonly kind = "embedded";

  private constructor(
    private readonly blocks: VerifiedBlocks,
    private readonly raw: Blocks,
    private readonly fs: UnixFsApi,
    private readonly pinsDir: string,
    private readonly blocksDir: string,
    private readonly paths: BlockPaths,
    private readonly decodeDagPb: DecodeDagPb,
  ) {}

  /** Opens (creating if needed) a store under `dir`. */
  static async open(dir: string): Promise<EmbeddedStore> {
    // Both packages are ESM-only and blockstore-fs's `module-sync` export points at a file it does not ship,
    // so they are loaded with a real dynamic import rather than require().
    const { FsBlockstore } = await import("blockstore-fs");
    const { NextToLast } = await import("blockstore-fs/sharding");
    const { unixfs } = await import("@helia/unixfs");
    const blocksDir = path.join(dir, "blocks");
    // The same sharding blockstore-fs uses by default, held here so atomic writes land where it reads.
    const shardingStrategy = new NextToLast();
    const raw = new FsBlockstore(blocksDir, { shardingStrategy }) as unknown as Blocks;
    await raw.open();
    const pinsDir = path.join(dir, "pins");
    await mkdir(pinsDir, { recursive: true });
    const blocks = new VerifiedBlocks(raw, blocksDir, shardingStrategy);
    await blocks.sweepTemporaries();
    const fs = unixfs({ blockstore: blocks as never }) as unknown as UnixFsApi;
    const { decode } = await import("@ipld/dag-pb");
    return new EmbeddedStore(blocks, raw, fs, pinsDir, blocksDir, shardingStrategy, decode as unknown as DecodeDagPb);
  }

  async put(content: Uint8Array | AsyncIterable<Uint8Array>, onProgress?: StoreProgress): Promise<string> {
    if (content instanceof Uint8Array) {
      onProgress?.(content.byteLength);
      return (await this.fs.addByteStream(leafSlices(content), IMPORT_OPTIONS)).toString();
    }
    let stored = 0;
    const counted = async function* (): AsyncGenerator<Uint8Array> {
      for await (const piece of content) {
        stored += piece.byteLength;
        onProgress?.(stored);
        yield piece;
      }
    };
    return (await this.fs.addByteStream(leafSizedCopies(counted()), IMPORT_OPTIONS)).toString();
  }

  async *get(text: string): AsyncGenerator<Uint8Array> {
    const cid = this.requireCid(text);
    if (!(await this.raw.has(cid))) throw new StoreError("NOT_FOUND", `The store does not hold ${text}.`);
    // Blocks are kept by multihash, so a CID of another codec finds the block and fails to decode it (fileReadFailure).
    try {
      yield* this.fs.cat(cid);
    } catch (err) {
      throw fileReadFailure(err, text);
    }
  }

  async has(text: string): Promise<boolean> {
    const cid = parseCid(text);
    if (cid === undefined) return false;
    try {
      // Walking the whole file verifies every block; cheap next to the upload it guards.
      for await (const _ of this.fs.cat(cid)) void _;
      return true;
    } catch {
      return false;
    }
  }

  async readPrefix(text: string, length: number): Promise<Uint8Array> {
    const cid = this.requireCid(text);
    if (!(await this.raw.has(cid))) throw new StoreError("NOT_FOUND", `The store does not hold ${text}.`);
    const parts: Uint8Array[] = [];
    try {
      for await (const part of this.fs.cat(cid, { offset: 0, length })) parts.push(part);
    } catch (err) {
      throw fileReadFailure(err, text);
    }
    return Buffer.concat(parts);
  }

  async collectGarbage(keep: readonly string[], writtenBefore: number): Promise<{ blocks: number; bytes: number }> {
    const pinned = (await readdir(this.pinsDir).catch(() => [] as string[])).filter((name) => parseCid(name) !== undefined);
    const live = new Set<string>();
    for (const root of new Set([...pinned, ...keep])) await this.markReachable(this.requireCid(root), live);
    let blocks = 0;
    let bytes = 0;
    for (const entry of await readdir(this.blocksDir, { recursive: true, withFileTypes: true }).catch(() => [])) {
      if (!entry.isFile() || !entry.name.endsWith(".data") || live.has(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      const info = await stat(file).catch(() => undefined);
      if (info === undefined || info.mtimeMs >= writtenBefore) continue;
      await rm(file, { force: true });
      blocks++;
      bytes += info.size;
    }
    return { blocks, bytes };
  }

  /** Adds the block file names of `cid` and everything it links to (dag-pb) to `live`; missing blocks are skipped. */
  private async markReachable(cid: CID, live: Set<string>): Promise<void> {
    const name = this.paths.encode(cid).file;
    if (live.has(name)) return;
    live.add(name);
    if (cid.code !== DAG_PB) return;
    const bytes = await this.blocks.read(cid).catch(() => undefined);
    if (bytes === undefined) return;
    for (const link of this.decodeDagPb(bytes).Links) await this.markReachable(link.Hash, live);
  }

  async putDocument(bytes: Uint8Array): Promise<string> {
    if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
      throw new StoreError("TOO_LARGE", `A document may be at most ${MAX_DOCUMENT_BYTES} bytes; this one is ${bytes.byteLength}.`);
    }
    const cid = await documentCid(bytes);
    await this.blocks.put(cid, bytes);
    return cid.toString();
  }

  async getDocument(text: string): Promise<Uint8Array> {
    return this.blocks.read(this.requireCid(text));
  }

  /** Reads one block, hashed against its CID (StoreError NOT_FOUND when absent, CORRUPT when damaged). */
  async getBlock(cid: CID): Promise<Uint8Array> {
    return this.blocks.read(cid);
  }

  /**
   * Writes one block fetched from a peer. Not hashed here: a VerifiedBlock was hashed against its CID as it arrived,
   * and every read from disk hashes again, so a copy that does not match (torn by a crash, or its bytes changed in
   * memory since) reads as damaged and is fetched again. Not fsync'ed, for the same reason: it is a copy of content a
   * peer holds.
   */
  async putBlockCopy(block: VerifiedBlock): Promise<void> {
    await this.blocks.putCopy(block.cid, block.bytes);
  }

  /** True when a block is on disk under `cid` (not hashed: reads are). */
  async hasBlock(cid: CID): Promise<boolean> {
    return this.raw.has(cid);
  }

  async pin(text: string): Promise<void> {
    const cid = this.requireCid(text);
    // As a Kubo node does: only what the store holds can be kept.
    if (!(await this.raw.has(cid))) throw new StoreError("NOT_FOUND", `The store does not hold ${text}; store it before pinning it.`);
    await writeFile(path.join(this.pinsDir, cid.toString()), "");
  }

  async unpin(text: string): Promise<void> {
    const cid = this.requireCid(text);
    await rm(path.join(this.pinsDir, cid.toString()), { force: true });
  }

  async isPinned(text: string): Promise<boolean> {
    const cid = this.requireCid(text);
    return readFile(path.join(this.pinsDir, cid.toString())).then(
      () => true,
      () => false,
    );
  }

  async ping(): Promise<void> {
    // The embedded store is in-process: it answers as long as its folder is reachable.
    await mkdir(this.pinsDir, { recursive: true }).catch((err: Error) => {
      throw new StoreError("UNAVAILABLE", `The embedded store folder is not writable: ${err.message}`);
    });
  }

  async close(): Promise<void> {
    await this.raw.close();
  }

  private requireCid(text: string): CID {
    const cid = parseCid(text);
    if (cid === undefined) throw new StoreError("NOT_FOUND", `"${text}" is not a CID.`);
    return cid;
  }
}

/** A whole buffer as leaf-sized views (no copy: the caller handed over the bytes for the duration of the put). */
function* leafSlices(bytes: Uint8Array): Generator<Uint8Array> {
  if (bytes.byteLength === 0) yield bytes;
  for (let offset = 0; offset < bytes.byteLength; offset += LEAF_BYTES) yield bytes.subarray(offset, offset + LEAF_BYTES);
}

/**
 * Re-cuts a stream of pieces of any size (64 KiB + 16 sealed chunks, socket reads) into fresh leaf-sized buffers.
 * The importer is about twice as fast fed whole leaves as fed small pieces it must join, and copying means a source
 * may reuse its buffers once the next piece is asked for. Holds at most one leaf.
 */
async function* leafSizedCopies(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let leaf = new Uint8Array(LEAF_BYTES);
  let filled = 0;
  let yielded = false;
  for await (const piece of source) {
    for (let offset = 0; offset < piece.byteLength;) {
      const take = Math.min(LEAF_BYTES - filled, piece.byteLength - offset);
      leaf.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === LEAF_BYTES) {
        yield leaf;
        yielded = true;
        leaf = new Uint8Array(LEAF_BYTES);
        filled = 0;
      }
    }
  }
  // The last, short leaf; an empty file is one empty piece, as for an empty buffer.
  if (filled > 0 || !yielded) yield leaf.subarray(0, filled);
}
