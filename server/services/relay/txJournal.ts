import { Transaction, type JsonRpcProvider } from "ethers";
import type { Logger } from "pino";
import type { StateDb } from "../state/stateDb";

/** How long sent transactions are kept for replay: far longer than any chain persistence window. */
const KEEP_SECONDS = 24 * 3600;

/**
 * Every signed transaction the gateway puts on the chain — its relayer's, and wallets' raw transactions passed
 * through /api/rpc — written durably (SQLite, synchronous FULL) before it is broadcast. A local chain that persists
 * its state periodically (Anvil dumps every second) can lose the last moments before a crash; on restart the gateway
 * rebroadcasts every journaled transaction the chain no longer knows, in nonce order, so nothing a user was told is
 * done disappears. Signed transactions are self-authenticating: replaying one can only do what its signer signed.
 */
export class TxJournal {
  constructor(
    private readonly db: StateDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a signed raw transaction before it is broadcast; returns its hash. */
  record(raw: string, label: string): string {
    const tx = Transaction.from(raw);
    if (tx.hash === null || tx.from === null) throw new Error("only signed transactions are journaled");
    this.db
      .prepare("INSERT OR IGNORE INTO tx_journal (hash, sender, nonce, raw, label, sent_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(tx.hash, tx.from, tx.nonce, raw, label, Math.floor(this.now() / 1000));
    return tx.hash;
  }

  /** Notes that a journaled transaction was mined (replay then only needs to check it is still there). */
  mined(hash: string, block: number): void {
    this.db.prepare("UPDATE tx_journal SET mined_block = ? WHERE hash = ?").run(block, hash);
  }

  /**
   * Rebroadcasts, in nonce order per sender, every journaled transaction the chain has no receipt for; drops entries
   * older than the retention window. Returns how many were sent again. Errors of a single transaction (its nonce was
   * used by another, its deadline passed) are logged and skipped: it can no longer take effect.
   */
  async replay(provider: JsonRpcProvider, logger: Logger): Promise<number> {
    const cutoff = Math.floor(this.now() / 1000) - KEEP_SECONDS;
    this.db.prepare("DELETE FROM tx_journal WHERE sent_at < ?").run(cutoff);
    const rows = this.db
      .prepare<[], { hash: string; raw: string; label: string }>("SELECT hash, raw, label FROM tx_journal ORDER BY sender, nonce")
      .all();
    let replayed = 0;
    for (const row of rows) {
      if ((await provider.getTransactionReceipt(row.hash)) !== null) continue;
      try {
        await provider.broadcastTransaction(row.raw);
        replayed++;
        logger.warn({ txHash: row.hash, label: row.label }, "replayed a transaction the chain had lost");
      } catch (err) {
        logger.warn(
          { txHash: row.hash, label: row.label, err: (err as Error).message.split("\n")[0] },
          "a lost transaction could not be replayed",
        );
      }
    }
    return replayed;
  }
}
