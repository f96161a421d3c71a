import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ApiError } from "../../server/errors";
import { RelayBudget } from "../../server/services/relay/relayBudget";
import { openStateDb, type StateDb } from "../../server/services/state/stateDb";

/** Ten minutes into an hour's budget window. */
const NOW = (1_700_000_000 - (1_700_000_000 % 3600) + 600) * 1000;

describe("relay gas budget", function () {
  let dir: string;
  let db: StateDb;

  beforeEach(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), "relay-budget-"));
    db = openStateDb(dir);
  });

  afterEach(async function () {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses what would exceed a budget, charges nothing for it, and says when the window ends (Retry-After)", function () {
    const budget = new RelayBudget(db, () => NOW);
    const account = { subject: "account:0xabc", limit: 100_000, described: "your account" };
    const network = { subject: "ip:127.0.0.1", limit: 1_000_000, described: "your network address" };
    budget.charge(60_000, [account, network]);
    let refusal: unknown;
    try {
      budget.charge(50_000, [account, network]);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).to.be.instanceOf(ApiError);
    const { code, retryAfterSeconds } = refusal as ApiError;
    expect([code, retryAfterSeconds]).to.deep.equal(["RELAY_BUDGET_EXCEEDED", 3000]);
    // Nothing was charged for the refusal, to either budget: what is left of the account's still fits.
    budget.charge(40_000, [account, network]);
    expect(() => budget.charge(1, [account])).to.throw(ApiError);
  });
});
