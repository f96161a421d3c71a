import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ContractTransactionResponse } from "ethers";
import type { HasAccessGasProbe } from "../../typechain-types";
import {
  Category,
  DAY,
  KEY_BUNDLE,
  Purpose,
  UNDER_COVERAGE,
  deployConsentFixture,
  scopeOf,
  type ConsentFixture,
  type GrantMessage,
} from "./fixtures";

/**
 * Gas budgets of the hot paths, measured on the worst realistic case (a storage slot written for the
 * first time). A change that breaks a budget fails here, before review. Skipped under `hardhat coverage`,
 * whose instrumented contracts cost more.
 */

/** EIP-2929/2200 prices of the state accesses `hasAccess` makes. */
const COLD_SLOAD = 2_100n;
const COLD_ACCOUNT = 2_600n;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
}

/** Standard calldata price: 4 gas per zero byte, 16 per non-zero byte. */
function calldataGas(data: string): bigint {
  return ethers.getBytes(data).reduce((sum, byte) => sum + (byte === 0 ? 4n : 16n), 0n);
}

async function signedGrant(f: ConsentFixture, grantee: string) {
  const now = BigInt(await time.latest());
  const m: GrantMessage = {
    patient: f.patient.address,
    grantee,
    scope: scopeOf([Category.LABS, Category.ALLERGIES]),
    purpose: Purpose.TREAT,
    expiresAt: now + DAY,
    keyBundle: KEY_BUNDLE,
    nonce: await f.ledger.nonces(f.patient.address),
    deadline: now + DAY,
  };
  const sig = await f.signGrant(f.patient, m);
  return f.ledger.connect(f.relayer).grantBySig(m.patient, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, m.deadline, sig);
}

describe("ConsentLedger gas budgets", function () {
  before(function () {
    if (UNDER_COVERAGE) this.skip();
  });

  it("grant to a new grantee costs at most 60k gas", async () => {
    const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
    const expiresAt = BigInt(await time.latest()) + DAY;
    const gas = await gasOf(ledger.connect(patient).grant(doctor.address, scopeOf([1, 2, 3]), Purpose.TREAT, expiresAt, KEY_BUNDLE));
    expect(gas).to.be.at.most(60_000n);
  });

  it("revoke costs at most 35k gas (the slot is zeroed for a refund)", async () => {
    // Revoking asks the registry, as hasAccess does (one liveness rule: a grant of a deactivated provider is over
    // and cannot be revoked), which is a cold account and a cold slot: about 5.8k gas more than without it.
    const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
    const expiresAt = BigInt(await time.latest()) + DAY;
    await ledger.connect(patient).grant(doctor.address, scopeOf([1, 2, 3]), Purpose.TREAT, expiresAt, KEY_BUNDLE);
    expect(await gasOf(ledger.connect(patient).revoke(doctor.address))).to.be.at.most(35_000n);
  });

  it("grantBySig to a new grantee costs at most 75k gas once the patient's nonce slot exists", async () => {
    const f = await loadFixture(deployConsentFixture);
    await signedGrant(f, f.doctor.address); // first signature: creates the patient's nonce slot
    expect(await gasOf(signedGrant(f, f.lab.address))).to.be.at.most(75_000n);
  });

  it("a patient's very first grantBySig costs at most 90k gas (one more new slot: the nonce)", async () => {
    const f = await loadFixture(deployConsentFixture);
    expect(await gasOf(signedGrant(f, f.doctor.address))).to.be.at.most(90_000n);
  });
});

/**
 * Execution gas of `hasAccess` (no 21k intrinsic, no calldata), cold and warm, measured with gasleft() around
 * a STATICCALL by `HasAccessGasProbe`. "Cold" is a gateway's first call: the ledger is warm (it is the call's
 * target) but the patient's slot, the grant slot, the registry account and the provider's slot are not.
 *
 * The 6k target of the issue holds warm. It cannot hold cold while the checks stay as they are: the three
 * pieces of state a positive answer needs live in three slots that cannot share one (the grant, per pair;
 * the patient's epoch, so that revokeAll is O(1); the provider's status, so that deactivation cuts every
 * grant at once) and three cold SLOADs alone cost 6,300 gas; the status sits in the registry, a cold
 * account (2,600) too. The cold budget is that floor plus what the code itself runs (about 350 gas of it is the
 * provider-generation check: the registry answers two words, and the grant's generation is compared).
 */
describe("hasAccess execution gas", function () {
  const ACCESS_FLOOR = 3n * COLD_SLOAD + COLD_ACCOUNT; // 8,900
  const figures: string[] = [];

  before(function () {
    if (UNDER_COVERAGE) this.skip();
  });

  async function measuredFixture() {
    const f = await deployConsentFixture();
    const gasProbe: HasAccessGasProbe = await ethers.deployContract("HasAccessGasProbe");
    const expiresAt = BigInt(await time.latest()) + DAY;
    await f.ledger
      .connect(f.patient)
      .grant(f.doctor.address, scopeOf([Category.ALLERGIES, Category.LABS]), Purpose.TREAT, expiresAt, KEY_BUNDLE);
    await f.ledger.connect(f.patient).setEmergencyPolicy(true, 900, KEY_BUNDLE);
    await f.ledger.connect(f.erDoctor).breakGlass(f.patient.address, Purpose.ETREAT);
    return { ...f, gasProbe };
  }

  /** Measures `hasAccess(patient, grantee, category)` and keeps the figures for the snapshot under `label`. */
  async function measure(f: Awaited<ReturnType<typeof measuredFixture>>, label: string, grantee: string, category: number) {
    const [granted, cold, warm] = await f.gasProbe.measure(await f.ledger.getAddress(), f.patient.address, grantee, category);
    figures.push(`${label.padEnd(44)} ${String(granted).padEnd(6)} ${String(cold).padStart(6)} ${String(warm).padStart(6)}`);
    return { granted, cold, warm };
  }

  after(() => {
    // `npm run gas` keeps these figures next to the gas reporter's snapshot, for review.
    const reportFile = process.env.REPORT_GAS_FILE;
    if (!reportFile || figures.length === 0) return;
    mkdirSync(dirname(reportFile), { recursive: true });
    const header = `${"hasAccess execution gas".padEnd(44)} ${"result".padEnd(6)} ${"cold".padStart(6)} ${"warm".padStart(6)}`;
    writeFileSync(join(dirname(reportFile), "has-access.txt"), [header, ...figures, ""].join("\n"));
  });

  it("answers a live grant within 6k warm, and within the 8.9k cold-access floor + 2.6k cold", async () => {
    const f = await loadFixture(measuredFixture);
    const { granted, cold, warm } = await measure(f, "live grant (the gateway's yes)", f.doctor.address, Category.LABS);
    expect(granted).to.equal(true);
    expect(warm).to.be.at.most(6_000n);
    expect(cold).to.be.at.most(ACCESS_FLOOR + 2_600n);
    // Cold minus warm is exactly the price of the four first touches (each warm touch costs 100).
    expect(cold - warm).to.equal(ACCESS_FLOOR - 4n * 100n);
  });

  it("agrees with eth_estimateGas minus the 21k intrinsic and the calldata", async () => {
    const { ledger, gasProbe, patient, doctor } = await loadFixture(measuredFixture);
    const [, cold] = await gasProbe.measure(await ledger.getAddress(), patient.address, doctor.address, Category.LABS);
    // An estimate, not a transaction, so the gas reporter does not list this view as if it were one.
    const args: [string, string, number] = [patient.address, doctor.address, Category.LABS];
    const estimate = await ledger.hasAccess.estimateGas(...args);
    const data = ledger.interface.encodeFunctionData("hasAccess", args);
    expect(estimate - 21_000n - calldataGas(data)).to.equal(cold);
  });

  it("refuses a grantee without a grant with one cold SLOAD: the patient's slot is not read", async () => {
    const f = await loadFixture(measuredFixture);
    const { granted, cold } = await measure(f, "no grant", f.stranger.address, Category.LABS);
    expect(granted).to.equal(false);
    expect(cold).to.be.at.most(COLD_SLOAD + 1_500n);
  });

  it("answers the emergency summary through a break-glass window within 6k warm", async () => {
    const f = await loadFixture(measuredFixture);
    const open = await measure(f, "break-glass window (emergency summary)", f.erDoctor.address, Category.EMERGENCY_SUMMARY);
    expect(open.granted).to.equal(true);
    expect(open.warm).to.be.at.most(6_000n);
    // Grant slot, window slot, patient slot, registry account and provider slot; the registry is asked twice (the
    // provider's generation, then whether it is still emergency-capable), the second time warm.
    expect(open.cold).to.be.at.most(4n * COLD_SLOAD + COLD_ACCOUNT + 4_500n);
    const closed = await measure(f, "emergency summary, no grant, no window", f.doctor.address, Category.EMERGENCY_SUMMARY);
    expect(closed.granted).to.equal(false);
    expect(closed.warm).to.be.at.most(6_000n);
  });

  it("refuses an undefined category without reading storage", async () => {
    const f = await loadFixture(measuredFixture);
    const { granted, cold, warm } = await measure(f, "undefined category (13)", f.doctor.address, 13);
    expect(granted).to.equal(false);
    expect(cold).to.equal(warm);
  });
});
