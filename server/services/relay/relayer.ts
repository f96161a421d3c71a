import { Wallet, isError, type ContractTransaction, type TransactionReceipt } from "ethers";
import type { Logger } from "pino";
import { ApiError } from "../../errors";
import { shortReason, type ChainService } from "../chain";
import type { BudgetCharge, RelayBudget } from "./relayBudget";
import type { TxJournal } from "./txJournal";

/** A contract method as TypeChain types it: its arguments are checked at compile time against the contract's ABI. */
export interface RelayableMethod<A extends unknown[]> {
  populateTransaction(...args: A): Promise<ContractTransaction>;
}

/** Who a relayed transaction is charged to. */
export interface RelayPayer {
  /** The signed-in wallet asking. */
  account: string;
  /** The client's network address. */
  ip: string;
}

/** Room above the estimate for the gas limit: state may move between estimate and inclusion. */
const GAS_HEADROOM = 1.25;
/** Sends tried when the node says the nonce was used by someone else meanwhile. */
const MAX_NONCE_ATTEMPTS = 3;
/** How long a relayed transaction may take to be mined (a real chain takes a block time or two), and how often to ask. */
const RECEIPT_TIMEOUT_MS = 120_000;
const RECEIPT_POLL_MS = 100;

/**
 * The one relay path of the gateway: a patient- (or author-) signed call is simulated, charged to the asker's gas
 * budgets, signed by this organization's relayer, journaled, broadcast, and awaited. A revert comes back as 422
 * TRANSACTION_REVERTED naming the contract's custom error; a chain that cannot be reached as 503.
 */
export class Relayer {
  readonly address: string;
  private readonly wallet: Wallet;
  private nextNonce?: number;
  private submissions: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly chain: ChainService,
    privateKey: string,
    private readonly journal: TxJournal,
    private readonly budget: RelayBudget,
    private readonly limits: { perAccount: number; perIp: number },
    private readonly logger: Logger,
  ) {
    this.wallet = new Wallet(privateKey, chain.provider);
    this.address = this.wallet.address;
  }

  /**
   * Relays `method(...args)` for `payer` (charged to its budgets), or for the gateway's own work (anchoring) when no
   * payer is given; resolves with the mined transaction's hash.
   */
  async send<A extends unknown[]>(label: string, method: RelayableMethod<A>, args: A, payer?: RelayPayer): Promise<string> {
    const request = await method.populateTransaction(...args);
    let estimate: bigint;
    try {
      estimate = await this.chain.provider.estimateGas({ ...request, from: this.address });
    } catch (err) {
      throw this.refusal(label, err);
    }
    if (payer !== undefined) {
      const budgets: BudgetCharge[] = [
        { subject: `account:${payer.account}`, limit: this.limits.perAccount, described: "your account" },
        { subject: `ip:${payer.ip}`, limit: this.limits.perIp, described: "your network address" },
      ];
      this.budget.charge(Number(estimate), budgets);
    }
    const gasLimit = (estimate * BigInt(Math.round(GAS_HEADROOM * 100))) / 100n;
    const hash = await this.submitInOrder(async () => {
      // Another process sending from this account (a replica, an operator's script) moves the nonce on under us: the
      // node then refuses ours as used, which is safe to retry with the chain's count.
      for (let attempt = 1; ; attempt++) {
        const nonce = this.nextNonce ?? (await this.chain.read(() => this.chain.provider.getTransactionCount(this.address, "pending")));
        try {
          const raw = await this.wallet.signTransaction(await this.wallet.populateTransaction({ ...request, nonce, gasLimit }));
          const txHash = this.journal.record(raw, label);
          await this.chain.provider.broadcastTransaction(raw);
          this.nextNonce = nonce + 1;
          return txHash;
        } catch (err) {
          // The nonce may or may not have been used: ask the chain again before the next send.
          this.nextNonce = undefined;
          if (
            attempt < MAX_NONCE_ATTEMPTS &&
            (isError(err, "NONCE_EXPIRED") || /nonce (too low|has already been used)/i.test(shortReason(err)))
          )
            continue;
          throw this.refusal(label, err);
        }
      }
    });
    const receipt = await this.receiptOf(hash).catch((err: unknown) => {
      throw this.refusal(label, err);
    });
    if (receipt === null || receipt.status !== 1) throw new ApiError("TRANSACTION_REVERTED", `${label} was reverted on-chain.`);
    this.journal.mined(hash, receipt.blockNumber);
    // What is confirmed as done must hold at once on this gateway (a revoke must win over the polled head's age).
    await this.chain.headAtLeast(receipt.blockNumber);
    this.logger.info({ txHash: hash, label, gas: Number(receipt.gasUsed) }, "relayed");
    return hash;
  }

  /**
   * The receipt of a transaction this gateway sent, asked for until it is mined. Not ethers' waitForTransaction: it
   * compares the receipt with a cached block number and, when that is older than the receipt's block, waits for the
   * next new block, which a chain that mines on demand (Anvil, Hardhat automine) never makes while nothing else is
   * sent, so a mined relay could hang until the timeout (seen with a busy node).
   */
  private async receiptOf(hash: string): Promise<TransactionReceipt> {
    const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
    for (;;) {
      const receipt = await this.chain.provider.getTransactionReceipt(hash);
      if (receipt !== null) return receipt;
      if (Date.now() > deadline) throw new Error(`not mined within ${RECEIPT_TIMEOUT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, RECEIPT_POLL_MS));
    }
  }

  /**
   * Sends transactions one at a time as far as the node's acceptance (not mining): nonces are numbered in call order
   * and a node that mines on arrival (Anvil's automine, some L2 sequencers) refuses a nonce gap.
   */
  private submitInOrder<T>(send: () => Promise<T>): Promise<T> {
    const submitted = this.submissions.then(send);
    this.submissions = submitted.catch(() => undefined);
    return submitted;
  }

  private refusal(label: string, err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    const decoded = this.chain.decodeRevert(err);
    if (decoded !== undefined) {
      return new ApiError("TRANSACTION_REVERTED", `${label} was refused by the contract: ${decoded.name}(${decoded.args.join(", ")}).`, {
        contractError: decoded.name,
      });
    }
    if (isError(err, "CALL_EXCEPTION")) return new ApiError("TRANSACTION_REVERTED", `${label} was refused by the contract.`);
    return new ApiError("CHAIN_UNAVAILABLE", `${label} could not be sent (${shortReason(err)}).`);
  }
}
