import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { bytes32Of, deployConsentFixture } from "./fixtures";

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
    it("stores the provider as active and announces it with the registrar", async () => {
      const { registry, registrar, stranger } = await loadFixture(deployConsentFixture);
      await expect(registry.verifyProvider(stranger.address, bytes32Of("lic"), "Clinic X", bytes32Of("key"), true))
        .to.emit(registry, "ProviderVerified")
        .withArgs(stranger.address, bytes32Of("lic"), "Clinic X", bytes32Of("key"), true, registrar.address);
      const p = await registry.providerOf(stranger.address);
      expect(p.active).to.equal(true);
      expect(p.emergencyCapable).to.equal(true);
      expect(p.licenceHash).to.equal(bytes32Of("lic"));
      expect(p.encryptionKey).to.equal(bytes32Of("key"));
      expect(p.name).to.equal("Clinic X");
      expect(await registry.isActive(stranger.address)).to.equal(true);
      expect(await registry.isEmergencyCapable(stranger.address)).to.equal(true);
    });

    it("re-verifying updates the entry and reactivates it without adding it twice", async () => {
      const { registry, doctor } = await loadFixture(deployConsentFixture);
      const count = await registry.providerCount();
      await registry.deactivateProvider(doctor.address);
      await registry.verifyProvider(doctor.address, bytes32Of("lic2"), "Dr. A. Lovelace", bytes32Of("key2"), true);
      const p = await registry.providerOf(doctor.address);
      expect(p.active).to.equal(true);
      expect(p.name).to.equal("Dr. A. Lovelace");
      expect(p.licenceHash).to.equal(bytes32Of("lic2"));
      expect(p.encryptionKey).to.equal(bytes32Of("key2"));
      expect(await registry.isEmergencyCapable(doctor.address)).to.equal(true);
      expect(await registry.providerCount()).to.equal(count);
    });

    it("refuses an account without REGISTRAR_ROLE", async () => {
      const { registry, stranger } = await loadFixture(deployConsentFixture);
      await expect(registry.connect(stranger).verifyProvider(stranger.address, bytes32Of("lic"), "Me", bytes32Of("key"), false))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, await registry.REGISTRAR_ROLE());
    });

    it("lets the admin appoint another registrar", async () => {
      const { registry, stranger, relayer } = await loadFixture(deployConsentFixture);
      await registry.grantRole(await registry.REGISTRAR_ROLE(), relayer.address);
      await expect(registry.connect(relayer).verifyProvider(stranger.address, bytes32Of("lic"), "Pharmacy", bytes32Of("k"), false))
        .to.emit(registry, "ProviderVerified")
        .withArgs(stranger.address, bytes32Of("lic"), "Pharmacy", bytes32Of("k"), false, relayer.address);
    });

    it("refuses the zero address", async () => {
      const { registry } = await loadFixture(deployConsentFixture);
      await expect(
        registry.verifyProvider(ethers.ZeroAddress, bytes32Of("lic"), "Nobody", bytes32Of("key"), false),
      ).to.be.revertedWithCustomError(registry, "ProviderRegistryZeroAddress");
    });

    it("refuses an empty name", async () => {
      const { registry, stranger } = await loadFixture(deployConsentFixture);
      await expect(registry.verifyProvider(stranger.address, bytes32Of("lic"), "", bytes32Of("key"), false))
        .to.be.revertedWithCustomError(registry, "ProviderRegistryEmptyName")
        .withArgs(stranger.address);
    });

    it("refuses a name longer than 128 bytes", async () => {
      const { registry, stranger } = await loadFixture(deployConsentFixture);
      await registry.verifyProvider(stranger.address, bytes32Of("lic"), "x".repeat(128), bytes32Of("key"), false);
      await expect(registry.verifyProvider(stranger.address, bytes32Of("lic"), "x".repeat(129), bytes32Of("key"), false))
        .to.be.revertedWithCustomError(registry, "ProviderRegistryNameTooLong")
        .withArgs(stranger.address, 129, 128);
    });
  });

  describe("deactivateProvider", () => {
    it("marks the provider inactive, keeps its entry and announces it", async () => {
      const { registry, registrar, erDoctor } = await loadFixture(deployConsentFixture);
      await expect(registry.deactivateProvider(erDoctor.address))
        .to.emit(registry, "ProviderDeactivated")
        .withArgs(erDoctor.address, registrar.address);
      expect(await registry.isActive(erDoctor.address)).to.equal(false);
      expect(await registry.isEmergencyCapable(erDoctor.address)).to.equal(false);
      const p = await registry.providerOf(erDoctor.address);
      expect(p.name).to.equal("St. Mary ER");
      expect(p.emergencyCapable).to.equal(true);
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
      const p = await registry.providerOf(stranger.address);
      expect(p.active).to.equal(false);
      expect(p.name).to.equal("");
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
