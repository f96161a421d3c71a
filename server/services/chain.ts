import { JsonRpcProvider, NonceManager, Wallet, isError, type ContractTransactionResponse, type Interface } from "ethers";
import {
  ConsentLedger__factory,
  DisclosureAnchor__factory,
  ProviderRegistry__factory,
  RecordIndex__factory,
  type ConsentLedger,
  type DisclosureAnchor,
  type ProviderRegistry,
  type RecordIndex,
} from "../../typechain-types";
import type { Deployment } from "../../lib/deployment/deployment";
import { ApiError } from "../errors";

/** How long one JSON-RPC call may take before the chain counts as unreachable (access then fails closed). */
const RPC_TIMEOUT_MS = 5_000;

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
  /** Private key of the account that relays signed consent transactions (and anchors log roots). */
  relayerKey?: string;
}

/**
 * The gateway's view of the ledger: contract handles over one JSON-RPC URL (Hardhat, Besu, Geth or an L2),
 * reads pinned to a block, relayed writes with decoded custom errors. Any failure to reach the chain becomes
 * ApiError CHAIN_UNAVAILABLE so callers fail closed.
 */
export class ChainService {
  readonly registry: ProviderRegistry;
  readonly ledger: ConsentLedger;
  readonly records: RecordIndex;
  readonly anchor: DisclosureAnchor;
  /** The relayer, when configured: the signer that pays for patients' signed consents. */
  readonly relayer?: NonceManager;
  private readonly interfaces: Interface[];
  private submissions: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly provider: JsonRpcProvider,
    readonly deployment: Deployment,
    relayerKey: string | undefined,
  ) {
    this.relayer = relayerKey ? new NonceManager(new Wallet(relayerKey, provider)) : undefined;
    const runner = this.relayer ?? provider;
    const { contracts } = deployment;
    this.registry = ProviderRegistry__factory.connect(contracts.ProviderRegistry.address, runner);
    this.ledger = ConsentLedger__factory.connect(contracts.ConsentLedger.address, runner);
    this.records = RecordIndex__factory.connect(contracts.RecordIndex.address, runner);
    this.anchor = DisclosureAnchor__factory.connect(contracts.DisclosureAnchor.address, runner);
    this.interfaces = [this.ledger.interface, this.records.interface, this.registry.interface, this.anchor.interface];
  }

  /** Connects to the chain named in the deployment; the chain id is fixed so a node restart is not a network change. */
  static connect(options: ChainOptions): ChainService {
    const provider = new JsonRpcProvider(options.rpcUrl, options.deployment.chainId, {
      staticNetwork: true,
      batchMaxCount: 1,
      // Access decisions must see the head as it is now, never a cached answer.
      cacheTimeout: -1,
    });
    return new ChainService(provider, options.deployment, options.relayerKey);
  }

  get chainId(): number {
    return this.deployment.chainId;
  }

  /** The current head block number: the block every access decision of one request is read at. */
  async head(): Promise<number> {
    return this.read(async () => Number(await this.provider.send("eth_blockNumber", [])));
  }

  /**
   * The head block's number, hash and time in one call. The hash identifies the state exactly: two answers at the
   * same hash are the same answer, while a reorg to another block at the same height has another hash.
   */
  headBlock(): Promise<Head> {
    return this.read(async () => {
      const block = (await this.provider.send("eth_getBlockByNumber", ["latest", false])) as {
        number: string;
        hash: string;
        timestamp: string;
      };
      return { number: Number(block.number), hash: block.hash, timestamp: Number(block.timestamp) };
    });
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
   * Simulates then sends a relayed transaction and waits for its receipt. A revert comes back as
   * TRANSACTION_REVERTED naming the contract's custom error, so the client learns why its signed consent failed.
   */
  async relay(label: string, send: () => Promise<ContractTransactionResponse>, simulate: () => Promise<unknown>): Promise<string> {
    if (this.relayer === undefined)
      throw new ApiError("FORBIDDEN", "This gateway has no relayer key; submit the transaction from your wallet.");
    try {
      await simulate();
      const tx = await this.submitInOrder(async () => {
        try {
          return await send();
        } catch (err) {
          // The nonce manager counted a nonce for a transaction that never reached the chain: resync before the next.
          this.relayer?.reset();
          throw err;
        }
      });
      const receipt = await tx.wait();
      if (receipt === null || receipt.status !== 1) throw new ApiError("TRANSACTION_REVERTED", `${label} was reverted on-chain.`);
      return tx.hash;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const decoded = this.decodeRevert(err);
      if (decoded !== undefined) {
        throw new ApiError("TRANSACTION_REVERTED", `${label} was refused by the contract: ${decoded.name}(${decoded.args.join(", ")}).`, {
          error: decoded.name,
        });
      }
      if (isError(err, "CALL_EXCEPTION")) throw new ApiError("TRANSACTION_REVERTED", `${label} was refused by the contract.`);
      throw new ApiError("CHAIN_UNAVAILABLE", `${label} could not be sent (${shortReason(err)}).`);
    }
  }

  /**
   * Submits relayed transactions one at a time (each waits only until the node has accepted the previous one, not
   * until it is mined). The nonce manager numbers them in call order, but concurrent HTTP requests can reach the
   * node out of order, and a node that mines on arrival (Hardhat's automine, some L2 sequencers) refuses a nonce gap.
   */
  private submitInOrder<T>(send: () => Promise<T>): Promise<T> {
    const submitted = this.submissions.then(send);
    this.submissions = submitted.catch(() => undefined);
    return submitted;
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
    this.provider.destroy();
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

function shortReason(err: unknown): string {
  if (isError(err, "NETWORK_ERROR") || isError(err, "TIMEOUT")) return "network error";
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0].slice(0, 160);
}
