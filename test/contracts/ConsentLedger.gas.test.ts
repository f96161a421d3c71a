import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { Category, Purpose, deployConsentFixture, scopeOf, type ConsentFixture, type GrantMessage } from "./fixtures";

/**
 * Gas budgets of the hot paths, measured on the worst realistic case (a storage slot written for the
 * first time). A change that breaks a budget fails here, before review.
 */

const DAY = 86_400n;
const KEY_BUNDLE = ethers.id("key-bundle");

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
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

describe("ConsentLedger gas budgets", () => {
  it("grant to a new grantee costs at most 60k gas", async () => {
    const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
    const expiresAt = BigInt(await time.latest()) + DAY;
    const gas = await gasOf(ledger.connect(patient).grant(doctor.address, scopeOf([1, 2, 3]), Purpose.TREAT, expiresAt, KEY_BUNDLE));
    expect(gas).to.be.at.most(60_000n);
  });

  it("revoke costs at most 30k gas (the slot is zeroed for a refund)", async () => {
    const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
    const expiresAt = BigInt(await time.latest()) + DAY;
    await ledger.connect(patient).grant(doctor.address, scopeOf([1, 2, 3]), Purpose.TREAT, expiresAt, KEY_BUNDLE);
    expect(await gasOf(ledger.connect(patient).revoke(doctor.address))).to.be.at.most(30_000n);
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
