import { JsonRpcProvider, isError, type Interface } from "ethers";
import type { ConsentLedger, DisclosureAnchor, ProviderRegistry, RecordIndex } from "../../typechain-types";
import { connectContracts } from "../../lib/deployment/contracts";
import type { Deployment } from "../../lib/deployment/deployment";
import { ApiError } from "../errors";

/** How long one JSON-RPC call may take before the chain counts as unreachable (access then fails closed). */
const RPC_TIMEOUT_MS = 5_000;
/** How often the head is polled, and the oldest head a decision may be made at. */
export const HEAD_POLL_MS = 250;
export const HEAD_MAX_AGE_MS = 2 * HEAD_POLL_MS;
/** Longest break-glass window the ledger allows (MAX_EMERGENCY_WINDOW): how far back its opening event can be. */
const EMERGENCY_WINDOW_SECONDS = 3600;

/** The chain head: number, hash and timestamp (unix seconds). */
export interface Head {
  number: number;
  hash: string;
  timestamp: number;
}

/** Options for {@link ChainService.connect}. */
export interface ChainOptions {
  rpcUrl: string;
  deployment: Deployment;
  /** Largest block range one eth_getLogs call may span (a default Besu refuses more than 5,000). */
  logRange: number;
  /** Clock in milliseconds (tests pass their own). */
  now?: () => number;
}

/**
 * The gateway's view of the ledger: contract handles over one JSON-RPC URL (Anvil, Besu, Geth or an L2), a head kept
 * fresh by polling, reads pinned to a block, decoded custom errors. Any failure to reach the chain becomes ApiError
 * CHAIN_UNAVAILABLE, so callers fail closed.
 */
export class ChainService {
  readonly registry: ProviderRegistry;
  readonly ledger: ConsentLedger;
  readonly records: RecordIndex;
  readonly anchor: DisclosureAnchor;
  private readonly interfaces: Interface[];
  private head?: { head: Head; fetchedAt: number };
  private inflight?: Promise<Head>;
  private poller?: NodeJS.Timeout;
  private readonly now: () => number;

  private constructor(
    readonly provider: JsonRpcProvider,
    readonly deployment: Deployment,
    readonly logRange: number,
    now: (() => number) | undefined,
  ) {
    this.now = now ?? Date.now;
    ({ registry: this.registry, ledger: this.ledger, records: this.records, anchor: this.anchor } = connectContracts(deployment, provider));
    this.interfaces = [this.ledger.interface, this.records.interface, this.registry.interface, this.anchor.interface];
  }

  /** Connects to the chain named in the deployment; the chain id is fixed so a node restart is not a network change. */
  static connect(options: ChainOptions): ChainService {
    const provider = new JsonRpcProvider(options.rpcUrl, options.deployment.chainId, {
      staticNetwork: true,
      batchMaxCount: 1,
      // Access decisions must see the chain as it is now, never a cached answer.
      cacheTimeout: -1,
    });
    return new ChainService(provider, options.deployment, options.logRange, options.now);
  }

  get chainId(): number {
    return this.deployment.chainId;
  }

  /** Keeps the head fresh in the background, so a decision rarely waits for a head read. */
  followHead(): void {
    if (this.poller !== undefined) return;
    this.poller = setInterval(() => void this.fetchHead().catch(() => undefined), HEAD_POLL_MS);
    this.poller.unref();
  }

  /**
   * The head every decision of one request is made at: the polled head when it was read at most
   * {@link HEAD_MAX_AGE_MS} ago, else read now. So a release is never decided on a head older than that, and a chain
   * that stops answering makes decisions fail (CHAIN_UNAVAILABLE) within that time plus the RPC timeout.
   */
  async currentHead(): Promise<Head> {
    if (this.head !== undefined && this.now() - this.head.fetchedAt <= HEAD_MAX_AGE_MS) return this.head.head;
    return this.fetchHead();
  }

  /**
   * The head read now, when the cached one is behind it; callers use it to re-decide a refusal made at the cached head
   * (a client that has just mined a grant or a record must not be refused for the cache's age). Never to grant more.
   */
  async newerHead(than: Head): Promise<Head | undefined> {
    const head = await this.fetchHead();
    return head.number > than.number ? head : undefined;
  }

  /**
   * Makes every decision from now on use block `block` or a later one: reads the head now when the polled one is
   * older. Called with the block of a transaction this gateway has just mined and confirmed (a revoke it relayed must
   * hold from the moment the patient is told it is done, not once the next poll comes). If the head cannot be read,
   * the polled one is dropped, so the next decision reads the chain (or fails closed).
   */
  async headAtLeast(block: number): Promise<void> {
    // Two reads at most: one already in flight may have been sent before `block` was mined.
    for (let reads = 0; reads < 2 && (this.head?.head.number ?? -1) < block; reads++) {
      try {
        await this.fetchHead();
      } catch {
        this.head = undefined;
        return;
      }
    }
    if ((this.head?.head.number ?? -1) < block) this.head = undefined;
  }

  /** The current head block number. */
  async headNumber(): Promise<number> {
    return (await this.currentHead()).number;
  }

  /** Runs a read against the chain; unreachable or slow → CHAIN_UNAVAILABLE (never a default answer). */
  async read<T>(call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${RPC_TIMEOUT_MS} ms`)), RPC_TIMEOUT_MS);
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (err) {
      throw new ApiError("CHAIN_UNAVAILABLE", `The chain could not be read (${shortReason(err)}); nothing is released until it answers.`);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The HL7 reason (ETREAT or BTG) `provider` gave when it broke the glass on `patient`, from the EmergencyAccess event
   * that opened the window open at `block`. Reads backwards in pages of at most `logRange` blocks, no further than the
   * longest window; undefined when not found.
   */
  async breakGlassReason(patient: string, provider: string, block: number): Promise<number | undefined> {
    const filter = this.ledger.filters.EmergencyAccess(patient, provider);
    const floor = this.deployment.contracts.ConsentLedger.blockNumber;
    const headTime = (await this.currentHead()).timestamp;
    for (let to = block; to >= floor; to -= this.logRange) {
      const from = Math.max(floor, to - this.logRange + 1);
      const events = await this.read(() => this.ledger.queryFilter(filter, from, to));
      const last = events.at(-1);
      if (last !== undefined) return Number(last.args.reasonCode);
      const start = await this.read(() => this.provider.getBlock(from));
      if (start === null || start.timestamp < headTime - EMERGENCY_WINDOW_SECONDS) return undefined;
    }
    return undefined;
  }

  /** Decodes a custom error from a revert, trying every project contract's ABI. */
  decodeRevert(err: unknown): { name: string; args: string[] } | undefined {
    const data = revertData(err);
    if (data === undefined) return undefined;
    for (const iface of this.interfaces) {
      try {
        const parsed = iface.parseError(data);
        if (parsed) return { name: parsed.name, args: parsed.args.map((a: unknown) => String(a)) };
      } catch {
        // not this contract's error; try the next
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    this.provider.destroy();
  }

  private fetchHead(): Promise<Head> {
    // One head read at a time: concurrent requests share it.
    this.inflight ??= this.read(async () => {
      const block = (await this.provider.send("eth_getBlockByNumber", ["latest", false])) as {
        number: string;
        hash: string;
        timestamp: string;
      };
      const head = { number: Number(block.number), hash: block.hash, timestamp: Number(block.timestamp) };
      this.head = { head, fetchedAt: this.now() };
      return head;
    }).finally(() => (this.inflight = undefined));
    return this.inflight;
  }
}

function revertData(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { data?: unknown; info?: { error?: { data?: unknown } }; error?: { data?: unknown } };
  for (const candidate of [e.data, e.info?.error?.data, e.error?.data]) {
    if (typeof candidate === "string" && candidate.startsWith("0x") && candidate.length >= 10) return candidate;
    if (typeof candidate === "object" && candidate !== null && typeof (candidate as { data?: unknown }).data === "string") {
      return (candidate as { data: string }).data;
    }
  }
  return undefined;
}

/** The first line of an error, for messages. */
export function shortReason(err: unknown): string {
  if (isError(err, "NETWORK_ERROR") || isError(err, "TIMEOUT")) return "network error";
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0].slice(0, 160);
}
