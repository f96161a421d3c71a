import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import {
  CLINICAL,
  Category,
  DAY,
  KEY_BUNDLE,
  ProviderKind,
  Purpose,
  WRITE,
  bytes32Of,
  pinNextTimestamp,
  scopeOf,
  type ConsentFixture,
} from "./fixtures";

/**
 * The checks every way of granting shares (`grant`, `grantFor`, `grantBySig`), written once and run against each
 * entry point, after OpenZeppelin's `shouldBehaveLike…` suites: who may grant differs per entry point and is
 * tested beside it; what a grant may say, and what it does, is the same everywhere.
 */

/** The terms of a grant from the fixture's patient. */
export interface GrantTerms {
  grantee: string;
  scope: number;
  purpose: number;
  expiresAt: bigint;
  keyBundle: string;
}

/** One way of granting for the fixture's patient. */
export interface GrantEntryPoint {
  /** The function's name, for the suite's title. */
  name: "grant" | "grantFor" | "grantBySig";
  /** The fixture it runs on (a stable function, so `loadFixture` snapshots it once). */
  fixture: () => Promise<ConsentFixture>;
  /** Sends a grant of `terms` for `f.patient` through this entry point (signing first if it is a signed one). */
  send: (f: ConsentFixture, terms: GrantTerms) => Promise<ContractTransactionResponse>;
  /** The account `AccessGranted` names as actor. */
  actor: (f: ConsentFixture) => string;
}

/** Runs the shared grant checks against `entry`. */
export function shouldBehaveLikeGrant(entry: GrantEntryPoint): void {
  describe(`${entry.name}: what any grant may say and does`, () => {
    /** CLINICAL for a day to the doctor, with `overrides`. */
    const terms = async (f: ConsentFixture, overrides: Partial<GrantTerms> = {}): Promise<GrantTerms> => ({
      grantee: f.doctor.address,
      scope: CLINICAL,
      purpose: Purpose.TREAT,
      expiresAt: BigInt(await time.latest()) + DAY,
      keyBundle: KEY_BUNDLE,
      ...overrides,
    });

    it("stores the grant in the patient's epoch and the provider's generation, and announces it with the actor", async () => {
      const f = await loadFixture(entry.fixture);
      const t = await terms(f);
      await expect(entry.send(f, t))
        .to.emit(f.ledger, "AccessGranted")
        .withArgs(f.patient.address, t.grantee, t.scope, t.purpose, t.expiresAt, t.keyBundle, entry.actor(f));
      const g = await f.ledger.grantOf(f.patient.address, t.grantee);
      expect([g.expiresAt, g.scope, g.purpose, g.epoch, g.providerGeneration]).to.deep.equal([t.expiresAt, BigInt(CLINICAL), 1n, 0n, 0n]);
    });

    it("opens exactly the categories in scope, to the grantee only", async () => {
      const f = await loadFixture(entry.fixture);
      await entry.send(f, await terms(f));
      for (let c = 0; c <= Category.EMERGENCY_SUMMARY; c++) {
        const inScope = (CLINICAL & (1 << c)) !== 0;
        expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, c)).to.equal(inScope, `category ${c}`);
        expect(await f.ledger.hasWriteAccess(f.patient.address, f.doctor.address, c)).to.equal(false, `write, category ${c}`);
      }
      expect(await f.ledger.hasAccess(f.patient.address, f.lab.address, Category.ALLERGIES)).to.equal(false);
      expect(await f.ledger.hasAccess(f.patient2.address, f.doctor.address, Category.ALLERGIES)).to.equal(false);
    });

    it("gives write access to the granted categories with the WRITE flag", async () => {
      const f = await loadFixture(entry.fixture);
      await entry.send(f, await terms(f, { scope: scopeOf([Category.NOTES], true) }));
      expect(await f.ledger.hasWriteAccess(f.patient.address, f.doctor.address, Category.NOTES)).to.equal(true);
      expect(await f.ledger.hasWriteAccess(f.patient.address, f.doctor.address, Category.LABS)).to.equal(false);
    });

    it("overwrites an earlier grant to the same grantee, narrowing it", async () => {
      const f = await loadFixture(entry.fixture);
      await entry.send(f, await terms(f));
      const narrower = await terms(f, { scope: scopeOf([Category.LABS]), purpose: Purpose.CAREMGT, keyBundle: ethers.ZeroHash });
      await entry.send(f, narrower);
      const g = await f.ledger.grantOf(f.patient.address, f.doctor.address);
      expect([g.expiresAt, g.scope, g.purpose]).to.deep.equal([narrower.expiresAt, BigInt(narrower.scope), BigInt(Purpose.CAREMGT)]);
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.ALLERGIES)).to.equal(false);
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.LABS)).to.equal(true);
    });

    /** The doctor, once the registrar deactivated it. */
    const deactivatedDoctor = async (f: ConsentFixture) => {
      await f.registry.deactivateProvider(f.doctor.address);
      return f.doctor;
    };

    // Refused grantees, each named in the error: how the test picks (and prepares) it, and the error.
    for (const [what, pick, error] of [
      ["a grantee that is not a verified provider", (f: ConsentFixture) => f.stranger, "ConsentLedgerGranteeNotProvider"],
      ["a deactivated provider", deactivatedDoctor, "ConsentLedgerGranteeNotProvider"],
      ["the patient as grantee", (f: ConsentFixture) => f.patient, "ConsentLedgerGranteeIsPatient"],
    ] as const) {
      it(`refuses ${what}`, async () => {
        const f = await loadFixture(entry.fixture);
        const grantee = (await pick(f)).address;
        await expect(entry.send(f, await terms(f, { grantee })))
          .to.be.revertedWithCustomError(f.ledger, error)
          .withArgs(grantee);
      });
    }

    it("stamps a re-verified provider's new generation, so the new grant counts", async () => {
      const f = await loadFixture(entry.fixture);
      await f.registry.deactivateProvider(f.doctor.address);
      await f.registry.verifyProvider(f.doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", ProviderKind.CLINICIAN, false);
      await entry.send(f, await terms(f));
      expect((await f.ledger.grantOf(f.patient.address, f.doctor.address)).providerGeneration).to.equal(1n);
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.ALLERGIES)).to.equal(true);
    });

    for (const [label, scope] of [
      ["no bit at all", 0],
      ["only the WRITE flag", WRITE],
      ["a reserved bit (13)", scopeOf([Category.LABS]) | (1 << 13)],
      ["a reserved bit (30)", (scopeOf([Category.LABS]) | (1 << 30)) >>> 0],
    ] as const) {
      it(`refuses a scope with ${label}`, async () => {
        const f = await loadFixture(entry.fixture);
        await expect(entry.send(f, await terms(f, { scope })))
          .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidScope")
          .withArgs(scope);
      });
    }

    for (const purpose of [0, 10, 255]) {
      it(`refuses purpose code ${purpose}`, async () => {
        const f = await loadFixture(entry.fixture);
        await expect(entry.send(f, await terms(f, { purpose })))
          .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidPurpose")
          .withArgs(purpose);
      });
    }

    it("accepts every purpose code from TREAT (1) to PUBHLTH (9)", async () => {
      const f = await loadFixture(entry.fixture);
      for (const purpose of Object.values(Purpose)) {
        await entry.send(f, await terms(f, { purpose }));
        expect((await f.ledger.grantOf(f.patient.address, f.doctor.address)).purpose).to.equal(BigInt(purpose));
      }
    });

    it("refuses an expiry equal to the block time", async () => {
      const f = await loadFixture(entry.fixture);
      const t = await pinNextTimestamp();
      await expect(entry.send(f, await terms(f, { expiresAt: t })))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerExpiryInPast")
        .withArgs(t, t);
    });

    it("accepts an expiry one second after the block time", async () => {
      const f = await loadFixture(entry.fixture);
      const t = await pinNextTimestamp();
      await expect(entry.send(f, await terms(f, { expiresAt: t + 1n }))).to.emit(f.ledger, "AccessGranted");
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.ALLERGIES)).to.equal(true);
    });
  });
}
