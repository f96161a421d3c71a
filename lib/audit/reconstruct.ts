import type { ContractName, Deployment } from "../deployment/deployment";
import { AuditError } from "./errors";
import { createEventDecoder, type EventDecoder, type LedgerEvent, type RawLog } from "./events";
import type { RpcCall } from "./rpc";

export * from "./events";
export * from "./filters";
export * from "./consents";

/**
 * The one thing the scanner needs from a chain connection: raw JSON-RPC. ethers' `JsonRpcProvider` and
 * `BrowserProvider`, Hardhat's `network.provider` and any EIP-1193 wrapper with `send` fit.
 */
export interface RpcSender {
  send(method: string, params: unknown[]): Promise<unknown>;
  /** Optional JSON-RPC batching (see `httpRpc`): block timestamps of a page then cost one round trip. */
  batch?(calls: readonly RpcCall[]): Promise<Array<{ result?: unknown; error?: Error }>>;
}

/** Progress of a scan, reported after every page. */
export interface ScanProgress {
  fromBlock: number;
  toBlock: number;
  /** Last block fully scanned. */
  scannedThrough: number;
  /** Events decoded so far. */
  events: number;
}

/** Options of {@link scanEvents}. */
export interface ScanOptions {
  /** First block to scan (default: the earliest deploy block in the deployment). Pass a page's `nextBlock` to resume. */
  fromBlock?: number;
  /** Last block to scan, inclusive (default: the head when the scan starts). */
  toBlock?: number;
  /** Blocks per `eth_getLogs` call (default 5000); halved automatically when a node refuses a range as too large. */
  pageSize?: number;
  /** Called after each page. */
  onProgress?: (progress: ScanProgress) => void;
  /** Block timestamps already known, shared between scans (e.g. by a monitor that polls). */
  blockTimes?: BlockTimes;
  /** Only these contracts' events (default: all four), e.g. the registry alone for provider names. */
  contracts?: readonly ContractName[];
  /**
   * Also read each page's last block header from the node (never from the cache), before the page's logs, and return
   * it as the page's `end`: a cursor that stores it can tell later whether that block was reorganised away.
   */
  pageEnds?: boolean;
}

/** A block's hash and time, as the node answered them. */
export interface BlockHeader {
  number: number;
  hash: string;
  /** Unix seconds. */
  timestamp: number;
}

/** One page of a scan: the events of blocks `fromBlock..toBlock`, in chain order. */
export interface ScanPage {
  fromBlock: number;
  toBlock: number;
  events: LedgerEvent[];
  /** Where to resume: pass as `fromBlock` to continue after this page. */
  nextBlock: number;
  /** The header of `toBlock`, read before the page's logs (only with `pageEnds`). */
  end?: BlockHeader;
}

const DEFAULT_PAGE_SIZE = 5000;
/** Messages and codes nodes use when a `eth_getLogs` range or result is too big (Geth, Besu, Alchemy, Infura, …). */
const TOO_BIG = /too many|too large|limit|exceed|range|more than|response size|10000|timeout/i;

/**
 * Scans every event of the deployment's four contracts over a block range, page by page (`eth_getLogs` over
 * block ranges; the next page's logs and block times are read while the caller handles the current one), and yields
 * them decoded with their block timestamps. Resumable: each page carries `nextBlock`.
 *
 * @example
 * for await (const page of scanEvents(provider, deployment, { onProgress: (p) => console.error(p) })) {
 *   for (const event of page.events) if (event.kind === "grant") console.log(event.patient, event.grantee);
 *   saveCursor(page.nextBlock);
 * }
 */
export async function* scanEvents(provider: RpcSender, deployment: Deployment, options: ScanOptions = {}): AsyncGenerator<ScanPage> {
  const decoder = decoderFor(deployment, options.contracts);
  const blockTimes = options.blockTimes ?? new BlockTimes(provider);
  const first = options.fromBlock ?? Math.min(...Object.values(deployment.contracts).map((c) => c.blockNumber));
  const last = options.toBlock ?? (await headBlock(provider));
  let pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
  let total = 0;
  if (first > last) return;

  // The end header is read before the logs: should the chain reorganise between the two reads, the cursor then holds
  // the old chain's hash and its next check finds the reorg. Read after, it could hold the new chain's hash over the
  // old chain's logs, and events the new chain has in that range, after the last old one, would never be read.
  const endOf = async (to: number): Promise<BlockHeader | undefined> =>
    options.pageEnds === true ? (await blockTimes.withHeaders([], [to])).headers.get(to) : undefined;
  const fetchPage = async (
    from: number,
    knownEnd?: BlockHeader,
  ): Promise<{ from: number; to: number; logs: RawLog[]; end?: BlockHeader }> => {
    for (;;) {
      const to = Math.min(last, from + pageSize - 1);
      const end = knownEnd?.number === to ? knownEnd : await endOf(to);
      try {
        return { from, to, end, logs: await getLogs(provider, decoder, from, to) };
      } catch (err) {
        if (to > from && TOO_BIG.test(errorText(err))) {
          pageSize = Math.max(1, Math.floor((to - from + 1) / 2));
          continue;
        }
        throw new AuditError("CHAIN_UNAVAILABLE", `eth_getLogs for blocks ${from}..${to} failed: ${errorText(err)}`, { cause: err });
      }
    }
  };
  type Read = { from: number; to: number; events: LedgerEvent[]; end?: BlockHeader };
  // A page is read whole ahead of the caller (its end header, its logs, then its block times, then decoded), so the
  // node serves the next page while the caller works on this one (a cursor writing it to disk, an export writing
  // rows). One page ahead, no more: memory stays at two pages, and pages still reach the caller in order.
  const prefetch = (from: number, knownEnd?: BlockHeader): Promise<Read> => {
    const promise = fetchPage(from, knownEnd).then(async (page) => ({
      from: page.from,
      to: page.to,
      end: page.end,
      events: await decodeLogs(decoder, page.logs, blockTimes),
    }));
    promise.catch(() => undefined); // surfaced when awaited; never an unhandled rejection if the caller stops early
    return promise;
  };

  let pending: Promise<Read> | undefined = prefetch(first);
  while (pending !== undefined) {
    const page: Read = await pending;
    pending = undefined;
    if (page.to < last) {
      // The next page's logs must be on their way before the caller gets this page: a caller that works on it
      // synchronously (the index's SQLite commit) blocks the event loop, and a request still waiting for a turn (or
      // for the answer to its end header, read first) would wait for the caller, the node idle meanwhile (measured:
      // the whole request's time added per page). So the next end header is read here (a failure is left for the next
      // page to meet), and fetch(), which sends only when the event loop turns, gets that turn.
      const from = page.to + 1;
      const nextEnd = await endOf(Math.min(last, from + pageSize - 1)).catch(() => undefined);
      pending = prefetch(from, nextEnd);
      await nextTurn();
    }
    total += page.events.length;
    options.onProgress?.({ fromBlock: first, toBlock: last, scannedThrough: page.to, events: total });
    yield { fromBlock: page.from, toBlock: page.to, events: page.events, nextBlock: page.to + 1, end: page.end };
  }
}

/**
 * Decoders built once per deployment object and contract set: building one parses the four ABIs (about 45 ms here),
 * which a cursor that syncs every few hundred milliseconds would otherwise pay on every sync. A decoder holds no state
 * of a scan, so scans share it.
 */
const decoders = new WeakMap<Deployment, Map<string, EventDecoder>>();

function decoderFor(deployment: Deployment, contracts?: readonly ContractName[]): EventDecoder {
  let byContracts = decoders.get(deployment);
  if (byContracts === undefined) decoders.set(deployment, (byContracts = new Map()));
  const key = contracts === undefined ? "*" : contracts.join(",");
  let decoder = byContracts.get(key);
  if (decoder === undefined) byContracts.set(key, (decoder = createEventDecoder(deployment, contracts)));
  return decoder;
}

/** Every event of a range in one array (for small ranges and tests; large exports should iterate {@link scanEvents}). */
export async function collectEvents(
  provider: RpcSender,
  deployment: Deployment,
  options: ScanOptions = {},
): Promise<{ events: LedgerEvent[]; toBlock: number }> {
  const toBlock = options.toBlock ?? (await headBlock(provider));
  const events: LedgerEvent[] = [];
  for await (const page of scanEvents(provider, deployment, { ...options, toBlock })) {
    for (const event of page.events) events.push(event);
  }
  return { events, toBlock };
}

/** Just the events, one by one, across pages. */
export async function* streamEvents(provider: RpcSender, deployment: Deployment, options: ScanOptions = {}): AsyncGenerator<LedgerEvent> {
  for await (const page of scanEvents(provider, deployment, options)) yield* page.events;
}

/**
 * The first block whose timestamp is at or after `time` (binary search over block headers, about log2(range)
 * calls), or `hi + 1` when every block in range is earlier. Lets a date-bounded export skip older blocks.
 */
export async function firstBlockAtOrAfter(
  provider: RpcSender,
  time: number,
  lo: number,
  hi: number,
  blockTimes = new BlockTimes(provider),
): Promise<number> {
  let low = lo;
  let high = hi + 1;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if ((await blockTimes.of(mid)) < time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The chain's current head block number. */
export async function headBlock(provider: RpcSender): Promise<number> {
  try {
    return Number(await provider.send("eth_blockNumber", []));
  } catch (err) {
    throw new AuditError("CHAIN_UNAVAILABLE", `The chain did not answer eth_blockNumber: ${errorText(err)}`, { cause: err });
  }
}

/**
 * Headers read per JSON-RPC batch. Larger batches saved nothing measurable on Hardhat (the node's per-header work
 * dominates), and Erigon refuses batches of more than 100 calls by default.
 */
const HEADER_BATCH = 100;

/**
 * Block timestamps, fetched once per block and cached (bounded: the cache is dropped past `maxEntries`).
 * A page's missing blocks are fetched in parallel; JSON-RPC batching providers turn that into one round trip.
 */
export class BlockTimes {
  private readonly cache = new Map<number, number>();

  constructor(
    private readonly provider: RpcSender,
    private readonly maxEntries = 100_000,
  ) {}

  /** Records a timestamp learned elsewhere (e.g. from a log's `blockTimestamp`). */
  remember(block: number, timestamp: number): void {
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(block, timestamp);
  }

  /** The cached timestamp of a block, if known. */
  peek(block: number): number | undefined {
    return this.cache.get(block);
  }

  /** The timestamp of one block (unix seconds). */
  async of(block: number): Promise<number> {
    return (await this.ofMany([block])).get(block)!;
  }

  /** Timestamps of many blocks. */
  async ofMany(blocks: Iterable<number>): Promise<Map<number, number>> {
    return (await this.withHeaders(blocks, [])).times;
  }

  /**
   * Timestamps of `blocks` (from the cache where known) and the headers of `fresh` read from the node now (never from
   * the cache: a scan's page end, whose hash a cursor keeps), all the reads in the same batches.
   */
  async withHeaders(
    blocks: Iterable<number>,
    fresh: Iterable<number>,
  ): Promise<{ times: Map<number, number>; headers: Map<number, BlockHeader> }> {
    const times = new Map<number, number>();
    const headers = new Map<number, BlockHeader>();
    const wanted = new Set(fresh);
    const read = new Set(wanted);
    for (const b of blocks) {
      const t = this.cache.get(b);
      if (t === undefined) read.add(b);
      else times.set(b, t);
    }
    const missing = [...read];
    for (let i = 0; i < missing.length; i += HEADER_BATCH) {
      const chunk = missing.slice(i, i + HEADER_BATCH);
      const blocksRead = await this.fetchBlocks(chunk);
      chunk.forEach((b, j) => {
        const block = blocksRead[j] as { hash?: string; timestamp?: string } | null;
        if (block === null || block.timestamp === undefined || (wanted.has(b) && typeof block.hash !== "string"))
          throw new AuditError("CHAIN_UNAVAILABLE", `Block ${b} is unknown to the node (pruned or reorganised?).`);
        const t = Number(block.timestamp);
        this.remember(b, t);
        times.set(b, t);
        if (wanted.has(b)) headers.set(b, { number: b, hash: block.hash!, timestamp: t });
      });
    }
    return { times, headers };
  }

  /** Headers of some blocks: one JSON-RPC batch when the connection can, parallel calls otherwise. */
  private async fetchBlocks(blocks: number[]): Promise<unknown[]> {
    const fail = (b: number, err: unknown): never => {
      throw new AuditError("CHAIN_UNAVAILABLE", `eth_getBlockByNumber(${b}) failed: ${errorText(err)}`, { cause: err });
    };
    const calls = blocks.map((b) => ({ method: "eth_getBlockByNumber", params: ["0x" + b.toString(16), false] }));
    if (this.provider.batch !== undefined && blocks.length > 1) {
      const answers = await this.provider.batch(calls).catch((err: unknown) => fail(blocks[0], err));
      return answers.map((a, i) => (a.error !== undefined ? fail(blocks[i], a.error) : a.result));
    }
    return Promise.all(calls.map((c, i) => this.provider.send(c.method, c.params).catch((err: unknown) => fail(blocks[i], err))));
  }
}

/** Resolves after the event loop has turned once (pending I/O goes out); setImmediate where it exists (Node). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

async function getLogs(provider: RpcSender, decoder: EventDecoder, from: number, to: number): Promise<RawLog[]> {
  const logs = await provider.send("eth_getLogs", [
    { address: decoder.addresses, fromBlock: "0x" + from.toString(16), toBlock: "0x" + to.toString(16) },
  ]);
  if (!Array.isArray(logs)) throw new Error("eth_getLogs did not return an array");
  return logs as RawLog[];
}

/** Decodes a page's logs with their block times. */
async function decodeLogs(decoder: EventDecoder, logs: readonly RawLog[], blockTimes: BlockTimes): Promise<LedgerEvent[]> {
  const blocks = new Set<number>();
  for (const log of logs) {
    const block = Number(log.blockNumber);
    if (log.blockTimestamp !== undefined) blockTimes.remember(block, Number(log.blockTimestamp));
    blocks.add(block);
  }
  const times = await blockTimes.ofMany(blocks);
  const events: LedgerEvent[] = [];
  for (const log of logs) {
    const event = decoder.decode(log, times.get(Number(log.blockNumber))!);
    if (event !== undefined) events.push(event);
  }
  return events;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const info =
      (err as { info?: { error?: { message?: string } }; error?: { message?: string } }).info?.error?.message ??
      (err as { error?: { message?: string } }).error?.message;
    return info !== undefined && !err.message.includes(info) ? `${err.message} (${info})` : err.message;
  }
  return String(err);
}
