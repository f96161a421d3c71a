import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ProviderKind, bytes32Of, deployConsentFixture } from "./fixtures";

describe("ProviderRegistry", () => {
  describe("deployment", () => {
    it("gives the admin DEFAULT_ADMIN_ROLE and REGISTRAR_ROLE", async () => {
      const { registry, admin } = await loadFixture(deployConsentFixture);
      expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), admin.address)).to.equal(true);
      expect(await registry.hasRole(await registry.REGISTRAR_ROLE(), admin.address)).to.equal(true);
    });

    it("names its roles after their keccak256 labels", async () => {
      const { registry } = await loadFixture(deployConsentFixture);
      expect(await registry.REGISTRAR_ROLE()).to.equal(ethers.id("REGISTRAR_ROLE"));
      expect(await registry.AUDITOR_ROLE()).to.equal(ethers.id("AUDITOR_ROLE"));
      expect(await registry.GATEWAY_ROLE()).to.equal(ethers.id("GATEWAY_ROLE"));
    });

    it("refuses a zero admin", async () => {
      const { registry } = await loadFixture(deployConsentFixture);
      const factory = await ethers.getContractFactory("ProviderRegistry");
      await expect(factory.deploy(ethers.ZeroAddress)).to.be.revertedWithCustomError(registry, "ProviderRegistryZeroAddress");
    });
  });

  describe("verifyProvider", () => {
    it("stores the provider as active in generation 0 and announces it with the registrar", async () => {
      const { registry, registrar, stranger } = await loadFixture(deployConsentFixture);
      await expect(registry.verifyProvider(stranger.address, bytes32Of("lic"), "Main Street Pharmacy", ProviderKind.PHARMACY, true))
        .to.emit(registry, "ProviderVerified")
        .withArgs(stranger.address, bytes32Of("lic"), "Main Street Pharmacy", ProviderKind.PHARMACY, true, 0, registrar.address);
      const p = await registry.providerOf(stranger.address);
      expect([p.active, p.emergencyCapable, p.kind, p.generation, p.licenceHash, p.name]).to.deep.equal([
        true,
        true,
        BigInt(ProviderKind.PHARMACY),
        0n,
        bytes32Of("lic"),
        "Main Street Pharmacy",
      ]);
      expect(await registry.isActive(stranger.address)).to.equal(true);
      expect(await registry.isEmergencyCapable(stranger.address)).to.equal(true);
      expect(await registry.statusOf(stranger.address)).to.deep.equal([true, 0n]);
    });

    it("keeps no encryption key: the registrar has nothing to set or overwrite", async () => {
      const { registry } = await loadFixture(deployConsentFixture);
      const fields = registry.interface.getFunction("providerOf").outputs[0].components!.map((c) => c.name);
      expect(fields).to.deep.equal(["active", "emergencyCapable", "kind", "generation", "licenceHash", "name"]);
      expect(registry.interface.getFunction("verifyProvider").inputs.map((i) => i.name)).to.deep.equal([
        "provider",
        "licenceHash",
        "name",
        "kind",
        "emergencyCapable",
      ]);
    });

    it("re-verifying an active provider updates name, licence, kind and flag and keeps its generation", async () => {
      const { registry, registrar, doctor } = await loadFixture(deployConsentFixture);
      const count = await registry.providerCount();
      await expect(registry.verifyProvider(doctor.address, bytes32Of("lic2"), "Dr. A. Lovelace", ProviderKind.LABORATORY, true))
        .to.emit(registry, "ProviderVerified")
        .withArgs(doctor.address, bytes32Of("lic2"), "Dr. A. Lovelace", ProviderKind.LABORATORY, true, 0, registrar.address);
      const p = await registry.providerOf(doctor.address);
      expect([p.active, p.name, p.licenceHash, p.kind, p.generation]).to.deep.equal([
        true,
        "Dr. A. Lovelace",
        bytes32Of("lic2"),
        BigInt(ProviderKind.LABORATORY),
        0n,
      ]);
      expect(await registry.isEmergencyCapable(doctor.address)).to.equal(true);
      expect(await registry.providerCount()).to.equal(count);
    });

    it("re-verifying a deactivated provider reactivates it in its new generation, without adding it twice", async () => {
      const { registry, registrar, doctor } = await loadFixture(deployConsentFixture);
      const count = await registry.providerCount();
      await registry.deactivateProvider(doctor.address);
      await expect(registry.verifyProvider(doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", ProviderKind.CLINICIAN, false))
        .to.emit(registry, "ProviderVerified")
        .withArgs(doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", ProviderKind.CLINICIAN, false, 1, registrar.address);
      expect(await registry.statusOf(doctor.address)).to.deep.equal([true, 1n]);
      expect(await registry.providerCount()).to.equal(count);
    });

    it("refuses an account without REGISTRAR_ROLE", async () => {
      const { registry, stranger } = await loadFixture(deployConsentFixture);
      await expect(registry.connect(stranger).verifyProvider(stranger.address, bytes32Of("lic"), "Me", ProviderKind.CLINICIAN, false))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await registry.REGISTRAR_ROLE());
    });

    it("lets the admin appoint another registrar", async () => {
      const { registry, stranger, relayer } = await loadFixture(deployConsentFixture);
      await registry.grantRole(await registry.REGISTRAR_ROLE(), relayer.address);
      await expect(registry.connect(relayer).verifyProvider(stranger.address, bytes32Of("lic"), "Pharmacy", ProviderKind.PHARMACY, false))
        .to.emit(registry, "ProviderVerified")
        .withArgs(stranger.address, bytes32Of("lic"), "Pharmacy", ProviderKind.PHARMACY, false, 0, relayer.address);
    });

    it("refuses the zero address", async () => {
      const { registry } = await loadFixture(deployConsentFixture);
      await expect(
        registry.verifyProvider(ethers.ZeroAddress, bytes32Of("lic"), "Nobody", ProviderKind.CLINICIAN, false),
      ).to.be.revertedWithCustomError(registry, "ProviderRegistryZeroAddress");
    });

    it("refuses an empty name", async () => {
      const { registry, stranger } = await loadFixture(deployConsentFixture);
      await expect(registry.verifyProvider(stranger.address, bytes32Of("lic"), "", ProviderKind.CLINICIAN, false))
        .to.be.revertedWithCustomError(registry, "ProviderRegistryEmptyName")
        .withArgs(stranger.address);
    });

    it("refuses a name longer than 128 bytes", async () => {
      const { registry, stranger } = await loadFixture(deployConsentFixture);
      await registry.verifyProvider(stranger.address, bytes32Of("lic"), "x".repeat(128), ProviderKind.CLINICIAN, false);
      await expect(registry.verifyProvider(stranger.address, bytes32Of("lic"), "x".repeat(129), ProviderKind.CLINICIAN, false))
        .to.be.revertedWithCustomError(registry, "ProviderRegistryNameTooLong")
        .withArgs(stranger.address, 129, 128);
    });

    for (const kind of [0, 4, 255]) {
      it(`refuses provider kind ${kind}`, async () => {
        const { registry, stranger } = await loadFixture(deployConsentFixture);
        await expect(registry.verifyProvider(stranger.address, bytes32Of("lic"), "Clinic", kind, false))
          .to.be.revertedWithCustomError(registry, "ProviderRegistryInvalidKind")
          .withArgs(stranger.address, kind);
      });
    }

    it("accepts every provider kind: clinician (1), pharmacy (2), laboratory (3)", async () => {
      const { registry, stranger } = await loadFixture(deployConsentFixture);
      for (const kind of Object.values(ProviderKind)) {
        await registry.verifyProvider(stranger.address, bytes32Of("lic"), "Provider", kind, false);
        expect((await registry.providerOf(stranger.address)).kind).to.equal(BigInt(kind));
      }
    });
  });

  describe("deactivateProvider", () => {
    it("marks the provider inactive, starts its next generation, keeps its entry and announces it", async () => {
      const { registry, registrar, erDoctor } = await loadFixture(deployConsentFixture);
      await expect(registry.deactivateProvider(erDoctor.address))
        .to.emit(registry, "ProviderDeactivated")
        .withArgs(erDoctor.address, 1, registrar.address);
      expect(await registry.isActive(erDoctor.address)).to.equal(false);
      expect(await registry.isEmergencyCapable(erDoctor.address)).to.equal(false);
      expect(await registry.statusOf(erDoctor.address)).to.deep.equal([false, 1n]);
      const p = await registry.providerOf(erDoctor.address);
      expect([p.name, p.emergencyCapable, p.kind]).to.deep.equal(["St. Mary ER", true, BigInt(ProviderKind.CLINICIAN)]);
    });

    it("moves the generation on at every deactivation", async () => {
      const { registry, registrar, doctor } = await loadFixture(deployConsentFixture);
      await registry.deactivateProvider(doctor.address);
      await registry.verifyProvider(doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", ProviderKind.CLINICIAN, false);
      await expect(registry.deactivateProvider(doctor.address))
        .to.emit(registry, "ProviderDeactivated")
        .withArgs(doctor.address, 2, registrar.address);
      expect(await registry.statusOf(doctor.address)).to.deep.equal([false, 2n]);
    });

    it("refuses a provider that was never verified", async () => {
      const { registry, stranger } = await loadFixture(deployConsentFixture);
      await expect(registry.deactivateProvider(stranger.address))
        .to.be.revertedWithCustomError(registry, "ProviderRegistryUnknownProvider")
        .withArgs(stranger.address);
    });

    it("refuses an account without REGISTRAR_ROLE", async () => {
      const { registry, doctor, stranger } = await loadFixture(deployConsentFixture);
      await expect(registry.connect(stranger).deactivateProvider(doctor.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await registry.REGISTRAR_ROLE());
    });
  });

  describe("views", () => {
    it("reports unknown accounts as inactive with an empty entry", async () => {
      const { registry, stranger } = await loadFixture(deployConsentFixture);
      expect(await registry.isActive(stranger.address)).to.equal(false);
      expect(await registry.isEmergencyCapable(stranger.address)).to.equal(false);
      expect(await registry.statusOf(stranger.address)).to.deep.equal([false, 0n]);
      const p = await registry.providerOf(stranger.address);
      expect([p.active, p.kind, p.generation, p.name]).to.deep.equal([false, 0n, 0n, ""]);
    });

    it("does not call an active provider without the flag emergency-capable", async () => {
      const { registry, doctor } = await loadFixture(deployConsentFixture);
      expect(await registry.isActive(doctor.address)).to.equal(true);
      expect(await registry.isEmergencyCapable(doctor.address)).to.equal(false);
    });

    it("enumerates providers in order of first verification, deactivated ones included", async () => {
      const { registry, doctor, lab, erDoctor } = await loadFixture(deployConsentFixture);
      await registry.deactivateProvider(lab.address);
      expect(await registry.providerCount()).to.equal(3n);
      expect(await registry.providerAt(0)).to.equal(doctor.address);
      expect(await registry.providerAt(1)).to.equal(lab.address);
      expect(await registry.providerAt(2)).to.equal(erDoctor.address);
    });

    it("refuses an index past the end", async () => {
      const { registry } = await loadFixture(deployConsentFixture);
      await expect(registry.providerAt(3)).to.be.revertedWithCustomError(registry, "ProviderRegistryIndexOutOfBounds").withArgs(3, 3);
    });
  });
});
