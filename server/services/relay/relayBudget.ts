import type { StateDb } from "../state/stateDb";
import { ApiError } from "../../errors";

const WINDOW_SECONDS = 3600;

/** One budget: who is charged ("account:0x…" or "ip:…") and how much gas per hour they may spend. */
export interface BudgetCharge {
  subject: string;
  limit: number;
  /** How the subject is named in the refusal ("your account", "your network address"). */
  described: string;
}

/**
 * Gas the relayer spends on someone's behalf, per hour, kept in the state database so a restart does not refill it.
 * A relayed transaction is charged its estimated gas against every budget it falls under before it is sent; one
 * that would exceed any budget is refused with 429 RELAY_BUDGET_EXCEEDED and charges nothing.
 */
export class RelayBudget {
  constructor(
    private readonly db: StateDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** Charges `gas` to every budget or to none. */
  charge(gas: number, budgets: readonly BudgetCharge[]): void {
    const window = Math.floor(this.now() / 1000 / WINDOW_SECONDS) * WINDOW_SECONDS;
    const spentOf = this.db.prepare<[string, number], { gas: number }>(
      "SELECT gas FROM relay_spend WHERE subject = ? AND window_start = ?",
    );
    const add = this.db.prepare(
      "INSERT INTO relay_spend (subject, window_start, gas) VALUES (?, ?, ?) ON CONFLICT (subject, window_start) DO UPDATE SET gas = gas + excluded.gas",
    );
    this.db.transaction(() => {
      for (const budget of budgets) {
        const spent = spentOf.get(budget.subject, window)?.gas ?? 0;
        if (spent + gas > budget.limit) {
          const resetAt = new Date((window + WINDOW_SECONDS) * 1000).toISOString();
          throw new ApiError(
            "RELAY_BUDGET_EXCEEDED",
            `The gateway has relayed ${spent} gas for ${budget.described} this hour; this transaction needs ${gas} more than the ${budget.limit} allowed. Try again after ${resetAt}.`,
          ).retryAfter(window + WINDOW_SECONDS - this.now() / 1000);
        }
      }
      for (const budget of budgets) add.run(budget.subject, window, gas);
      this.db.prepare("DELETE FROM relay_spend WHERE window_start < ?").run(window - WINDOW_SECONDS);
    })();
  }
}
