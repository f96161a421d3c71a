import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  Category,
  Purpose,
  RECORD_TYPES,
  bytes32Of,
  deployConsentFixture,
  domainOf,
  scopeOf,
  signAddRecord,
  type AddRecordMessage,
} from "./fixtures";

const DAY = 86_400n;
const HOUR = 3600n;
const CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
const CID2 = "bafkreie7q3iidccmpvszul7kudcvvuavuo7u6gzlbobczuk5nqk3b4akba";
const RECORD_ID = bytes32Of("record:1");

/** The fixture plus a doctor with NOTES write access and a lab with LABS read-only access, and a guardian. */
async function recordFixture() {
  const f = await deployConsentFixture();
  const expiresAt = BigInt(await time.latest()) + DAY;
  await f.ledger.connect(f.patient).grant(f.doctor.address, scopeOf([Category.NOTES], true), Purpose.TREAT, expiresAt, ethers.ZeroHash);
  await f.ledger.connect(f.patient).grant(f.lab.address, scopeOf([Category.LABS]), Purpose.TREAT, expiresAt, ethers.ZeroHash);
  await f.ledger.connect(f.patient).setGuardian(f.guardian.address);
  return { ...f, expiresAt };
}

describe("RecordIndex", () => {
  it("points at the ledger and exposes the EIP-712 domain RecordIndex/1", async () => {
    const { recordIndex, ledger } = await loadFixture(deployConsentFixture);
    expect(await recordIndex.ledger()).to.equal(await ledger.getAddress());
    const domain = await domainOf("RecordIndex", await recordIndex.getAddress());
    expect(await recordIndex.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
  });

  describe("addRecord authorisation", () => {
    it("lets the patient add to their own vault, and indexes the record", async () => {
      const { recordIndex, patient } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, CID, Category.LABS))
        .to.emit(recordIndex, "RecordAdded")
        .withArgs(patient.address, RECORD_ID, patient.address, Category.LABS, CID);
      const at = BigInt(await time.latest());
      const r = await recordIndex.recordOf(ethers.keccak256(ethers.toUtf8Bytes(CID)));
      expect([r.patient, r.category, r.addedAt]).to.deep.equal([patient.address, BigInt(Category.LABS), at]);
      expect((await recordIndex.recordOfCid(CID)).patient).to.equal(patient.address);
    });

    it("lets the guardian add to the patient's vault", async () => {
      const { recordIndex, patient, guardian } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(guardian).addRecord(patient.address, RECORD_ID, CID, Category.GENETIC))
        .to.emit(recordIndex, "RecordAdded")
        .withArgs(patient.address, RECORD_ID, guardian.address, Category.GENETIC, CID);
    });

    it("lets a provider with write access add records of the granted category", async () => {
      const { recordIndex, patient, doctor } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(doctor).addRecord(patient.address, RECORD_ID, CID, Category.NOTES))
        .to.emit(recordIndex, "RecordAdded")
        .withArgs(patient.address, RECORD_ID, doctor.address, Category.NOTES, CID);
    });

    it("refuses the writer for a category outside its grant", async () => {
      const { recordIndex, patient, doctor } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(doctor).addRecord(patient.address, RECORD_ID, CID, Category.LABS))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
        .withArgs(patient.address, doctor.address, Category.LABS);
    });

    it("refuses a provider whose grant lacks the WRITE bit", async () => {
      const { recordIndex, patient, lab } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(lab).addRecord(patient.address, RECORD_ID, CID, Category.LABS))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
        .withArgs(patient.address, lab.address, Category.LABS);
    });

    it("refuses a stranger", async () => {
      const { recordIndex, patient, stranger } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(stranger).addRecord(patient.address, RECORD_ID, CID, Category.NOTES))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
        .withArgs(patient.address, stranger.address, Category.NOTES);
    });

    it("refuses the writer once its grant expired, was revoked, or it was deactivated", async () => {
      const { recordIndex, ledger, registry, patient, doctor, expiresAt } = await loadFixture(recordFixture);
      await registry.deactivateProvider(doctor.address);
      await expect(recordIndex.connect(doctor).addRecord(patient.address, RECORD_ID, CID, Category.NOTES))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
        .withArgs(patient.address, doctor.address, Category.NOTES);
      await registry.verifyProvider(doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", bytes32Of("k"), false);
      await time.setNextBlockTimestamp(expiresAt);
      await expect(recordIndex.connect(doctor).addRecord(patient.address, RECORD_ID, CID, Category.NOTES))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
        .withArgs(patient.address, doctor.address, Category.NOTES);
      await ledger.connect(patient).grant(doctor.address, scopeOf([Category.NOTES], true), Purpose.TREAT, expiresAt + DAY, ethers.ZeroHash);
      await ledger.connect(patient).revoke(doctor.address);
      await expect(recordIndex.connect(doctor).addRecord(patient.address, RECORD_ID, CID, Category.NOTES))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
        .withArgs(patient.address, doctor.address, Category.NOTES);
    });

    it("refuses a break-glass provider: emergency access never writes", async () => {
      const { recordIndex, ledger, patient, erDoctor } = await loadFixture(recordFixture);
      await ledger.connect(patient).setEmergencyPolicy(true, 600, bytes32Of("summary"));
      await ledger.connect(erDoctor).breakGlass(patient.address, Purpose.BTG);
      await expect(recordIndex.connect(erDoctor).addRecord(patient.address, RECORD_ID, CID, Category.EMERGENCY_SUMMARY))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
        .withArgs(patient.address, erDoctor.address, Category.EMERGENCY_SUMMARY);
    });

    it("refuses writing to the zero address's vault", async () => {
      const { recordIndex, stranger } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(stranger).addRecord(ethers.ZeroAddress, RECORD_ID, CID, Category.NOTES))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
        .withArgs(ethers.ZeroAddress, stranger.address, Category.NOTES);
    });
  });

  describe("addRecord input", () => {
    it("refuses a category above MAX_CATEGORY", async () => {
      const { recordIndex, patient } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, CID, 13))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexInvalidCategory")
        .withArgs(13);
    });

    it("refuses an empty CID and one longer than 128 bytes, and accepts exactly 128", async () => {
      const { recordIndex, patient } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, "", Category.LABS))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexInvalidCid")
        .withArgs(0, 128);
      await expect(recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, "b".repeat(129), Category.LABS))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexInvalidCid")
        .withArgs(129, 128);
      await expect(recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, "b".repeat(128), Category.LABS)).to.emit(
        recordIndex,
        "RecordAdded",
      );
    });

    it("refuses a CID that is already indexed, even for another patient", async () => {
      const { recordIndex, patient, patient2 } = await loadFixture(recordFixture);
      await recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, CID, Category.LABS);
      const cidHash = ethers.keccak256(ethers.toUtf8Bytes(CID));
      await expect(recordIndex.connect(patient2).addRecord(patient2.address, bytes32Of("other"), CID, Category.NOTES))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexDuplicate")
        .withArgs(cidHash);
    });

    it("reports an unknown CID with a zero patient", async () => {
      const { recordIndex } = await loadFixture(recordFixture);
      expect((await recordIndex.recordOfCid(CID2)).patient).to.equal(ethers.ZeroAddress);
    });
  });

  describe("addRecordBySig", () => {
    async function message(
      f: Awaited<ReturnType<typeof recordFixture>>,
      author: string,
      overrides: Partial<AddRecordMessage> = {},
    ): Promise<AddRecordMessage> {
      return {
        patient: f.patient.address,
        author,
        recordId: RECORD_ID,
        cid: CID,
        category: Category.NOTES,
        nonce: await f.recordIndex.nonces(author),
        deadline: BigInt(await time.latest()) + HOUR,
        ...overrides,
      };
    }

    function relay(f: Awaited<ReturnType<typeof recordFixture>>, m: AddRecordMessage, signature: string) {
      return f.recordIndex.connect(f.relayer).addRecordBySig(m.patient, m.author, m.recordId, m.cid, m.category, m.deadline, signature);
    }

    it("indexes a record signed by a writer provider, with the signer as author", async () => {
      const f = await loadFixture(recordFixture);
      const m = await message(f, f.doctor.address);
      await expect(relay(f, m, await signAddRecord(f.doctor, f.recordIndex, m)))
        .to.emit(f.recordIndex, "RecordAdded")
        .withArgs(f.patient.address, RECORD_ID, f.doctor.address, Category.NOTES, CID);
      expect(await f.recordIndex.nonces(f.doctor.address)).to.equal(1n);
    });

    it("indexes a record signed by the patient or the guardian", async () => {
      const f = await loadFixture(recordFixture);
      const m = await message(f, f.patient.address, { category: Category.LABS });
      await expect(relay(f, m, await signAddRecord(f.patient, f.recordIndex, m)))
        .to.emit(f.recordIndex, "RecordAdded")
        .withArgs(f.patient.address, RECORD_ID, f.patient.address, Category.LABS, CID);
      const m2 = await message(f, f.guardian.address, { cid: CID2 });
      await expect(relay(f, m2, await signAddRecord(f.guardian, f.recordIndex, m2)))
        .to.emit(f.recordIndex, "RecordAdded")
        .withArgs(f.patient.address, RECORD_ID, f.guardian.address, Category.NOTES, CID2);
    });

    it("refuses a signature that is not the named author's", async () => {
      const f = await loadFixture(recordFixture);
      const m = await message(f, f.doctor.address);
      await expect(relay(f, m, await signAddRecord(f.stranger, f.recordIndex, m)))
        .to.be.revertedWithCustomError(f.recordIndex, "RecordIndexInvalidSigner")
        .withArgs(f.doctor.address);
    });

    it("refuses a validly signed record from an author without write access", async () => {
      const f = await loadFixture(recordFixture);
      const m = await message(f, f.lab.address, { category: Category.LABS });
      await expect(relay(f, m, await signAddRecord(f.lab, f.recordIndex, m)))
        .to.be.revertedWithCustomError(f.recordIndex, "RecordIndexNotAuthorized")
        .withArgs(f.patient.address, f.lab.address, Category.LABS);
    });

    it("refuses a different CID than signed, a replay, and a passed deadline", async () => {
      const f = await loadFixture(recordFixture);
      const m = await message(f, f.doctor.address);
      const sig = await signAddRecord(f.doctor, f.recordIndex, m);
      await expect(relay(f, { ...m, cid: CID2 }, sig))
        .to.be.revertedWithCustomError(f.recordIndex, "RecordIndexInvalidSigner")
        .withArgs(f.doctor.address);
      await relay(f, m, sig);
      await expect(relay(f, m, sig))
        .to.be.revertedWithCustomError(f.recordIndex, "RecordIndexInvalidSigner")
        .withArgs(f.doctor.address);
      const late = await message(f, f.doctor.address, { cid: CID2 });
      const lateSig = await signAddRecord(f.doctor, f.recordIndex, late);
      await time.setNextBlockTimestamp(late.deadline + 1n);
      await expect(relay(f, late, lateSig))
        .to.be.revertedWithCustomError(f.recordIndex, "RecordIndexExpiredSignature")
        .withArgs(late.deadline);
    });

    it("hashes the CID string as keccak256(bytes(cid)) in the typed data", async () => {
      expect(ethers.TypedDataEncoder.from({ AddRecord: [...RECORD_TYPES.AddRecord] }).encodeType("AddRecord")).to.equal(
        "AddRecord(address patient,address author,bytes32 recordId,string cid,uint8 category,uint256 nonce,uint256 deadline)",
      );
    });
  });
});
