/**
 * The remote engine: a Kubo node (or an IPFS Cluster proxy) reached over the Kubo RPC API with `kubo-rpc-client`.
 *
 * Keep the node private. The gateway is meant to be the only way to the ciphertext, and it releases a record only
 * under a live grant and after logging the disclosure; a node that announces its blocks or serves them to peers
 * would let anyone holding a CID (CIDs are on-chain, in RecordAdded events) fetch the ciphertext around the log.
 * So run the node with no public routing and no public swarm, for example:
 *
 * ```
 * ipfs init --profile server                          # no LAN discovery (mDNS), no NAT port mapping
 * ipfs config Routing.Type none                       # no DHT at all: nothing is announced, nothing is looked up
 * ipfs bootstrap rm --all                             # no public peers to join
 * ipfs config --json Addresses.Swarm '[]'             # accept no peers (an IPFS Cluster: a private swarm key and its own peers only)
 * ipfs config --json Addresses.Announce '[]'
 * ipfs config --json Addresses.Gateway '[]'           # no HTTP gateway beside ours
 * ipfs config Addresses.API /ip4/127.0.0.1/tcp/5001   # the RPC API is admin access: loopback or a private network only
 * ```
 *
 * Every read asks the node with `offline=true`, so a block it does not hold is an immediate NOT_FOUND rather than
 * a network search that would also reveal which CIDs the gateway is interested in.
 */
import type { HTTPRPCOptions, KuboRPCClient, PinAddOptions } from "kubo-rpc-client";
import type { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import type { ContentStore, StoreProgress } from "./contentStore";
import { fileReadFailure, StoreError } from "./contentStore";
import { blockMatches, documentCid, MAX_DOCUMENT_BYTES, parseCid } from "./cids";

/** Tuning of {@link KuboStore.open}. */
export interface KuboStoreOptions {
  /** Longest wait for one block read, stat or pin before the node counts as unavailable (default 30 s). */
  requestTimeoutMs?: number;
  /** Longest wait for {@link KuboStore.ping} (default 3 s). */
  pingTimeoutMs?: number;
}

/** RPC options plus Kubo's global `offline` flag, which the client passes through as a query parameter. */
type OfflineOptions = HTTPRPCOptions & { offline?: boolean };

interface UnixFsApi {
  cat(cid: CID, options?: { signal?: AbortSignal; offset?: number; length?: number }): AsyncIterable<Uint8Array>;
}

/**
 * The embedded engine's import settings (@helia/unixfs defaults: CIDv1, raw leaves, sha2-256, 1 MiB chunks), passed
 * explicitly so the node's own Import.* configuration cannot change them. The two engines should then agree on the CID
 * of a file of up to 174 chunks (not checked against a live node here); past that Kubo's default of 174 links per DAG
 * node (the embedded importer uses 1024) shapes the tree differently. Harmless either way: a CID is only read back from
 * the engine that stored it. Not pinned on add: the gateway pins as a separate step, as with the embedded engine.
 */
const ADD_OPTIONS = { cidVersion: 1, rawLeaves: true, hashAlg: "sha2-256", chunker: "size-1048576", pin: false } as const;

/** What Kubo says when a block is not in its repo (with offline=true) or a path does not resolve. */
const NOT_HELD = /not found|could not find|no link named|not pinned/i;

/**
 * A Kubo node as a {@link ContentStore}. Writes go through the node's own importer (`add`, `block/put`); reads never
 * trust the node: files are walked block by block (`block/get`) with `@helia/unixfs` and every block is hashed and
 * compared with its CID before any of its bytes are used, so a faulty or hostile node can make a read fail but
 * cannot make it return wrong bytes.
 */
export class KuboStore implements ContentStore {
  readonly kind = "kubo";

  private constructor(
    /** The RPC API URL, for messages. */
    readonly url: string,
    private readonly kubo: KuboRPCClient,
    private readonly blocks: VerifiedKuboBlocks,
    private readonly fs: UnixFsApi,
    private readonly timeouts: Required<KuboStoreOptions>,
  ) {}

  /**
   * Connects to the Kubo RPC API at `url` (e.g. `http://127.0.0.1:5001`). Nothing is sent yet: a node that is down
   * at start makes {@link ping} (and so /readyz) fail, and every operation answer StoreError UNAVAILABLE, until it is up.
   */
  static async open(url: string, options: KuboStoreOptions = {}): Promise<KuboStore> {
    // ESM-only packages, loaded with a real dynamic import from this CommonJS build.
    const { create } = await import("kubo-rpc-client");
    const { unixfs } = await import("@helia/unixfs");
    const kubo = create({ url });
    const timeouts = { requestTimeoutMs: options.requestTimeoutMs ?? 30_000, pingTimeoutMs: options.pingTimeoutMs ?? 3_000 };
    const blocks = new VerifiedKuboBlocks(kubo, url, timeouts.requestTimeoutMs);
    const fs = unixfs({ blockstore: blocks as never }) as unknown as UnixFsApi;
    return new KuboStore(url, kubo, blocks, fs, timeouts);
  }

  async put(content: Uint8Array | AsyncIterable<Uint8Array>, onProgress?: StoreProgress): Promise<string> {
    // Progress counts bytes handed to the node's request body (pulled with backpressure, so close to what it took in).
    // A failing source is remembered: the client swallows its error and only reports an aborted request.
    let sent = 0;
    let sourceError: unknown;
    const counted = async function* (): AsyncGenerator<Uint8Array> {
      try {
        const source = content instanceof Uint8Array ? [content] : content;
        for await (const piece of source) {
          sent += piece.byteLength;
          onProgress?.(sent);
          yield piece;
        }
      } catch (err) {
        sourceError = err;
        throw err;
      }
    };
    let added;
    try {
      added = await this.kubo.add({ content: counted() }, ADD_OPTIONS);
    } catch (err) {
      if (sourceError !== undefined) throw sourceError;
      throw kuboFailure(err, "adding a file", this.url);
    }
    if (sourceError !== undefined) throw sourceError;
    const cid = added.cid;
    if (cid.version !== 1 || cid.multihash.code !== sha256.code) {
      throw new StoreError(
        "CORRUPT",
        `The Kubo node returned ${cid.toString()}, not a CIDv1 with sha2-256; check it honours cid-version and hash.`,
      );
    }
    return cid.toString();
  }

  async *get(text: string): AsyncGenerator<Uint8Array> {
    const cid = requireCid(text);
    try {
      yield* this.fs.cat(cid);
    } catch (err) {
      // The blocks verified but do not form a UnixFS file (a document CID, a directory, another codec).
      throw fileReadFailure(err, text);
    }
  }

  /**
   * Walks the whole file, verifying every block, as the embedded engine does: Kubo does not re-hash blocks on read
   * unless configured to (Datastore.HashOnRead), so presence of the root alone would not mean "intact".
   * Returns false for content the node does not hold or that fails to verify; throws UNAVAILABLE when the node is down.
   */
  async has(text: string): Promise<boolean> {
    if (parseCid(text) === undefined) return false;
    try {
      for await (const _ of this.get(text)) void _;
      return true;
    } catch (err) {
      if (err instanceof StoreError && err.code === "UNAVAILABLE") throw err;
      return false;
    }
  }

  async readPrefix(text: string, length: number): Promise<Uint8Array> {
    const cid = requireCid(text);
    return this.request(`reading the start of ${text}`, async (signal) => {
      const parts: Uint8Array[] = [];
      try {
        for await (const part of this.fs.cat(cid, { signal, offset: 0, length })) parts.push(part);
      } catch (err) {
        // As in get: blocks that do not decode are not a file here (404), which the request's catch-all would call
        // the node unreachable (503). A read stopped by the deadline is left to it.
        if (signal.aborted) throw err;
        throw fileReadFailure(err, text);
      }
      return Buffer.concat(parts);
    });
  }

  /**
   * Kubo collects unpinned blocks itself (`ipfs repo gc`, or `--enable-gc` with `Datastore.GCPeriod`): uploads that
   * were never announced were never pinned, so the node's own collection removes them. Run the node's GC with a
   * period longer than UPLOAD_TTL_SECONDS so an upload is not collected before it can be announced.
   */
  async collectGarbage(): Promise<{ blocks: number; bytes: number }> {
    return { blocks: 0, bytes: 0 };
  }

  async putDocument(bytes: Uint8Array): Promise<string> {
    if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
      throw new StoreError("TOO_LARGE", `A document may be at most ${MAX_DOCUMENT_BYTES} bytes; this one is ${bytes.byteLength}.`);
    }
    const expected = await documentCid(bytes);
    const stored = await this.request("storing a document", (signal) =>
      this.kubo.block.put(bytes, { format: "raw", mhtype: "sha2-256", pin: false, signal, timeout: this.timeouts.requestTimeoutMs }),
    );
    if (stored.toString() !== expected.toString()) {
      throw new StoreError(
        "CORRUPT",
        `The Kubo node stored the document as ${stored.toString()}, not as ${expected.toString()} (raw, sha2-256).`,
      );
    }
    return expected.toString();
  }

  async getDocument(text: string): Promise<Uint8Array> {
    return this.blocks.read(requireCid(text));
  }

  async pin(text: string): Promise<void> {
    const cid = requireCid(text);
    // Offline: pinning something the node does not hold fails at once instead of searching the network for it.
    const options: PinAddOptions & OfflineOptions = { recursive: true, offline: true, timeout: this.timeouts.requestTimeoutMs };
    await this.request(`pinning ${text}`, (signal) => this.kubo.pin.add(cid, { ...options, signal }));
  }

  async unpin(text: string): Promise<void> {
    const cid = requireCid(text);
    try {
      await this.request(`unpinning ${text}`, (signal) =>
        this.kubo.pin.rm(cid, { recursive: true, signal, timeout: this.timeouts.requestTimeoutMs }),
      );
    } catch (err) {
      // "not pinned or pinned indirectly": already in the state asked for.
      if (err instanceof StoreError && err.code === "NOT_FOUND") return;
      throw err;
    }
  }

  async isPinned(text: string): Promise<boolean> {
    const cid = requireCid(text);
    try {
      return await this.request(`reading the pin of ${text}`, async (signal) => {
        for await (const pin of this.kubo.pin.ls({ paths: cid, signal, timeout: this.timeouts.requestTimeoutMs })) {
          // "indirect through <root>" means only that some other pinned DAG contains it.
          if (pin.cid.equals(cid) && (pin.type === "recursive" || pin.type === "direct")) return true;
        }
        return false;
      });
    } catch (err) {
      if (err instanceof StoreError && err.code === "NOT_FOUND") return false;
      throw err;
    }
  }

  async ping(): Promise<void> {
    try {
      await this.kubo.id({ signal: AbortSignal.timeout(this.timeouts.pingTimeoutMs) });
    } catch (err) {
      // Whatever the reason (down, refused, a proxy's 403), a node that cannot say who it is is not usable.
      const failure = kuboFailure(err, "ping", this.url);
      throw new StoreError("UNAVAILABLE", failure.message);
    }
  }

  async close(): Promise<void> {
    // Nothing to release: requests go through fetch's shared connection pool, whose idle sockets do not hold the process.
  }

  private request<T>(what: string, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return kuboRequest(this.url, this.timeouts.requestTimeoutMs, what, op);
  }
}

/**
 * The node's blocks as the blockstore `@helia/unixfs` reads files from: each block is fetched with `block/get`
 * (offline) and hashed against its CID before the exporter sees it. Read-only: writes go through `add`.
 */
class VerifiedKuboBlocks {
  constructor(
    private readonly kubo: KuboRPCClient,
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async *get(cid: CID, options?: { signal?: AbortSignal }): AsyncGenerator<Uint8Array> {
    yield await this.read(cid, options?.signal);
  }

  async has(cid: CID): Promise<boolean> {
    try {
      await this.read(cid);
      return true;
    } catch (err) {
      if (err instanceof StoreError && err.code === "UNAVAILABLE") throw err;
      return false;
    }
  }

  async put(): Promise<never> {
    throw new Error("The Kubo store writes through the node's importer, never block by block from @helia/unixfs.");
  }

  async read(cid: CID, outer?: AbortSignal): Promise<Uint8Array> {
    const bytes = await kuboRequest(
      this.url,
      this.timeoutMs,
      `reading block ${cid.toString()}`,
      (signal) => this.kubo.block.get(cid, offline({ signal, timeout: this.timeoutMs })),
      outer,
    );
    if (!(await blockMatches(cid, bytes))) {
      throw new StoreError("CORRUPT", `Block ${cid.toString()} from the Kubo node does not match its hash; it is treated as missing.`);
    }
    return bytes;
  }
}

/** Runs one RPC call with a deadline (and the caller's signal), turning every failure into a StoreError. */
async function kuboRequest<T>(
  url: string,
  timeoutMs: number,
  what: string,
  op: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  // The client's own `timeout` option only reaches the node as a server-side deadline; this one bounds the socket too.
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = outer === undefined ? deadline : AbortSignal.any([deadline, outer]);
  try {
    return await op(signal);
  } catch (err) {
    throw kuboFailure(err, what, url);
  }
}

/**
 * Classifies a failed RPC call: the node answered that it does not hold the content → NOT_FOUND; anything else
 * (connection refused or reset, timeout, an error status) → UNAVAILABLE, which the gateway answers with 503.
 */
function kuboFailure(err: unknown, what: string, url: string): StoreError {
  if (err instanceof StoreError) return err;
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const message = e?.message ?? String(err);
  if (e?.name === "HTTPError") {
    if (NOT_HELD.test(message)) return new StoreError("NOT_FOUND", `The Kubo node does not hold what ${what} needs: ${message}`);
    return new StoreError("UNAVAILABLE", `The Kubo node at ${url} failed ${what}: ${message}`);
  }
  if (e?.name === "TimeoutError" || e?.name === "AbortError") {
    return new StoreError("UNAVAILABLE", `The Kubo node at ${url} did not finish ${what} in time.`);
  }
  const cause = e?.cause?.code ?? e?.cause?.message;
  return new StoreError("UNAVAILABLE", `The Kubo node at ${url} is not reachable (${what}): ${message}${cause ? ` (${cause})` : ""}.`);
}

function offline(options: HTTPRPCOptions): OfflineOptions {
  return { ...options, offline: true };
}

function requireCid(text: string): CID {
  const cid = parseCid(text);
  if (cid === undefined) throw new StoreError("NOT_FOUND", `"${text}" is not a CID.`);
  return cid;
}
