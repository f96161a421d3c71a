import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  Category,
  LEDGER_TYPES,
  Purpose,
  RequestStatus,
  WRITE,
  bytes32Of,
  deployConsentFixture,
  domainOf,
  scopeOf,
  signLedger,
  type ConsentFixture,
  type GrantMessage,
} from "./fixtures";

const HOUR = 3600n;
const DAY = 86_400n;
const KEY_BUNDLE = bytes32Of("key-bundle");
const SUMMARY = bytes32Of("emergency-summary");
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const CLINICAL = scopeOf([Category.PROBLEMS, Category.ALLERGIES, Category.MEDICATIONS]);

/** Sets the next block's timestamp a few seconds ahead and returns it, so events can be checked exactly. */
async function pinNextTimestamp(ahead = 10n): Promise<bigint> {
  const t = BigInt(await time.latest()) + ahead;
  await time.setNextBlockTimestamp(t);
  return t;
}

/** Mines a block at exactly `t` and returns its number, so views can be read in that block. */
async function mineAt(t: bigint): Promise<number> {
  await time.setNextBlockTimestamp(t);
  await mine();
  return ethers.provider.getBlockNumber();
}

/** A patient→doctor grant of CLINICAL for one day, and its expiry. */
async function grantedFixture() {
  const f = await deployConsentFixture();
  const expiresAt = BigInt(await time.latest()) + DAY;
  await f.ledger.connect(f.patient).grant(f.doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE);
  return { ...f, expiresAt };
}

/** Builds a Grant message from the patient to the lab with the patient's current nonce. */
async function grantMessage(f: ConsentFixture, overrides: Partial<GrantMessage> = {}): Promise<GrantMessage> {
  const now = BigInt(await time.latest());
  return {
    patient: f.patient.address,
    grantee: f.lab.address,
    scope: scopeOf([Category.LABS]),
    purpose: Purpose.TREAT,
    expiresAt: now + DAY,
    keyBundle: KEY_BUNDLE,
    nonce: await f.ledger.nonces(overrides.patient ?? f.patient.address),
    deadline: now + HOUR,
    ...overrides,
  };
}

/** Relays a signed Grant. */
function relayGrant(f: ConsentFixture, m: GrantMessage, signature: string) {
  return f.ledger.connect(f.relayer).grantBySig(m.patient, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, m.deadline, signature);
}

/** Flips a 65-byte signature to its high-s twin, which ecrecover would accept but OpenZeppelin's ECDSA refuses. */
function malleate(signature: string): string {
  const sig = ethers.Signature.from(signature);
  const highS = SECP256K1_N - BigInt(sig.s);
  return ethers.concat([sig.r, ethers.toBeHex(highS, 32), sig.v === 27 ? "0x1c" : "0x1b"]);
}

describe("ConsentLedger", () => {
  describe("deployment", () => {
    it("points at the registry", async () => {
      const { ledger, registry } = await loadFixture(deployConsentFixture);
      expect(await ledger.registry()).to.equal(await registry.getAddress());
    });

    it("exposes the EIP-712 domain ConsentLedger/1 through DOMAIN_SEPARATOR and eip712Domain", async () => {
      const { ledger } = await loadFixture(deployConsentFixture);
      const domain = await domainOf("ConsentLedger", await ledger.getAddress());
      expect(await ledger.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
      const d = await ledger.eip712Domain();
      expect(d.name).to.equal("ConsentLedger");
      expect(d.version).to.equal("1");
      expect(d.verifyingContract).to.equal(await ledger.getAddress());
    });
  });

  describe("grant", () => {
    it("stores the grant in the patient's epoch and announces it with the patient as actor", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(patient).grant(doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.emit(ledger, "AccessGranted")
        .withArgs(patient.address, doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE, patient.address);
      const g = await ledger.grantOf(patient.address, doctor.address);
      expect([g.expiresAt, g.scope, g.purpose, g.epoch]).to.deep.equal([expiresAt, BigInt(CLINICAL), 1n, 0n]);
    });

    it("opens exactly the categories in scope", async () => {
      const { ledger, patient, doctor } = await loadFixture(grantedFixture);
      for (let c = 0; c <= 12; c++) {
        const inScope = (CLINICAL & (1 << c)) !== 0;
        expect(await ledger.hasAccess(patient.address, doctor.address, c)).to.equal(inScope, `category ${c}`);
      }
    });

    it("answers false, not a revert, for a category above MAX_CATEGORY", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      await ledger.connect(patient).grant(doctor.address, scopeOf([0, 12]), Purpose.TREAT, BigInt(await time.latest()) + DAY, KEY_BUNDLE);
      expect(await ledger.hasAccess(patient.address, doctor.address, 12)).to.equal(true);
      expect(await ledger.hasAccess(patient.address, doctor.address, 13)).to.equal(false);
      expect(await ledger.hasAccess(patient.address, doctor.address, 31)).to.equal(false);
      expect(await ledger.hasAccess(patient.address, doctor.address, 255)).to.equal(false);
    });

    it("gives nobody else access: other patients, other grantees", async () => {
      const { ledger, patient, patient2, doctor, lab } = await loadFixture(grantedFixture);
      expect(await ledger.hasAccess(patient.address, lab.address, Category.ALLERGIES)).to.equal(false);
      expect(await ledger.hasAccess(patient2.address, doctor.address, Category.ALLERGIES)).to.equal(false);
    });

    it("overwrites an earlier grant to the same grantee, narrowing it", async () => {
      const { ledger, patient, doctor } = await loadFixture(grantedFixture);
      const expiresAt = BigInt(await time.latest()) + HOUR;
      await ledger.connect(patient).grant(doctor.address, scopeOf([Category.LABS]), Purpose.CAREMGT, expiresAt, ethers.ZeroHash);
      const g = await ledger.grantOf(patient.address, doctor.address);
      expect([g.expiresAt, g.scope, g.purpose]).to.deep.equal([expiresAt, BigInt(scopeOf([Category.LABS])), 8n]);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(false);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.LABS)).to.equal(true);
    });

    it("refuses a grantee that is not a verified provider", async () => {
      const { ledger, patient, stranger } = await loadFixture(deployConsentFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(patient).grant(stranger.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerGranteeNotProvider")
        .withArgs(stranger.address);
    });

    it("refuses a deactivated provider", async () => {
      const { ledger, registry, patient, doctor } = await loadFixture(deployConsentFixture);
      await registry.deactivateProvider(doctor.address);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(patient).grant(doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerGranteeNotProvider")
        .withArgs(doctor.address);
    });

    it("refuses a grant to oneself, even by a provider", async () => {
      const { ledger, doctor } = await loadFixture(deployConsentFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(doctor).grant(doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerGranteeIsPatient")
        .withArgs(doctor.address);
    });

    for (const [label, scope] of [
      ["no bit at all", 0],
      ["only the WRITE flag", WRITE],
      ["a reserved bit (13)", scopeOf([Category.LABS]) | (1 << 13)],
      ["a reserved bit (30)", (scopeOf([Category.LABS]) | (1 << 30)) >>> 0],
    ] as const) {
      it(`refuses a scope with ${label}`, async () => {
        const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
        const expiresAt = BigInt(await time.latest()) + DAY;
        await expect(ledger.connect(patient).grant(doctor.address, scope, Purpose.TREAT, expiresAt, KEY_BUNDLE))
          .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidScope")
          .withArgs(scope);
      });
    }

    for (const purpose of [0, 10, 255]) {
      it(`refuses purpose code ${purpose}`, async () => {
        const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
        const expiresAt = BigInt(await time.latest()) + DAY;
        await expect(ledger.connect(patient).grant(doctor.address, CLINICAL, purpose, expiresAt, KEY_BUNDLE))
          .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidPurpose")
          .withArgs(purpose);
      });
    }

    it("accepts every purpose code from TREAT (1) to PUBHLTH (9)", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      for (const purpose of Object.values(Purpose)) {
        await ledger.connect(patient).grant(doctor.address, CLINICAL, purpose, expiresAt, KEY_BUNDLE);
        expect((await ledger.grantOf(patient.address, doctor.address)).purpose).to.equal(BigInt(purpose));
      }
    });

    it("refuses an expiry equal to the block time", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      const t = await pinNextTimestamp();
      await expect(ledger.connect(patient).grant(doctor.address, CLINICAL, Purpose.TREAT, t, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerExpiryInPast")
        .withArgs(t, t);
    });

    it("accepts an expiry one second after the block time", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      const t = await pinNextTimestamp();
      await expect(ledger.connect(patient).grant(doctor.address, CLINICAL, Purpose.TREAT, t + 1n, KEY_BUNDLE)).to.emit(
        ledger,
        "AccessGranted",
      );
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(true);
    });
  });

  describe("expiry", () => {
    it("is exact to the second: access at expiresAt - 1, none at expiresAt", async () => {
      const { ledger, patient, doctor, expiresAt } = await loadFixture(grantedFixture);
      const before = await mineAt(expiresAt - 1n);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES, { blockTag: before })).to.equal(true);
      const at = await mineAt(expiresAt);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES, { blockTag: at })).to.equal(false);
      expect((await ethers.provider.getBlock(at))!.timestamp).to.equal(Number(expiresAt));
    });

    it("refuses to revoke a grant that expired a second ago", async () => {
      const { ledger, patient, doctor, expiresAt } = await loadFixture(grantedFixture);
      await time.setNextBlockTimestamp(expiresAt);
      await expect(ledger.connect(patient).revoke(doctor.address))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNoGrant")
        .withArgs(patient.address, doctor.address);
    });

    it("lets an expired grant be renewed", async () => {
      const { ledger, patient, doctor, expiresAt } = await loadFixture(grantedFixture);
      await time.increaseTo(expiresAt + 10n);
      await ledger.connect(patient).grant(doctor.address, CLINICAL, Purpose.TREAT, expiresAt + DAY, KEY_BUNDLE);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(true);
    });
  });

  describe("revoke", () => {
    it("zeroes the grant, ends access at once and announces it", async () => {
      const { ledger, patient, doctor } = await loadFixture(grantedFixture);
      await expect(ledger.connect(patient).revoke(doctor.address))
        .to.emit(ledger, "AccessRevoked")
        .withArgs(patient.address, doctor.address, patient.address);
      const g = await ledger.grantOf(patient.address, doctor.address);
      expect([g.expiresAt, g.scope, g.purpose, g.epoch]).to.deep.equal([0n, 0n, 0n, 0n]);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(false);
    });

    it("wins over the remaining time: no access returns while the old expiry is still ahead", async () => {
      const { ledger, patient, doctor, expiresAt } = await loadFixture(grantedFixture);
      await ledger.connect(patient).revoke(doctor.address);
      const bn = await mineAt(expiresAt - 1n);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES, { blockTag: bn })).to.equal(false);
    });

    it("leaves the patient's other grants alone", async () => {
      const { ledger, patient, doctor, lab, expiresAt } = await loadFixture(grantedFixture);
      await ledger.connect(patient).grant(lab.address, scopeOf([Category.LABS]), Purpose.TREAT, expiresAt, KEY_BUNDLE);
      await ledger.connect(patient).revoke(doctor.address);
      expect(await ledger.hasAccess(patient.address, lab.address, Category.LABS)).to.equal(true);
    });

    it("refuses a pair that never had a grant", async () => {
      const { ledger, patient, lab } = await loadFixture(grantedFixture);
      await expect(ledger.connect(patient).revoke(lab.address))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNoGrant")
        .withArgs(patient.address, lab.address);
    });

    it("refuses to revoke twice", async () => {
      const { ledger, patient, doctor } = await loadFixture(grantedFixture);
      await ledger.connect(patient).revoke(doctor.address);
      await expect(ledger.connect(patient).revoke(doctor.address))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNoGrant")
        .withArgs(patient.address, doctor.address);
    });

    it("can revoke the grant of a deactivated provider, so reactivation does not revive it", async () => {
      const { ledger, registry, patient, doctor } = await loadFixture(grantedFixture);
      await registry.deactivateProvider(doctor.address);
      await ledger.connect(patient).revoke(doctor.address);
      await registry.verifyProvider(doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", bytes32Of("k"), false);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(false);
    });
  });

  describe("revokeAll", () => {
    it("cuts every grant at once, moves the epoch and announces it", async () => {
      const { ledger, patient, doctor, lab, expiresAt } = await loadFixture(grantedFixture);
      await ledger.connect(patient).grant(lab.address, scopeOf([Category.LABS]), Purpose.TREAT, expiresAt, KEY_BUNDLE);
      await expect(ledger.connect(patient).revokeAll()).to.emit(ledger, "AllAccessRevoked").withArgs(patient.address, 1, patient.address);
      expect(await ledger.epochOf(patient.address)).to.equal(1n);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(false);
      expect(await ledger.hasAccess(patient.address, lab.address, Category.LABS)).to.equal(false);
    });

    it("leaves other patients' grants alone", async () => {
      const { ledger, patient, patient2, doctor, expiresAt } = await loadFixture(grantedFixture);
      await ledger.connect(patient2).grant(doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE);
      await ledger.connect(patient).revokeAll();
      expect(await ledger.hasAccess(patient2.address, doctor.address, Category.ALLERGIES)).to.equal(true);
    });

    it("makes cut grants unrevocable and lets new grants count again", async () => {
      const { ledger, patient, doctor, expiresAt } = await loadFixture(grantedFixture);
      await ledger.connect(patient).revokeAll();
      await expect(ledger.connect(patient).revoke(doctor.address))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNoGrant")
        .withArgs(patient.address, doctor.address);
      await ledger.connect(patient).grant(doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE);
      expect((await ledger.grantOf(patient.address, doctor.address)).epoch).to.equal(1n);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(true);
    });

    it("works with no grant at all and counts up", async () => {
      const { ledger, patient } = await loadFixture(deployConsentFixture);
      await ledger.connect(patient).revokeAll();
      await expect(ledger.connect(patient).revokeAll()).to.emit(ledger, "AllAccessRevoked").withArgs(patient.address, 2, patient.address);
    });
  });

  describe("provider deactivation", () => {
    it("cuts access of every grant to the provider, and re-verification restores unexpired ones", async () => {
      const { ledger, registry, patient, doctor } = await loadFixture(grantedFixture);
      await registry.deactivateProvider(doctor.address);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(false);
      await registry.verifyProvider(doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", bytes32Of("k"), false);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(true);
    });
  });

  describe("guardian", () => {
    async function guardedFixture() {
      const f = await deployConsentFixture();
      await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
      return f;
    }

    it("is set by the patient and announced", async () => {
      const { ledger, patient, guardian } = await loadFixture(deployConsentFixture);
      await expect(ledger.connect(patient).setGuardian(guardian.address))
        .to.emit(ledger, "GuardianSet")
        .withArgs(patient.address, guardian.address);
      expect(await ledger.guardianOf(patient.address)).to.equal(guardian.address);
    });

    it("cannot be the patient", async () => {
      const { ledger, patient } = await loadFixture(deployConsentFixture);
      await expect(ledger.connect(patient).setGuardian(patient.address))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidGuardian")
        .withArgs(patient.address);
    });

    it("grants for the patient, as actor", async () => {
      const { ledger, patient, guardian, doctor } = await loadFixture(guardedFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(guardian).grantFor(patient.address, doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.emit(ledger, "AccessGranted")
        .withArgs(patient.address, doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE, guardian.address);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.ALLERGIES)).to.equal(true);
    });

    it("applies the same checks to grantFor as to grant", async () => {
      const { ledger, patient, guardian, stranger } = await loadFixture(guardedFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(guardian).grantFor(patient.address, stranger.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerGranteeNotProvider")
        .withArgs(stranger.address);
    });

    it("revokes one grant or all of them for the patient", async () => {
      const { ledger, patient, guardian, doctor } = await loadFixture(guardedFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await ledger.connect(patient).grant(doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE);
      await expect(ledger.connect(guardian).revokeFor(patient.address, doctor.address))
        .to.emit(ledger, "AccessRevoked")
        .withArgs(patient.address, doctor.address, guardian.address);
      await expect(ledger.connect(guardian).revokeAllFor(patient.address))
        .to.emit(ledger, "AllAccessRevoked")
        .withArgs(patient.address, 1, guardian.address);
    });

    it("refuses grantFor, revokeFor and revokeAllFor from anyone else", async () => {
      const { ledger, patient, stranger, doctor } = await loadFixture(guardedFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(stranger).grantFor(patient.address, doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotGuardian")
        .withArgs(patient.address, stranger.address);
      await expect(ledger.connect(stranger).revokeFor(patient.address, doctor.address))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotGuardian")
        .withArgs(patient.address, stranger.address);
      await expect(ledger.connect(stranger).revokeAllFor(patient.address))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotGuardian")
        .withArgs(patient.address, stranger.address);
    });

    it("refuses grantFor when the patient has no guardian, even from the patient", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(patient).grantFor(patient.address, doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotGuardian")
        .withArgs(patient.address, patient.address);
    });

    it("cannot change the patient's guardian: setGuardian only ever sets the caller's own", async () => {
      const { ledger, patient, guardian, stranger } = await loadFixture(guardedFixture);
      await ledger.connect(guardian).setGuardian(stranger.address);
      expect(await ledger.guardianOf(patient.address)).to.equal(guardian.address);
      expect(await ledger.guardianOf(guardian.address)).to.equal(stranger.address);
    });

    it("is removed by the patient, after which it can no longer act", async () => {
      const { ledger, patient, guardian, doctor } = await loadFixture(guardedFixture);
      await expect(ledger.connect(patient).setGuardian(ethers.ZeroAddress))
        .to.emit(ledger, "GuardianSet")
        .withArgs(patient.address, ethers.ZeroAddress);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(guardian).grantFor(patient.address, doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotGuardian")
        .withArgs(patient.address, guardian.address);
    });

    it("is replaced by the patient, and only the new one can act", async () => {
      const { ledger, patient, guardian, stranger, doctor } = await loadFixture(guardedFixture);
      await ledger.connect(patient).setGuardian(stranger.address);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await expect(ledger.connect(guardian).grantFor(patient.address, doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotGuardian")
        .withArgs(patient.address, guardian.address);
      await ledger.connect(stranger).grantFor(patient.address, doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE);
    });
  });

  describe("grantBySig", () => {
    it("grants on the patient's signature relayed by anyone, with the patient as actor, and uses a nonce", async () => {
      const f = await loadFixture(deployConsentFixture);
      const m = await grantMessage(f);
      const sig = await f.signGrant(f.patient, m);
      await expect(relayGrant(f, m, sig))
        .to.emit(f.ledger, "AccessGranted")
        .withArgs(m.patient, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, f.patient.address);
      expect(await f.ledger.nonces(f.patient.address)).to.equal(1n);
      expect(await f.ledger.hasAccess(f.patient.address, f.lab.address, Category.LABS)).to.equal(true);
    });

    it("grants on the guardian's signature, with the guardian as actor", async () => {
      const f = await loadFixture(deployConsentFixture);
      await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
      const m = await grantMessage(f);
      await expect(relayGrant(f, m, await f.signGrant(f.guardian, m)))
        .to.emit(f.ledger, "AccessGranted")
        .withArgs(m.patient, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, f.guardian.address);
      expect(await f.ledger.nonces(f.patient.address)).to.equal(1n);
    });

    it("refuses a signature by someone else", async () => {
      const f = await loadFixture(deployConsentFixture);
      const m = await grantMessage(f);
      await expect(relayGrant(f, m, await f.signGrant(f.stranger, m)))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("refuses a signature by a former guardian", async () => {
      const f = await loadFixture(deployConsentFixture);
      await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
      await f.ledger.connect(f.patient).setGuardian(ethers.ZeroAddress);
      const m = await grantMessage(f);
      await expect(relayGrant(f, m, await f.signGrant(f.guardian, m)))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("refuses a signature over different terms (a wider scope than signed)", async () => {
      const f = await loadFixture(deployConsentFixture);
      const m = await grantMessage(f);
      const sig = await f.signGrant(f.patient, m);
      await expect(relayGrant(f, { ...m, scope: scopeOf([Category.LABS, Category.GENETIC]) }, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("refuses a signature past its deadline, and accepts it at the deadline", async () => {
      const f = await loadFixture(deployConsentFixture);
      const m = await grantMessage(f);
      const sig = await f.signGrant(f.patient, m);
      const snapshotDeadline = m.deadline;
      await time.setNextBlockTimestamp(snapshotDeadline + 1n);
      await expect(relayGrant(f, m, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerExpiredSignature")
        .withArgs(snapshotDeadline);

      const g = await loadFixture(deployConsentFixture);
      const m2 = await grantMessage(g);
      const sig2 = await g.signGrant(g.patient, m2);
      await time.setNextBlockTimestamp(m2.deadline);
      await expect(relayGrant(g, m2, sig2)).to.emit(g.ledger, "AccessGranted");
    });

    it("refuses a replay: the nonce was used", async () => {
      const f = await loadFixture(deployConsentFixture);
      const m = await grantMessage(f);
      const sig = await f.signGrant(f.patient, m);
      await relayGrant(f, m, sig);
      await f.ledger.connect(f.patient).revoke(f.lab.address);
      await expect(relayGrant(f, m, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("refuses a signature for a future nonce", async () => {
      const f = await loadFixture(deployConsentFixture);
      const m = await grantMessage(f, { nonce: 1n });
      await expect(relayGrant(f, m, await f.signGrant(f.patient, m)))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("refuses a malleable (high-s) copy of a valid signature", async () => {
      const f = await loadFixture(deployConsentFixture);
      const m = await grantMessage(f);
      const sig = await f.signGrant(f.patient, m);
      await expect(relayGrant(f, m, malleate(sig)))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("refuses a signature made for another deployment (domain separation)", async () => {
      const f = await loadFixture(deployConsentFixture);
      const other = await ethers.deployContract("ConsentLedger", [await f.registry.getAddress()]);
      const m = await grantMessage(f);
      const sig = await signLedger(f.patient, other, "Grant", m);
      await expect(relayGrant(f, m, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("still applies the grant checks after a valid signature", async () => {
      const f = await loadFixture(deployConsentFixture);
      const m = await grantMessage(f, { grantee: f.stranger.address });
      await expect(relayGrant(f, m, await f.signGrant(f.patient, m)))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerGranteeNotProvider")
        .withArgs(f.stranger.address);
    });

    it("accepts an ERC-1271 smart-account patient", async () => {
      const f = await loadFixture(deployConsentFixture);
      const wallet = await ethers.deployContract("ERC1271WalletMock", [f.patient2.address]);
      const walletAddress = await wallet.getAddress();
      const m = await grantMessage(f, { patient: walletAddress });
      await expect(relayGrant(f, m, await f.signGrant(f.patient2, m)))
        .to.emit(f.ledger, "AccessGranted")
        .withArgs(walletAddress, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, walletAddress);
      expect(await f.ledger.hasAccess(walletAddress, f.lab.address, Category.LABS)).to.equal(true);

      const m2 = await grantMessage(f, { patient: walletAddress });
      await expect(relayGrant(f, m2, await f.signGrant(f.stranger, m2)))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(walletAddress);
    });

    it("accepts an ERC-1271 smart-account guardian", async () => {
      const f = await loadFixture(deployConsentFixture);
      const wallet = await ethers.deployContract("ERC1271WalletMock", [f.guardian.address]);
      await f.ledger.connect(f.patient).setGuardian(await wallet.getAddress());
      const m = await grantMessage(f);
      await expect(relayGrant(f, m, await f.signGrant(f.guardian, m)))
        .to.emit(f.ledger, "AccessGranted")
        .withArgs(m.patient, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, await wallet.getAddress());
    });
  });

  describe("revokeBySig and revokeAllBySig", () => {
    it("revokes on the patient's signature", async () => {
      const f = await loadFixture(grantedFixture);
      const deadline = BigInt(await time.latest()) + HOUR;
      const m = { patient: f.patient.address, grantee: f.doctor.address, nonce: 0n, deadline };
      const sig = await signLedger(f.patient, f.ledger, "Revoke", m);
      await expect(f.ledger.connect(f.relayer).revokeBySig(m.patient, m.grantee, deadline, sig))
        .to.emit(f.ledger, "AccessRevoked")
        .withArgs(f.patient.address, f.doctor.address, f.patient.address);
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.ALLERGIES)).to.equal(false);
      await expect(f.ledger.connect(f.relayer).revokeBySig(m.patient, m.grantee, deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("revokes on the guardian's signature and refuses a stranger's", async () => {
      const f = await loadFixture(grantedFixture);
      await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
      const deadline = BigInt(await time.latest()) + HOUR;
      const m = { patient: f.patient.address, grantee: f.doctor.address, nonce: 0n, deadline };
      await expect(
        f.ledger.connect(f.relayer).revokeBySig(m.patient, m.grantee, deadline, await signLedger(f.stranger, f.ledger, "Revoke", m)),
      )
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
      await expect(
        f.ledger.connect(f.relayer).revokeBySig(m.patient, m.grantee, deadline, await signLedger(f.guardian, f.ledger, "Revoke", m)),
      )
        .to.emit(f.ledger, "AccessRevoked")
        .withArgs(f.patient.address, f.doctor.address, f.guardian.address);
    });

    it("refuses revokeBySig past its deadline", async () => {
      const f = await loadFixture(grantedFixture);
      const deadline = BigInt(await time.latest()) + 5n;
      const m = { patient: f.patient.address, grantee: f.doctor.address, nonce: 0n, deadline };
      const sig = await signLedger(f.patient, f.ledger, "Revoke", m);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.ledger.connect(f.relayer).revokeBySig(m.patient, m.grantee, deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerExpiredSignature")
        .withArgs(deadline);
    });

    it("revokes everything on a RevokeAll signature", async () => {
      const f = await loadFixture(grantedFixture);
      const deadline = BigInt(await time.latest()) + HOUR;
      const m = { patient: f.patient.address, nonce: 0n, deadline };
      const sig = await signLedger(f.patient, f.ledger, "RevokeAll", m);
      await expect(f.ledger.connect(f.relayer).revokeAllBySig(f.patient.address, deadline, sig))
        .to.emit(f.ledger, "AllAccessRevoked")
        .withArgs(f.patient.address, 1, f.patient.address);
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.ALLERGIES)).to.equal(false);
      await expect(f.ledger.connect(f.relayer).revokeAllBySig(f.patient.address, deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("refuses revokeAllBySig past its deadline, leaving the epoch alone", async () => {
      const f = await loadFixture(grantedFixture);
      const deadline = BigInt(await time.latest()) + 5n;
      const sig = await signLedger(f.patient, f.ledger, "RevokeAll", { patient: f.patient.address, nonce: 0n, deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.ledger.connect(f.relayer).revokeAllBySig(f.patient.address, deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerExpiredSignature")
        .withArgs(deadline);
      expect(await f.ledger.epochOf(f.patient.address)).to.equal(0n);
    });
  });

  describe("requests", () => {
    async function requestedFixture() {
      const f = await deployConsentFixture();
      await f.ledger.connect(f.doctor).requestAccess(f.patient.address, CLINICAL, Purpose.TREAT, 30n * DAY);
      return f;
    }

    it("are opened by active providers, numbered from 0 and announced", async () => {
      const { ledger, patient, doctor, lab } = await loadFixture(deployConsentFixture);
      await expect(ledger.connect(doctor).requestAccess(patient.address, CLINICAL, Purpose.TREAT, 30n * DAY))
        .to.emit(ledger, "AccessRequested")
        .withArgs(0, patient.address, doctor.address, CLINICAL, Purpose.TREAT, 30n * DAY);
      await expect(ledger.connect(lab).requestAccess(patient.address, scopeOf([Category.LABS], true), Purpose.TREAT, DAY))
        .to.emit(ledger, "AccessRequested")
        .withArgs(1, patient.address, lab.address, scopeOf([Category.LABS], true), Purpose.TREAT, DAY);
      expect(await ledger.requestCount()).to.equal(2n);
      const r = await ledger.requestOf(0);
      expect(r.requester).to.equal(doctor.address);
      expect(r.patient).to.equal(patient.address);
      expect(r.scope).to.equal(BigInt(CLINICAL));
      expect(r.purpose).to.equal(BigInt(Purpose.TREAT));
      expect(r.duration).to.equal(30n * DAY);
      expect(r.status).to.equal(RequestStatus.Pending);
    });

    it("return the request id from a static call", async () => {
      const { ledger, patient, doctor } = await loadFixture(requestedFixture);
      expect(await ledger.connect(doctor).requestAccess.staticCall(patient.address, CLINICAL, Purpose.TREAT, DAY)).to.equal(1n);
    });

    it("refuse accounts that are not active providers", async () => {
      const { ledger, registry, patient, doctor, stranger } = await loadFixture(deployConsentFixture);
      await expect(ledger.connect(stranger).requestAccess(patient.address, CLINICAL, Purpose.TREAT, DAY))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotProvider")
        .withArgs(stranger.address);
      await registry.deactivateProvider(doctor.address);
      await expect(ledger.connect(doctor).requestAccess(patient.address, CLINICAL, Purpose.TREAT, DAY))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotProvider")
        .withArgs(doctor.address);
    });

    it("refuse a duration of 0 or above 365 days, and accept exactly 365 days", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      for (const duration of [0n, 365n * DAY + 1n]) {
        await expect(ledger.connect(doctor).requestAccess(patient.address, CLINICAL, Purpose.TREAT, duration))
          .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidDuration")
          .withArgs(duration);
      }
      await expect(ledger.connect(doctor).requestAccess(patient.address, CLINICAL, Purpose.TREAT, 365n * DAY)).to.emit(
        ledger,
        "AccessRequested",
      );
    });

    it("refuse an invalid scope, an invalid purpose, a zero patient or oneself as patient", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      await expect(ledger.connect(doctor).requestAccess(patient.address, WRITE, Purpose.TREAT, DAY))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidScope")
        .withArgs(WRITE);
      await expect(ledger.connect(doctor).requestAccess(patient.address, CLINICAL, 0, DAY))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidPurpose")
        .withArgs(0);
      await expect(ledger.connect(doctor).requestAccess(ethers.ZeroAddress, CLINICAL, Purpose.TREAT, DAY))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidPatient")
        .withArgs(ethers.ZeroAddress);
      await expect(ledger.connect(doctor).requestAccess(doctor.address, CLINICAL, Purpose.TREAT, DAY))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidPatient")
        .withArgs(doctor.address);
    });

    it("approved by the patient grant the terms from now for the duration", async () => {
      const { ledger, patient, doctor } = await loadFixture(requestedFixture);
      const t = await pinNextTimestamp();
      const expiresAt = t + 30n * DAY;
      await expect(ledger.connect(patient).approve(0, KEY_BUNDLE))
        .to.emit(ledger, "RequestApproved")
        .withArgs(0, patient.address, doctor.address)
        .and.to.emit(ledger, "AccessGranted")
        .withArgs(patient.address, doctor.address, CLINICAL, Purpose.TREAT, expiresAt, KEY_BUNDLE, patient.address);
      expect((await ledger.requestOf(0)).status).to.equal(RequestStatus.Approved);
      expect((await ledger.grantOf(patient.address, doctor.address)).expiresAt).to.equal(expiresAt);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.MEDICATIONS)).to.equal(true);
    });

    it("approved by the guardian name the guardian as actor", async () => {
      const { ledger, patient, guardian, doctor } = await loadFixture(requestedFixture);
      await ledger.connect(patient).setGuardian(guardian.address);
      const t = await pinNextTimestamp();
      await expect(ledger.connect(guardian).approve(0, KEY_BUNDLE))
        .to.emit(ledger, "AccessGranted")
        .withArgs(patient.address, doctor.address, CLINICAL, Purpose.TREAT, t + 30n * DAY, KEY_BUNDLE, guardian.address);
    });

    it("cannot be answered by anyone but the patient or guardian, including the requester", async () => {
      const { ledger, stranger, doctor } = await loadFixture(requestedFixture);
      await expect(ledger.connect(stranger).approve(0, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotPatient")
        .withArgs(0, stranger.address);
      await expect(ledger.connect(doctor).approve(0, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotPatient")
        .withArgs(0, doctor.address);
      await expect(ledger.connect(stranger).deny(0))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotPatient")
        .withArgs(0, stranger.address);
    });

    it("cannot be answered twice", async () => {
      const { ledger, patient } = await loadFixture(requestedFixture);
      await ledger.connect(patient).approve(0, KEY_BUNDLE);
      await expect(ledger.connect(patient).approve(0, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerRequestNotPending")
        .withArgs(0);
      await expect(ledger.connect(patient).deny(0)).to.be.revertedWithCustomError(ledger, "ConsentLedgerRequestNotPending").withArgs(0);
    });

    it("denied are closed without a grant", async () => {
      const { ledger, patient, doctor } = await loadFixture(requestedFixture);
      await expect(ledger.connect(patient).deny(0))
        .to.emit(ledger, "RequestDenied")
        .withArgs(0, patient.address, doctor.address)
        .and.not.to.emit(ledger, "AccessGranted");
      expect((await ledger.requestOf(0)).status).to.equal(RequestStatus.Denied);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.MEDICATIONS)).to.equal(false);
      await expect(ledger.connect(patient).approve(0, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerRequestNotPending")
        .withArgs(0);
    });

    it("can be denied by the guardian", async () => {
      const { ledger, patient, guardian, doctor } = await loadFixture(requestedFixture);
      await ledger.connect(patient).setGuardian(guardian.address);
      await expect(ledger.connect(guardian).deny(0)).to.emit(ledger, "RequestDenied").withArgs(0, patient.address, doctor.address);
    });

    it("cannot be approved once the provider was deactivated", async () => {
      const { ledger, registry, patient, doctor } = await loadFixture(requestedFixture);
      await registry.deactivateProvider(doctor.address);
      await expect(ledger.connect(patient).approve(0, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerGranteeNotProvider")
        .withArgs(doctor.address);
    });

    it("refuse an unknown id", async () => {
      const { ledger, patient } = await loadFixture(requestedFixture);
      await expect(ledger.connect(patient).approve(1, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerUnknownRequest")
        .withArgs(1);
      await expect(ledger.connect(patient).deny(1)).to.be.revertedWithCustomError(ledger, "ConsentLedgerUnknownRequest").withArgs(1);
      expect((await ledger.requestOf(1)).patient).to.equal(ethers.ZeroAddress);
    });

    it("approved by signature grant with the signer as actor, once", async () => {
      const f = await loadFixture(requestedFixture);
      const deadline = BigInt(await time.latest()) + HOUR;
      const m = { requestId: 0n, keyBundle: KEY_BUNDLE, nonce: 0n, deadline };
      const sig = await signLedger(f.patient, f.ledger, "Approve", m);
      const t = await pinNextTimestamp();
      await expect(f.ledger.connect(f.relayer).approveBySig(0, KEY_BUNDLE, deadline, sig))
        .to.emit(f.ledger, "RequestApproved")
        .withArgs(0, f.patient.address, f.doctor.address)
        .and.to.emit(f.ledger, "AccessGranted")
        .withArgs(f.patient.address, f.doctor.address, CLINICAL, Purpose.TREAT, t + 30n * DAY, KEY_BUNDLE, f.patient.address);
      await expect(f.ledger.connect(f.relayer).approveBySig(0, KEY_BUNDLE, deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerRequestNotPending")
        .withArgs(0);
    });

    it("refuse approveBySig signed by someone else or with another key bundle", async () => {
      const f = await loadFixture(requestedFixture);
      const deadline = BigInt(await time.latest()) + HOUR;
      const m = { requestId: 0n, keyBundle: KEY_BUNDLE, nonce: 0n, deadline };
      await expect(f.ledger.connect(f.relayer).approveBySig(0, KEY_BUNDLE, deadline, await signLedger(f.doctor, f.ledger, "Approve", m)))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
      const sig = await signLedger(f.patient, f.ledger, "Approve", m);
      await expect(f.ledger.connect(f.relayer).approveBySig(0, bytes32Of("other"), deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
    });

    it("denied by signature, including the guardian's", async () => {
      const f = await loadFixture(requestedFixture);
      await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signLedger(f.guardian, f.ledger, "Deny", { requestId: 0n, nonce: 0n, deadline });
      await expect(f.ledger.connect(f.relayer).denyBySig(0, deadline, sig))
        .to.emit(f.ledger, "RequestDenied")
        .withArgs(0, f.patient.address, f.doctor.address);
      expect(await f.ledger.nonces(f.patient.address)).to.equal(1n);
    });

    it("refuse approveBySig past its deadline, leaving the request pending", async () => {
      const f = await loadFixture(requestedFixture);
      const deadline = BigInt(await time.latest()) + 5n;
      const sig = await signLedger(f.patient, f.ledger, "Approve", { requestId: 0n, keyBundle: KEY_BUNDLE, nonce: 0n, deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.ledger.connect(f.relayer).approveBySig(0, KEY_BUNDLE, deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerExpiredSignature")
        .withArgs(deadline);
      expect((await f.ledger.requestOf(0)).status).to.equal(RequestStatus.Pending);
    });

    it("refuse denyBySig past its deadline", async () => {
      const f = await loadFixture(requestedFixture);
      const deadline = BigInt(await time.latest()) + 5n;
      const sig = await signLedger(f.patient, f.ledger, "Deny", { requestId: 0n, nonce: 0n, deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.ledger.connect(f.relayer).denyBySig(0, deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerExpiredSignature")
        .withArgs(deadline);
    });
  });

  describe("encryption keys", () => {
    it("are published by their owner", async () => {
      const { ledger, patient } = await loadFixture(deployConsentFixture);
      const key = bytes32Of("x25519:patient");
      await expect(ledger.connect(patient).setEncryptionKey(key)).to.emit(ledger, "EncryptionKeyPublished").withArgs(patient.address, key);
      expect(await ledger.encryptionKeyOf(patient.address)).to.equal(key);
    });

    it("are published by the patient's signature, never the guardian's", async () => {
      const f = await loadFixture(deployConsentFixture);
      await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
      const key = bytes32Of("x25519:patient");
      const deadline = BigInt(await time.latest()) + HOUR;
      const m = { patient: f.patient.address, key, nonce: 0n, deadline };
      await expect(
        f.ledger
          .connect(f.relayer)
          .setEncryptionKeyBySig(f.patient.address, key, deadline, await signLedger(f.guardian, f.ledger, "SetEncryptionKey", m)),
      )
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(f.patient.address);
      await expect(
        f.ledger
          .connect(f.relayer)
          .setEncryptionKeyBySig(f.patient.address, key, deadline, await signLedger(f.patient, f.ledger, "SetEncryptionKey", m)),
      )
        .to.emit(f.ledger, "EncryptionKeyPublished")
        .withArgs(f.patient.address, key);
    });

    it("are not published by a signature past its deadline", async () => {
      const f = await loadFixture(deployConsentFixture);
      const key = bytes32Of("x25519:patient");
      const deadline = BigInt(await time.latest()) + 5n;
      const sig = await signLedger(f.patient, f.ledger, "SetEncryptionKey", { patient: f.patient.address, key, nonce: 0n, deadline });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.ledger.connect(f.relayer).setEncryptionKeyBySig(f.patient.address, key, deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerExpiredSignature")
        .withArgs(deadline);
      expect(await f.ledger.encryptionKeyOf(f.patient.address)).to.equal(ethers.ZeroHash);
    });
  });

  describe("emergency (break-glass)", () => {
    const WINDOW = 900n;

    async function emergencyFixture() {
      const f = await deployConsentFixture();
      await f.ledger.connect(f.patient).setEmergencyPolicy(true, Number(WINDOW), SUMMARY);
      return f;
    }

    it("policy is set by the patient and announced", async () => {
      const { ledger, patient } = await loadFixture(deployConsentFixture);
      await expect(ledger.connect(patient).setEmergencyPolicy(true, 3600, SUMMARY))
        .to.emit(ledger, "EmergencyPolicySet")
        .withArgs(patient.address, true, 3600, SUMMARY);
      const p = await ledger.emergencyPolicyOf(patient.address);
      expect([p.enabled, p.maxWindow, p.summaryCid]).to.deep.equal([true, 3600n, SUMMARY]);
    });

    it("policy refuses a window of 0 or above one hour when enabled, but not when disabling", async () => {
      const { ledger, patient } = await loadFixture(deployConsentFixture);
      for (const w of [0, 3601]) {
        await expect(ledger.connect(patient).setEmergencyPolicy(true, w, SUMMARY))
          .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidEmergencyWindow")
          .withArgs(w);
      }
      await expect(ledger.connect(patient).setEmergencyPolicy(false, 0, ethers.ZeroHash))
        .to.emit(ledger, "EmergencyPolicySet")
        .withArgs(patient.address, false, 0, ethers.ZeroHash);
    });

    it("opens the emergency summary to an emergency-capable provider for the window, loudly", async () => {
      const { ledger, patient, erDoctor } = await loadFixture(emergencyFixture);
      const t = await pinNextTimestamp();
      await expect(ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG))
        .to.emit(ledger, "EmergencyAccess")
        .withArgs(patient.address, erDoctor.address, Purpose.BTG, t + WINDOW, SUMMARY);
      expect(await ledger.emergencyAccessUntil(patient.address, erDoctor.address)).to.equal(t + WINDOW);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY)).to.equal(true);
    });

    it("opens only the emergency summary, and never write access", async () => {
      const { ledger, patient, erDoctor } = await loadFixture(emergencyFixture);
      await ledger.connect(erDoctor).breakGlass(patient.address, Purpose.ETREAT);
      for (let c = 0; c < Category.EMERGENCY_SUMMARY; c++) {
        expect(await ledger.hasAccess(patient.address, erDoctor.address, c)).to.equal(false, `category ${c}`);
      }
      expect(await ledger.hasWriteAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY)).to.equal(false);
    });

    it("ends exactly at the end of the window", async () => {
      const { ledger, patient, erDoctor } = await loadFixture(emergencyFixture);
      const t = await pinNextTimestamp();
      await ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG);
      const last = await mineAt(t + WINDOW - 1n);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY, { blockTag: last })).to.equal(true);
      const end = await mineAt(t + WINDOW);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY, { blockTag: end })).to.equal(false);
    });

    it("is cut by revokeAll", async () => {
      const { ledger, patient, erDoctor } = await loadFixture(emergencyFixture);
      await ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG);
      await ledger.connect(patient).revokeAll();
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY)).to.equal(false);
      expect(await ledger.emergencyAccessUntil(patient.address, erDoctor.address)).to.equal(0n);
    });

    it("is cut when the provider is deactivated", async () => {
      const { ledger, registry, patient, erDoctor } = await loadFixture(emergencyFixture);
      await ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG);
      await registry.deactivateProvider(erDoctor.address);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY)).to.equal(false);
    });

    it("does not widen a normal grant's other categories", async () => {
      const { ledger, patient, erDoctor } = await loadFixture(emergencyFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await ledger.connect(patient).grant(erDoctor.address, scopeOf([Category.LABS]), Purpose.TREAT, expiresAt, KEY_BUNDLE);
      await ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.LABS)).to.equal(true);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY)).to.equal(true);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.ALLERGIES)).to.equal(false);
    });

    it("refuses providers that are not emergency-capable, and strangers", async () => {
      const { ledger, patient, doctor, stranger } = await loadFixture(emergencyFixture);
      for (const who of [doctor, stranger] as HardhatEthersSigner[]) {
        await expect(ledger.connect(who).breakGlass(patient.address, Purpose.BTG))
          .to.be.revertedWithCustomError(ledger, "ConsentLedgerNotEmergencyProvider")
          .withArgs(who.address);
      }
    });

    it("refuses a patient who did not enable it, or disabled it", async () => {
      const { ledger, patient, patient2, erDoctor } = await loadFixture(emergencyFixture);
      await expect(ledger.connect(erDoctor).breakGlass(patient2.address, Purpose.BTG))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerEmergencyDisabled")
        .withArgs(patient2.address);
      await ledger.connect(patient).setEmergencyPolicy(false, 0, ethers.ZeroHash);
      await expect(ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerEmergencyDisabled")
        .withArgs(patient.address);
    });

    for (const reason of [0, Purpose.TREAT, Purpose.HPAYMT, Purpose.PUBHLTH, 10]) {
      it(`refuses reason code ${reason}`, async () => {
        const { ledger, patient, erDoctor } = await loadFixture(emergencyFixture);
        await expect(ledger.connect(erDoctor).breakGlass(patient.address, reason))
          .to.be.revertedWithCustomError(ledger, "ConsentLedgerInvalidEmergencyReason")
          .withArgs(reason);
      });
    }
  });

  describe("hasWriteAccess", () => {
    it("needs the WRITE flag and the category", async () => {
      const { ledger, patient, doctor, lab } = await loadFixture(deployConsentFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      await ledger.connect(patient).grant(doctor.address, scopeOf([Category.NOTES], true), Purpose.TREAT, expiresAt, KEY_BUNDLE);
      await ledger.connect(patient).grant(lab.address, scopeOf([Category.LABS]), Purpose.TREAT, expiresAt, KEY_BUNDLE);
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, Category.NOTES)).to.equal(true);
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, Category.LABS)).to.equal(false);
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, 31)).to.equal(false);
      expect(await ledger.hasWriteAccess(patient.address, lab.address, Category.LABS)).to.equal(false);
      expect(await ledger.hasAccess(patient.address, lab.address, Category.LABS)).to.equal(true);
    });

    it("ends with expiry, revocation and deactivation like read access", async () => {
      const { ledger, registry, patient, doctor } = await loadFixture(deployConsentFixture);
      const expiresAt = BigInt(await time.latest()) + DAY;
      const scope = scopeOf([Category.NOTES], true);
      await ledger.connect(patient).grant(doctor.address, scope, Purpose.TREAT, expiresAt, KEY_BUNDLE);
      await registry.deactivateProvider(doctor.address);
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, Category.NOTES)).to.equal(false);
      await registry.verifyProvider(doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", bytes32Of("k"), false);
      await ledger.connect(patient).revokeAll();
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, Category.NOTES)).to.equal(false);
      await ledger.connect(patient).grant(doctor.address, scope, Purpose.TREAT, expiresAt, KEY_BUNDLE);
      const at = await mineAt(expiresAt);
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, Category.NOTES, { blockTag: at })).to.equal(false);
    });
  });

  describe("EIP-712 types", () => {
    it("match the type strings the contract hashes", async () => {
      // Guards the off-chain type definitions: a mismatch would make every relayed signature fail.
      expect(ethers.TypedDataEncoder.from({ Grant: [...LEDGER_TYPES.Grant] }).encodeType("Grant")).to.equal(
        "Grant(address patient,address grantee,uint32 scope,uint8 purpose,uint64 expiresAt,bytes32 keyBundle,uint256 nonce,uint256 deadline)",
      );
      expect(ethers.TypedDataEncoder.from({ Approve: [...LEDGER_TYPES.Approve] }).encodeType("Approve")).to.equal(
        "Approve(uint256 requestId,bytes32 keyBundle,uint256 nonce,uint256 deadline)",
      );
    });
  });
});
