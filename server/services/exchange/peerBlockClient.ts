import type { CID } from "multiformats/cid";
import { StoreError } from "../store/contentStore";
import { VerifiedBlock } from "../store/cids";
import type { PeerCredentials } from "./peerCredentials";

/** The media type of a single raw block, as the trustless gateway protocol names it. */
const RAW_BLOCK = "application/vnd.ipld.raw";
/** Largest block accepted from a peer (libp2p's bitswap limit; the embedded store's leaves are 1 MiB). */
export const MAX_PEER_BLOCK_BYTES = 2 * 1024 * 1024;

/** Settings of {@link PeerBlockClient}. */
export interface PeerBlockClientOptions {
  /** Base URLs of the member gateways to ask (each serves `/ipfs/{cid}` below it). */
  peers: readonly string[];
  credentials: PeerCredentials;
  /** Longest wait for one block from one peer, connection included (default 2 s). */
  requestTimeoutMs?: number;
}

/** How one peer answered for one block. */
type Answer =
  { kind: "block"; block: VerifiedBlock } | { kind: "absent" } | { kind: "tampered"; peer: string } | { kind: "failed"; reason: string };

/**
 * Fetches single blocks from member gateways over the IPFS Trustless Gateway protocol (`GET /ipfs/{cid}?format=raw`,
 * `Accept: application/vnd.ipld.raw`). Every peer is asked at once and the first block that hashes to its CID wins;
 * bytes that do not are refused whoever sent them. Never waits longer than the request timeout or the caller's signal.
 */
export class PeerBlockClient {
  private readonly peers: URL[];
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: PeerBlockClientOptions) {
    // A trailing slash so a peer mounted under a path keeps it when `ipfs/{cid}` is resolved against it.
    this.peers = options.peers.map((peer) => new URL(peer.endsWith("/") ? peer : `${peer}/`));
    this.requestTimeoutMs = options.requestTimeoutMs ?? 2_000;
  }

  /** How many peers are configured. */
  get peerCount(): number {
    return this.peers.length;
  }

  /**
   * Block `cid` from the first peer that has it, hashed against its CID: the one verification a block from a peer gets
   * (the store keeps it as it is). StoreError CORRUPT when a peer sent bytes
   * that do not match (and none sent good ones), NOT_FOUND when every peer answered that it does not hold it (or no
   * peer is configured), UNAVAILABLE when a peer could not be reached or did not answer in time.
   */
  async fetch(cid: CID, signal?: AbortSignal): Promise<VerifiedBlock> {
    if (this.peers.length === 0) throw new StoreError("NOT_FOUND", `No store holds ${cid.toString()} (no peer gateways are configured).`);
    const done = new AbortController();
    const stop = signal === undefined ? done.signal : AbortSignal.any([done.signal, signal]);
    const answers = this.peers.map((peer) => this.ask(peer, cid, stop));
    try {
      const winner = await Promise.any(answers.map((answer) => answer.then((a) => (a.kind === "block" ? a.block : Promise.reject(a)))));
      return winner;
    } catch {
      throw failure(cid, await Promise.all(answers));
    } finally {
      // The others are no longer needed: close their connections rather than let them run to their timeout.
      done.abort();
    }
  }

  /** One peer's answer; never rejects. */
  private async ask(peer: URL, cid: CID, stop: AbortSignal): Promise<Answer> {
    const url = new URL(`ipfs/${cid.toString()}?format=raw`, peer);
    try {
      const response = await fetch(url, {
        headers: { accept: RAW_BLOCK, authorization: await this.options.credentials.authorizationFor(peer.href) },
        signal: AbortSignal.any([stop, AbortSignal.timeout(this.requestTimeoutMs)]),
        redirect: "error",
      });
      if (response.status === 404) {
        await response.body?.cancel();
        return { kind: "absent" };
      }
      if (response.status !== 200) {
        return { kind: "failed", reason: `${peer.origin} answered ${response.status}${await errorCode(response)}` };
      }
      const bytes = await boundedBody(response, MAX_PEER_BLOCK_BYTES);
      if (bytes === undefined) return { kind: "tampered", peer: peer.origin };
      // Verified before anything else sees it: a peer is trusted for nothing but having the bytes.
      const block = await VerifiedBlock.of(cid, bytes);
      return block !== undefined ? { kind: "block", block } : { kind: "tampered", peer: peer.origin };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const reason = e.name === "TimeoutError" ? `no answer within ${this.requestTimeoutMs} ms` : (e.cause?.code ?? e.message);
      return { kind: "failed", reason: `${peer.origin}: ${reason}` };
    }
  }
}

/** The StoreError for a block no peer delivered: a lie is named first, then "nobody has it" only if all said so. */
function failure(cid: CID, answers: Answer[]): StoreError {
  const tampered = answers.filter((a) => a.kind === "tampered");
  if (tampered.length > 0) {
    return new StoreError(
      "CORRUPT",
      `Refused block ${cid.toString()} from ${tampered.map((a) => a.peer).join(", ")}: the bytes do not match the CID.`,
    );
  }
  const failed = answers.filter((a) => a.kind === "failed");
  if (failed.length === 0) return new StoreError("NOT_FOUND", `No store holds ${cid.toString()} (asked ${answers.length} peer gateways).`);
  return new StoreError(
    "UNAVAILABLE",
    `Could not fetch ${cid.toString()} from the peer gateways: ${failed.map((a) => a.reason).join("; ")}.`,
  );
}

/** The body, or undefined when it is larger than `limit` (read no further than that). */
async function boundedBody(response: Response, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  const parts: Uint8Array[] = [];
  let length = 0;
  if (response.body === null) return new Uint8Array(0);
  // Node's web streams are async iterable; the DOM lib's typing of ReadableStream does not say so.
  for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
    length += part.byteLength;
    if (length > limit) return undefined;
    parts.push(part);
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, length);
}

/** The project's error code from an error body, for the message (`: FORBIDDEN`), or nothing. */
async function errorCode(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === "string" ? ` ${body.error.code}` : "";
}
