import http from "node:http";
import https from "node:https";
import type { CID } from "multiformats/cid";
import { StoreError } from "../store/contentStore";
import { VerifiedBlock } from "../store/cids";
import type { PeerCredentials } from "./peerCredentials";

/** The media type of a single raw block, as the trustless gateway protocol names it. */
const RAW_BLOCK = "application/vnd.ipld.raw";
/** Largest block accepted from a peer (libp2p's bitswap limit; the embedded store's leaves are 1 MiB). */
export const MAX_PEER_BLOCK_BYTES = 2 * 1024 * 1024;

/**
 * How long an idle kept-alive connection to a peer is kept: under Node's server default (5 s), so this side usually
 * closes it first rather than reusing one the peer is closing (the agent applies it to idle sockets only).
 */
const IDLE_SOCKET_MS = 4_000;

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
  /**
   * Node's own HTTP client rather than fetch: reading a 1 MiB block through fetch's web streams cost about twice the
   * CPU of reading it from the socket into one buffer (bench/exchange.ts), and that CPU is what bounded a large
   * cross-organization read. Idle kept-alive sockets do not hold the process open (the agent unrefs them).
   */
  private readonly agents: Agents = {
    http: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    https: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };

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
    let asking = this.peers.length;
    const answers = this.peers.map((peer) => this.ask(peer, cid, stop).finally(() => asking--));
    try {
      const winner = await Promise.any(answers.map((answer) => answer.then((a) => (a.kind === "block" ? a.block : Promise.reject(a)))));
      return winner;
    } catch {
      throw failure(cid, await Promise.all(answers));
    } finally {
      // The others are no longer needed: close their connections rather than let them run to their timeout. Only when
      // there are others: an abort costs an exception object and its events, per block (bench/exchange.ts).
      if (asking > 0) done.abort();
    }
  }

  /** One peer's answer; never rejects. */
  private async ask(peer: URL, cid: CID, stop: AbortSignal): Promise<Answer> {
    const url = new URL(`ipfs/${cid.toString()}?format=raw`, peer);
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    try {
      const headers = { accept: RAW_BLOCK, authorization: await this.options.credentials.authorizationFor(peer.href) };
      const { status, body } = await getAnswer(url, headers, this.agents, AbortSignal.any([stop, timeout]), MAX_PEER_BLOCK_BYTES);
      if (status === 404) return { kind: "absent" };
      if (status !== 200) return { kind: "failed", reason: `${peer.origin} answered ${status}${errorCode(body)}` };
      if (body === undefined) return { kind: "tampered", peer: peer.origin };
      // Verified before anything else sees it: a peer is trusted for nothing but having the bytes.
      const block = await VerifiedBlock.of(cid, body);
      return block !== undefined ? { kind: "block", block } : { kind: "tampered", peer: peer.origin };
    } catch (err) {
      const e = err as Error & { code?: string };
      const reason = timeout.aborted ? `no answer within ${this.requestTimeoutMs} ms` : (e.code ?? e.message);
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

/** Keep-alive agents of one client: block requests to a peer reuse its connections. */
interface Agents {
  http: http.Agent;
  https: https.Agent;
}

/** A response: its status and its body, or no body when the body was larger than the limit. */
interface Reply {
  status: number;
  body: Uint8Array | undefined;
}

/**
 * GET `url` and read the whole answer, asking again when a kept-alive connection turns out closed by the peer before
 * it answered (as Node's documentation advises for `reusedSocket`: the peer's idle timeout raced the request). Each
 * such connection is gone after its failure, so this ends with a fresh one at the latest; `signal` bounds it all.
 */
async function getAnswer(url: URL, headers: Record<string, string>, agents: Agents, signal: AbortSignal, limit: number): Promise<Reply> {
  for (;;) {
    try {
      return await get(url, headers, agents, signal, limit);
    } catch (err) {
      if (!(err instanceof StaleConnection)) throw err;
    }
  }
}

/** A request sent on a reused connection that the peer had closed before answering. */
class StaleConnection extends Error {}

/**
 * One GET over node:http(s), body included, ended by `signal`. A 200 body is read into one buffer (allocated once from
 * Content-Length); a larger one than `limit` is cut off and answered as `body: undefined`.
 */
function get(url: URL, headers: Record<string, string>, agents: Agents, signal: AbortSignal, limit: number): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    signal.throwIfAborted();
    const secure = url.protocol === "https:";
    const request = (secure ? https : http).get(url, { headers, agent: secure ? agents.https : agents.http });
    let answered = false;
    const settle = (settled: () => void): void => {
      signal.removeEventListener("abort", abort);
      settled();
    };
    const abort = (): void => {
      request.destroy();
      settle(() => reject(signal.reason));
    };
    signal.addEventListener("abort", abort, { once: true });
    request.on("error", (err: Error & { code?: string }) =>
      settle(() => reject(err.code === "ECONNRESET" && request.reusedSocket && !answered ? new StaleConnection(err.message) : err)),
    );
    request.on("response", (response) => {
      answered = true;
      const status = response.statusCode ?? 0;
      // A block's body, or a short error body (for its code): nothing larger is read.
      const cap = status === 200 ? limit : 4096;
      const declared = Number(response.headers["content-length"] ?? NaN);
      if (declared > cap) {
        response.destroy();
        return settle(() => resolve({ status, body: undefined }));
      }
      const whole = Number.isInteger(declared) ? Buffer.allocUnsafe(declared) : undefined;
      const parts: Buffer[] = [];
      let length = 0;
      response.on("data", (part: Buffer) => {
        if (length + part.byteLength > cap) {
          response.destroy();
          return settle(() => resolve({ status, body: undefined }));
        }
        if (whole !== undefined) part.copy(whole, length);
        else parts.push(part);
        length += part.byteLength;
      });
      response.on("end", () => settle(() => resolve({ status, body: whole ?? Buffer.concat(parts, length) })));
      response.on("error", (err) => settle(() => reject(err)));
      response.on("close", () => {
        if (!response.complete) settle(() => reject(new Error("the connection closed before the whole answer arrived")));
      });
    });
  });
}

/** The project's error code from an error body, for the message (` FORBIDDEN`), or nothing. */
function errorCode(body: Uint8Array | undefined): string {
  try {
    const parsed = JSON.parse(Buffer.from(body ?? []).toString("utf8")) as { error?: { code?: unknown } };
    return typeof parsed?.error?.code === "string" ? ` ${parsed.error.code}` : "";
  } catch {
    return "";
  }
}
