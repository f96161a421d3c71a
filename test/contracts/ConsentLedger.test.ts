import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import { shouldBehaveLikeGrant, type GrantTerms } from "./ConsentLedger.grant.behavior";
import {
  CLINICAL,
  Category,
  DAY,
  HOUR,
  KEY_BUNDLE,
  LEDGER_TYPES,
  OWN_PUBLICATIONS,
  ProviderKind,
  Purpose,
  RequestStatus,
  WRITE,
  bytes32Of,
  deployConsentFixture,
  domainOf,
  malleate,
  pinNextTimestamp,
  scopeOf,
  signLedger,
  signOwnPublication,
  type ConsentFixture,
  type OwnPublication,
  type GrantMessage,
} from "./fixtures";

const SUMMARY = bytes32Of("emergency-summary");

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

/** A Grant message and a signature for it. */
interface SignedGrant {
  m: GrantMessage;
  sig: string;
}

/** Builds a Grant message (see {@link grantMessage}) and signs it with `signer`. */
async function signedGrant(f: ConsentFixture, signer: HardhatEthersSigner, overrides: Partial<GrantMessage> = {}): Promise<SignedGrant> {
  const m = await grantMessage(f, overrides);
  return { m, sig: await f.signGrant(signer, m) };
}

/** Relays a signed Grant. */
function relayGrant(f: ConsentFixture, m: GrantMessage, signature: string) {
  return f.ledger.connect(f.relayer).grantBySig(m.patient, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, m.deadline, signature);
}

/** `fixture` with the patient's guardian appointed; keep the answer, as loadFixture snapshots each function once. */
function guarded<F extends ConsentFixture>(fixture: () => Promise<F>): () => Promise<F> {
  return async function guardedFixture() {
    const f = await fixture();
    await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
    return f;
  };
}

/** The fixture with the patient's guardian appointed. */
const guardedFixture = guarded(deployConsentFixture);
/** {@link grantedFixture} with the patient's guardian appointed. */
const guardedGrantFixture = guarded(grantedFixture);

/** Re-verifies a provider of the fixture as an ordinary clinician (after a deactivation). */
function reverify(f: ConsentFixture, provider: string) {
  return f.registry.verifyProvider(provider, bytes32Of("lic"), "Re-verified provider", ProviderKind.CLINICIAN, false);
}

/** The patient granting directly. */
const BY_PATIENT = {
  name: "grant",
  fixture: deployConsentFixture,
  send: (f: ConsentFixture, t: GrantTerms) => f.ledger.connect(f.patient).grant(t.grantee, t.scope, t.purpose, t.expiresAt, t.keyBundle),
  actor: (f: ConsentFixture) => f.patient.address,
} as const;

/** The patient's guardian granting for them. */
const BY_GUARDIAN = {
  name: "grantFor",
  fixture: guardedFixture,
  send: (f: ConsentFixture, t: GrantTerms) =>
    f.ledger.connect(f.guardian).grantFor(f.patient.address, t.grantee, t.scope, t.purpose, t.expiresAt, t.keyBundle),
  actor: (f: ConsentFixture) => f.guardian.address,
} as const;

/** A relayer submitting the patient's signed grant. */
const BY_SIGNATURE = {
  name: "grantBySig",
  fixture: deployConsentFixture,
  send: async (f: ConsentFixture, t: GrantTerms) => {
    const m: GrantMessage = {
      patient: f.patient.address,
      ...t,
      nonce: await f.ledger.nonces(f.patient.address),
      deadline: BigInt(await time.latest()) + HOUR,
    };
    return relayGrant(f, m, await f.signGrant(f.patient, m));
  },
  actor: (f: ConsentFixture) => f.patient.address,
} as const;

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

  shouldBehaveLikeGrant(BY_PATIENT);
  shouldBehaveLikeGrant(BY_GUARDIAN);
  shouldBehaveLikeGrant(BY_SIGNATURE);

  describe("hasAccess", () => {
    it("answers false, not a revert, for a category above MAX_CATEGORY", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      await ledger.connect(patient).grant(doctor.address, scopeOf([0, 12]), Purpose.TREAT, BigInt(await time.latest()) + DAY, KEY_BUNDLE);
      expect(await ledger.hasAccess(patient.address, doctor.address, 12)).to.equal(true);
      expect(await ledger.hasAccess(patient.address, doctor.address, 13)).to.equal(false);
      expect(await ledger.hasAccess(patient.address, doctor.address, 31)).to.equal(false);
      expect(await ledger.hasAccess(patient.address, doctor.address, 255)).to.equal(false);
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

    it("finds nothing to revoke once the provider was deactivated: the grant is already over", async () => {
      const f = await loadFixture(grantedFixture);
      await f.registry.deactivateProvider(f.doctor.address);
      await expect(f.ledger.connect(f.patient).revoke(f.doctor.address))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerNoGrant")
        .withArgs(f.patient.address, f.doctor.address);
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
    it("ends every grant to the provider at once", async () => {
      const f = await loadFixture(grantedFixture);
      await f.ledger.connect(f.patient2).grant(f.doctor.address, scopeOf([Category.NOTES], true), Purpose.TREAT, f.expiresAt, KEY_BUNDLE);
      await f.registry.deactivateProvider(f.doctor.address);
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.ALLERGIES)).to.equal(false);
      expect(await f.ledger.hasAccess(f.patient2.address, f.doctor.address, Category.NOTES)).to.equal(false);
      expect(await f.ledger.hasWriteAccess(f.patient2.address, f.doctor.address, Category.NOTES)).to.equal(false);
    });

    it("is for good: re-verifying the provider does not revive the old grant, which cannot be revoked either", async () => {
      const f = await loadFixture(grantedFixture);
      await f.ledger.connect(f.patient).grant(f.doctor.address, scopeOf([Category.NOTES], true), Purpose.TREAT, f.expiresAt, KEY_BUNDLE);
      await f.registry.deactivateProvider(f.doctor.address);
      await reverify(f, f.doctor.address);
      expect(await f.registry.isActive(f.doctor.address)).to.equal(true);
      // The grant is still stored, unexpired and of the patient's epoch, but of the provider's previous generation.
      const g = await f.ledger.grantOf(f.patient.address, f.doctor.address);
      expect([g.epoch, g.providerGeneration, g.expiresAt > BigInt(await time.latest())]).to.deep.equal([0n, 0n, true]);
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.NOTES)).to.equal(false);
      expect(await f.ledger.hasWriteAccess(f.patient.address, f.doctor.address, Category.NOTES)).to.equal(false);
      await expect(f.ledger.connect(f.patient).revoke(f.doctor.address))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerNoGrant")
        .withArgs(f.patient.address, f.doctor.address);
    });

    it("lets the patient grant the re-verified provider again, and that grant counts", async () => {
      const f = await loadFixture(grantedFixture);
      await f.registry.deactivateProvider(f.doctor.address);
      await reverify(f, f.doctor.address);
      await expect(f.ledger.connect(f.patient).grant(f.doctor.address, CLINICAL, Purpose.TREAT, f.expiresAt, KEY_BUNDLE))
        .to.emit(f.ledger, "AccessGranted")
        .withArgs(f.patient.address, f.doctor.address, CLINICAL, Purpose.TREAT, f.expiresAt, KEY_BUNDLE, f.patient.address);
      expect((await f.ledger.grantOf(f.patient.address, f.doctor.address)).providerGeneration).to.equal(1n);
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.ALLERGIES)).to.equal(true);
      await expect(f.ledger.connect(f.patient).revoke(f.doctor.address))
        .to.emit(f.ledger, "AccessRevoked")
        .withArgs(f.patient.address, f.doctor.address, f.patient.address);
    });

    it("leaves grants to other providers alone", async () => {
      const f = await loadFixture(grantedFixture);
      await f.ledger.connect(f.patient).grant(f.lab.address, scopeOf([Category.LABS]), Purpose.TREAT, f.expiresAt, KEY_BUNDLE);
      await f.registry.deactivateProvider(f.doctor.address);
      expect(await f.ledger.hasAccess(f.patient.address, f.lab.address, Category.LABS)).to.equal(true);
    });
  });

  describe("guardian", () => {
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
      const f = await loadFixture(guardedFixture);
      const m = await grantMessage(f);
      await expect(relayGrant(f, m, await f.signGrant(f.guardian, m)))
        .to.emit(f.ledger, "AccessGranted")
        .withArgs(m.patient, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, f.guardian.address);
      expect(await f.ledger.nonces(f.patient.address)).to.equal(1n);
    });

    // Signatures by nobody allowed to sign for the patient, as the ledger sees them: how each is made.
    const NOT_THE_SIGNERS: [string, (f: ConsentFixture) => Promise<SignedGrant>][] = [
      ["a signature by someone else", (f) => signedGrant(f, f.stranger)],
      [
        "a signature by a former guardian",
        async (f) => {
          await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
          await f.ledger.connect(f.patient).setGuardian(ethers.ZeroAddress);
          return signedGrant(f, f.guardian);
        },
      ],
      [
        "a signature over different terms (a wider scope than signed)",
        async (f) => {
          const { m, sig } = await signedGrant(f, f.patient);
          return { m: { ...m, scope: scopeOf([Category.LABS, Category.GENETIC]) }, sig };
        },
      ],
      [
        "a replay: the nonce was used",
        async (f) => {
          const { m, sig } = await signedGrant(f, f.patient);
          await relayGrant(f, m, sig);
          await f.ledger.connect(f.patient).revoke(f.lab.address);
          return { m, sig };
        },
      ],
      ["a signature for a future nonce", (f) => signedGrant(f, f.patient, { nonce: 1n })],
      [
        "a malleable (high-s) copy of a valid signature",
        async (f) => {
          const { m, sig } = await signedGrant(f, f.patient);
          return { m, sig: malleate(sig) };
        },
      ],
      [
        "a signature made for another deployment (domain separation)",
        async (f) => {
          const other = await ethers.deployContract("ConsentLedger", [await f.registry.getAddress()]);
          const m = await grantMessage(f);
          return { m, sig: await signLedger(f.patient, other, "Grant", m) };
        },
      ],
    ];
    for (const [what, make] of NOT_THE_SIGNERS) {
      it(`refuses ${what}`, async () => {
        const f = await loadFixture(deployConsentFixture);
        const { m, sig } = await make(f);
        await expect(relayGrant(f, m, sig))
          .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
          .withArgs(f.patient.address);
      });
    }

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

    it("leaves the nonce unused when the grant checks refuse a valid signature", async () => {
      const f = await loadFixture(deployConsentFixture);
      const m = await grantMessage(f, { grantee: f.stranger.address });
      await expect(relayGrant(f, m, await f.signGrant(f.patient, m)))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerGranteeNotProvider")
        .withArgs(f.stranger.address);
      expect(await f.ledger.nonces(f.patient.address)).to.equal(0n);
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
      const f = await loadFixture(guardedGrantFixture);
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
    const guardedRequestFixture = guarded(requestedFixture);

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
      const { ledger, patient, guardian, doctor } = await loadFixture(guardedRequestFixture);
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

    it("denied are closed without a grant, with the patient as actor", async () => {
      const { ledger, patient, doctor } = await loadFixture(requestedFixture);
      await expect(ledger.connect(patient).deny(0))
        .to.emit(ledger, "RequestDenied")
        .withArgs(0, patient.address, doctor.address, patient.address)
        .and.not.to.emit(ledger, "AccessGranted");
      expect((await ledger.requestOf(0)).status).to.equal(RequestStatus.Denied);
      expect(await ledger.hasAccess(patient.address, doctor.address, Category.MEDICATIONS)).to.equal(false);
      await expect(ledger.connect(patient).approve(0, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerRequestNotPending")
        .withArgs(0);
    });

    it("can be denied by the guardian, named as actor", async () => {
      const { ledger, patient, guardian, doctor } = await loadFixture(guardedRequestFixture);
      await expect(ledger.connect(guardian).deny(0))
        .to.emit(ledger, "RequestDenied")
        .withArgs(0, patient.address, doctor.address, guardian.address);
    });

    it("cannot be approved once the provider was deactivated", async () => {
      const { ledger, registry, patient, doctor } = await loadFixture(requestedFixture);
      await registry.deactivateProvider(doctor.address);
      await expect(ledger.connect(patient).approve(0, KEY_BUNDLE))
        .to.be.revertedWithCustomError(ledger, "ConsentLedgerGranteeNotProvider")
        .withArgs(doctor.address);
    });

    it("approved after the provider was re-verified grant under its new generation", async () => {
      const f = await loadFixture(requestedFixture);
      await f.registry.deactivateProvider(f.doctor.address);
      await reverify(f, f.doctor.address);
      await f.ledger.connect(f.patient).approve(0, KEY_BUNDLE);
      expect((await f.ledger.grantOf(f.patient.address, f.doctor.address)).providerGeneration).to.equal(1n);
      expect(await f.ledger.hasAccess(f.patient.address, f.doctor.address, Category.MEDICATIONS)).to.equal(true);
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

    for (const [who, fixture] of [
      ["guardian", guardedRequestFixture],
      ["patient", requestedFixture],
    ] as const) {
      it(`denied by signature name the signer as actor: the ${who}'s`, async () => {
        const f = await loadFixture(fixture);
        const deadline = BigInt(await time.latest()) + HOUR;
        const sig = await signLedger(f[who], f.ledger, "Deny", { requestId: 0n, nonce: 0n, deadline });
        await expect(f.ledger.connect(f.relayer).denyBySig(0, deadline, sig))
          .to.emit(f.ledger, "RequestDenied")
          .withArgs(0, f.patient.address, f.doctor.address, f[who].address);
        expect(await f.ledger.nonces(f.patient.address)).to.equal(1n);
      });
    }

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
    const KEY = bytes32Of("x25519:own");

    /** Signs `SetEncryptionKey` of `account` publishing `key`, with `signer`'s key and `account`'s nonce. */
    async function signKey(f: ConsentFixture, signer: HardhatEthersSigner, account: string, key: string, deadline?: bigint) {
      const d = deadline ?? BigInt(await time.latest()) + HOUR;
      const sig = await signLedger(signer, f.ledger, "SetEncryptionKey", {
        account,
        key,
        nonce: await f.ledger.nonces(account),
        deadline: d,
      });
      return { deadline: d, sig };
    }

    it("are published by their owner, patient or provider alike", async () => {
      const { ledger, patient, doctor } = await loadFixture(deployConsentFixture);
      for (const account of [patient, doctor]) {
        const key = bytes32Of(`x25519:${account.address}`);
        await expect(ledger.connect(account).setEncryptionKey(key))
          .to.emit(ledger, "EncryptionKeyPublished")
          .withArgs(account.address, key);
        expect(await ledger.encryptionKeyOf(account.address)).to.equal(key);
      }
    });

    it("of a provider are changed only by the provider: not by the registrar's call, signature or re-verification", async () => {
      const f = await loadFixture(deployConsentFixture);
      await f.ledger.connect(f.doctor).setEncryptionKey(KEY);
      // The registry has no key to set: re-verifying the provider leaves the ledger's key alone.
      await f.registry
        .connect(f.registrar)
        .verifyProvider(f.doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", ProviderKind.CLINICIAN, true);
      // The registrar's own call only ever sets the registrar's own key.
      await f.ledger.connect(f.registrar).setEncryptionKey(bytes32Of("x25519:registrar"));
      // A signature by the registrar (or by the doctor's guardian, were one appointed) is refused.
      await f.ledger.connect(f.doctor).setGuardian(f.guardian.address);
      for (const signer of [f.registrar, f.guardian]) {
        const { deadline, sig } = await signKey(f, signer, f.doctor.address, bytes32Of("x25519:substituted"));
        await expect(f.ledger.connect(f.relayer).setEncryptionKeyBySig(f.doctor.address, bytes32Of("x25519:substituted"), deadline, sig))
          .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
          .withArgs(f.doctor.address);
      }
      expect(await f.ledger.encryptionKeyOf(f.doctor.address)).to.equal(KEY);
      expect(await f.ledger.encryptionKeyOf(f.registrar.address)).to.equal(bytes32Of("x25519:registrar"));
    });

    it("are not published by a signature past its deadline", async () => {
      const f = await loadFixture(deployConsentFixture);
      const { deadline, sig } = await signKey(f, f.patient, f.patient.address, KEY, BigInt(await time.latest()) + 5n);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.ledger.connect(f.relayer).setEncryptionKeyBySig(f.patient.address, KEY, deadline, sig))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerExpiredSignature")
        .withArgs(deadline);
      expect(await f.ledger.encryptionKeyOf(f.patient.address)).to.equal(ethers.ZeroHash);
    });
  });

  describe("key directories", () => {
    const DIRECTORY = bytes32Of("key-directory:v1");

    it("are published by the patient and announced", async () => {
      const { ledger, patient } = await loadFixture(deployConsentFixture);
      expect(await ledger.keyDirectoryOf(patient.address)).to.equal(ethers.ZeroHash);
      await expect(ledger.connect(patient).setKeyDirectory(DIRECTORY))
        .to.emit(ledger, "KeyDirectoryPublished")
        .withArgs(patient.address, DIRECTORY);
      expect(await ledger.keyDirectoryOf(patient.address)).to.equal(DIRECTORY);
    });

    it("are replaced by the next one the patient publishes (a key rotation)", async () => {
      const { ledger, patient } = await loadFixture(deployConsentFixture);
      await ledger.connect(patient).setKeyDirectory(DIRECTORY);
      await ledger.connect(patient).setKeyDirectory(bytes32Of("key-directory:v2"));
      expect(await ledger.keyDirectoryOf(patient.address)).to.equal(bytes32Of("key-directory:v2"));
    });

    it("are only ever the caller's own when set directly: a guardian's call sets its own", async () => {
      const f = await loadFixture(guardedFixture);
      await f.ledger.connect(f.guardian).setKeyDirectory(DIRECTORY);
      expect(await f.ledger.keyDirectoryOf(f.patient.address)).to.equal(ethers.ZeroHash);
      expect(await f.ledger.keyDirectoryOf(f.guardian.address)).to.equal(DIRECTORY);
    });
  });

  // The encryption key and the key directory are an account's own: published by its own signature, never another's.
  for (const fn of Object.keys(OWN_PUBLICATIONS) as OwnPublication[]) {
    const { what, event, view } = OWN_PUBLICATIONS[fn];

    describe(`${what} published by signature (${fn})`, () => {
      const VALUE = bytes32Of(`${what}:own`);

      it("is published by the account's own signature, relayed by anyone, once, patient or provider alike", async () => {
        const f = await loadFixture(deployConsentFixture);
        for (const account of [f.patient.address, f.doctor.address]) {
          const signer = account === f.patient.address ? f.patient : f.doctor;
          const deadline = BigInt(await time.latest()) + HOUR;
          const sig = await signOwnPublication(signer, f.ledger, fn, account, VALUE, 0n, deadline);
          const relay = () => f.ledger.connect(f.relayer)[fn](account, VALUE, deadline, sig);
          await expect(relay()).to.emit(f.ledger, event).withArgs(account, VALUE);
          expect(await f.ledger[view](account)).to.equal(VALUE);
          expect(await f.ledger.nonces(account)).to.equal(1n);
          await expect(relay()).to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner").withArgs(account);
        }
      });

      it("of a patient is never published on the guardian's signature, nor anyone else's", async () => {
        const f = await loadFixture(guardedFixture);
        const deadline = BigInt(await time.latest()) + HOUR;
        for (const signer of [f.guardian, f.stranger, f.registrar]) {
          const sig = await signOwnPublication(signer, f.ledger, fn, f.patient.address, VALUE, 0n, deadline);
          await expect(f.ledger.connect(f.relayer)[fn](f.patient.address, VALUE, deadline, sig))
            .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
            .withArgs(f.patient.address);
        }
        expect(await f.ledger[view](f.patient.address)).to.equal(ethers.ZeroHash);
      });
    });
  }

  describe("signature deadlines", () => {
    it("expose the cap and the ERC-1271 gas bound as constants", async () => {
      const { ledger } = await loadFixture(deployConsentFixture);
      expect(await ledger.MAX_SIGNATURE_LIFETIME()).to.equal(DAY);
      expect(await ledger.ERC1271_GAS_LIMIT()).to.equal(100_000n);
    });

    /** Every signed ledger action, relayed with `deadline`, signed by the patient with the right nonce. */
    const SIGNED: { name: string; relay: (f: ConsentFixture, deadline: bigint) => Promise<ContractTransactionResponse> }[] = [
      {
        name: "grantBySig",
        relay: async (f, deadline) => {
          const m = await grantMessage(f, { deadline, expiresAt: deadline + DAY });
          return relayGrant(f, m, await f.signGrant(f.patient, m));
        },
      },
      {
        name: "revokeBySig",
        relay: async (f, deadline) => {
          const sig = await signLedger(f.patient, f.ledger, "Revoke", {
            patient: f.patient.address,
            grantee: f.doctor.address,
            nonce: 0n,
            deadline,
          });
          return f.ledger.connect(f.relayer).revokeBySig(f.patient.address, f.doctor.address, deadline, sig);
        },
      },
      {
        name: "revokeAllBySig",
        relay: async (f, deadline) => {
          const sig = await signLedger(f.patient, f.ledger, "RevokeAll", { patient: f.patient.address, nonce: 0n, deadline });
          return f.ledger.connect(f.relayer).revokeAllBySig(f.patient.address, deadline, sig);
        },
      },
      {
        name: "approveBySig",
        relay: async (f, deadline) => {
          const sig = await signLedger(f.patient, f.ledger, "Approve", { requestId: 0n, keyBundle: KEY_BUNDLE, nonce: 0n, deadline });
          return f.ledger.connect(f.relayer).approveBySig(0, KEY_BUNDLE, deadline, sig);
        },
      },
      {
        name: "denyBySig",
        relay: async (f, deadline) => {
          const sig = await signLedger(f.patient, f.ledger, "Deny", { requestId: 1n, nonce: 0n, deadline });
          return f.ledger.connect(f.relayer).denyBySig(1, deadline, sig);
        },
      },
      ...(Object.keys(OWN_PUBLICATIONS) as OwnPublication[]).map((fn) => ({
        name: fn,
        relay: async (f: ConsentFixture, deadline: bigint) => {
          const value = bytes32Of(fn);
          const sig = await signOwnPublication(f.patient, f.ledger, fn, f.patient.address, value, 0n, deadline);
          return f.ledger.connect(f.relayer)[fn](f.patient.address, value, deadline, sig);
        },
      })),
    ];

    /** A grant to the doctor to revoke, and two pending requests (0 and 1) to answer. */
    async function signedActionsFixture() {
      const f = await deployConsentFixture();
      await f.ledger
        .connect(f.patient)
        .grant(f.doctor.address, CLINICAL, Purpose.TREAT, BigInt(await time.latest()) + 2n * DAY, KEY_BUNDLE);
      await f.ledger.connect(f.lab).requestAccess(f.patient.address, CLINICAL, Purpose.TREAT, DAY);
      await f.ledger.connect(f.lab).requestAccess(f.patient.address, CLINICAL, Purpose.TREAT, DAY);
      return f;
    }

    for (const action of SIGNED) {
      it(`${action.name} refuses a deadline more than a day ahead, naming the latest allowed`, async () => {
        const f = await loadFixture(signedActionsFixture);
        const t = await pinNextTimestamp();
        const deadline = t + DAY + 1n;
        await expect(action.relay(f, deadline))
          .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerDeadlineTooFar")
          .withArgs(deadline, t + DAY);
        expect(await f.ledger.nonces(f.patient.address)).to.equal(0n);
      });

      it(`${action.name} accepts a deadline exactly a day ahead`, async () => {
        const f = await loadFixture(signedActionsFixture);
        const t = await pinNextTimestamp();
        await (await action.relay(f, t + DAY)).wait();
        expect(await f.ledger.nonces(f.patient.address)).to.equal(1n);
      });
    }
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

    it("is cut for good when the provider is deactivated, even if re-verified within the window", async () => {
      const { ledger, registry, patient, erDoctor } = await loadFixture(emergencyFixture);
      await ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG);
      await registry.deactivateProvider(erDoctor.address);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY)).to.equal(false);
      expect(await ledger.emergencyAccessUntil(patient.address, erDoctor.address)).to.equal(0n);
      await registry.verifyProvider(erDoctor.address, bytes32Of("licence:er"), "St. Mary ER", ProviderKind.CLINICIAN, true);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY)).to.equal(false);
      expect(await ledger.emergencyAccessUntil(patient.address, erDoctor.address)).to.equal(0n);
      // Breaking the glass again opens a window of the new generation.
      const t = await pinNextTimestamp();
      await ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG);
      expect(await ledger.hasAccess(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY)).to.equal(true);
      expect(await ledger.emergencyAccessUntil(patient.address, erDoctor.address)).to.equal(t + WINDOW);
    });

    it("is cut when the registrar withdraws the provider's emergency flag", async () => {
      const { ledger, registry, patient, erDoctor } = await loadFixture(emergencyFixture);
      await ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG);
      await registry.verifyProvider(erDoctor.address, bytes32Of("licence:er"), "St. Mary ER", ProviderKind.CLINICIAN, false);
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
      await registry.verifyProvider(doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", ProviderKind.CLINICIAN, false);
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, Category.NOTES)).to.equal(false);
      await ledger.connect(patient).grant(doctor.address, scope, Purpose.TREAT, expiresAt, KEY_BUNDLE);
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, Category.NOTES)).to.equal(true);
      await ledger.connect(patient).revokeAll();
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, Category.NOTES)).to.equal(false);
      await ledger.connect(patient).grant(doctor.address, scope, Purpose.TREAT, expiresAt, KEY_BUNDLE);
      const at = await mineAt(expiresAt);
      expect(await ledger.hasWriteAccess(patient.address, doctor.address, Category.NOTES, { blockTag: at })).to.equal(false);
    });
  });

  describe("EIP-712 types", () => {
    it("match the type strings the contract hashes", async () => {
      // Guards the off-chain type definitions: a mismatch would make every relayed signature fail. Each signed action
      // is also exercised above with these very types, so a hash mismatch would fail there too.
      const expected: Record<keyof typeof LEDGER_TYPES, string> = {
        Grant:
          "Grant(address patient,address grantee,uint32 scope,uint8 purpose,uint64 expiresAt,bytes32 keyBundle,uint256 nonce,uint256 deadline)",
        Revoke: "Revoke(address patient,address grantee,uint256 nonce,uint256 deadline)",
        RevokeAll: "RevokeAll(address patient,uint256 nonce,uint256 deadline)",
        Approve: "Approve(uint256 requestId,bytes32 keyBundle,uint256 nonce,uint256 deadline)",
        Deny: "Deny(uint256 requestId,uint256 nonce,uint256 deadline)",
        SetEncryptionKey: "SetEncryptionKey(address account,bytes32 key,uint256 nonce,uint256 deadline)",
        SetKeyDirectory: "SetKeyDirectory(address patient,bytes32 digest,uint256 nonce,uint256 deadline)",
      };
      for (const [name, type] of Object.entries(expected) as [keyof typeof LEDGER_TYPES, string][]) {
        expect(ethers.TypedDataEncoder.from({ [name]: [...LEDGER_TYPES[name]] }).encodeType(name)).to.equal(type);
      }
    });
  });
});
