import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  Category,
  Codec,
  DAY,
  HOUR,
  ProviderKind,
  Purpose,
  RECORD_TYPES,
  bytes32Of,
  cidOf,
  deployConsentFixture,
  digestOf,
  domainOf,
  malleate,
  scopeOf,
  signAddRecord,
  type AddRecordMessage,
} from "./fixtures";

const CID = cidOf("record one");
const DIGEST = digestOf("record one");
const CID2 = cidOf("record two");
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

type RecordFixture = Awaited<ReturnType<typeof recordFixture>>;

/** An AddRecord message by `author` for the patient's vault, with the author's current nonce. */
async function message(f: RecordFixture, author: string, overrides: Partial<AddRecordMessage> = {}): Promise<AddRecordMessage> {
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

/** Relays a signed AddRecord. */
function relay(f: RecordFixture, m: AddRecordMessage, signature: string) {
  return f.recordIndex.connect(f.relayer).addRecordBySig(m.patient, m.author, m.recordId, m.cid, m.category, m.deadline, signature);
}

/** Builds a binary CID from its parts: version, codec, hash function, digest length and digest. */
function cidFrom(parts: { version?: number; codec?: number; hash?: number; length?: number; digest?: string }): string {
  const digest = parts.digest ?? DIGEST;
  return ethers.concat([
    ethers.toBeHex(parts.version ?? 1, 1),
    ethers.toBeHex(parts.codec ?? Codec.RAW, 1),
    ethers.toBeHex(parts.hash ?? 0x12, 1),
    ethers.toBeHex(parts.length ?? ethers.dataLength(digest), 1),
    digest,
  ]);
}

describe("RecordIndex", () => {
  it("points at the ledger and exposes the EIP-712 domain RecordIndex/1", async () => {
    const { recordIndex, ledger } = await loadFixture(deployConsentFixture);
    expect(await recordIndex.ledger()).to.equal(await ledger.getAddress());
    const domain = await domainOf("RecordIndex", await recordIndex.getAddress());
    expect(await recordIndex.DOMAIN_SEPARATOR()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
  });

  describe("addRecord authorisation", () => {
    it("lets the patient add to their own vault, and indexes the record under the CID's digest", async () => {
      const { recordIndex, patient } = await loadFixture(recordFixture);
      await expect(recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, CID, Category.LABS))
        .to.emit(recordIndex, "RecordAdded")
        .withArgs(patient.address, RECORD_ID, patient.address, Category.LABS, CID);
      const at = BigInt(await time.latest());
      const r = await recordIndex.recordOf(patient.address, DIGEST);
      expect([r.patient, r.category, r.addedAt]).to.deep.equal([patient.address, BigInt(Category.LABS), at]);
    });

    // Who may add which category to the patient's vault, given recordFixture's guardian and grants.
    for (const [what, author, category, allowed] of [
      ["lets the guardian add to the patient's vault", "guardian", Category.GENETIC, true],
      ["lets a provider with write access add records of the granted category", "doctor", Category.NOTES, true],
      ["refuses the writer for a category outside its grant", "doctor", Category.LABS, false],
      ["refuses a provider whose grant lacks the WRITE bit", "lab", Category.LABS, false],
      ["refuses a stranger", "stranger", Category.NOTES, false],
    ] as const) {
      it(what, async () => {
        const { recordIndex, patient, [author]: writer } = await loadFixture(recordFixture);
        const added = expect(recordIndex.connect(writer).addRecord(patient.address, RECORD_ID, CID, category));
        if (allowed) {
          await added.to.emit(recordIndex, "RecordAdded").withArgs(patient.address, RECORD_ID, writer.address, category, CID);
        } else {
          await added.to.be
            .revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
            .withArgs(patient.address, writer.address, category);
        }
      });
    }

    it("refuses the writer once it was deactivated (even re-verified), its grant expired, or was revoked", async () => {
      const { recordIndex, ledger, registry, patient, doctor, expiresAt } = await loadFixture(recordFixture);
      const refused = () =>
        expect(recordIndex.connect(doctor).addRecord(patient.address, RECORD_ID, CID, Category.NOTES))
          .to.be.revertedWithCustomError(recordIndex, "RecordIndexNotAuthorized")
          .withArgs(patient.address, doctor.address, Category.NOTES);
      await registry.deactivateProvider(doctor.address);
      await refused();
      await registry.verifyProvider(doctor.address, bytes32Of("lic"), "Dr. Ada Lovelace, GP", ProviderKind.CLINICIAN, false);
      await refused();
      await ledger.connect(patient).grant(doctor.address, scopeOf([Category.NOTES], true), Purpose.TREAT, expiresAt, ethers.ZeroHash);
      await time.setNextBlockTimestamp(expiresAt);
      await refused();
      await ledger.connect(patient).grant(doctor.address, scopeOf([Category.NOTES], true), Purpose.TREAT, expiresAt + DAY, ethers.ZeroHash);
      await ledger.connect(patient).revoke(doctor.address);
      await refused();
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

    it("accepts the two canonical CIDs, raw and dag-pb (two different blocks of one digest family)", async () => {
      const { recordIndex, patient } = await loadFixture(recordFixture);
      const dagPb = cidOf("a UnixFS file", Codec.DAG_PB);
      await expect(recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, dagPb, Category.LABS))
        .to.emit(recordIndex, "RecordAdded")
        .withArgs(patient.address, RECORD_ID, patient.address, Category.LABS, dagPb);
      expect((await recordIndex.recordOf(patient.address, digestOf("a UnixFS file"))).patient).to.equal(patient.address);
      await expect(recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, CID, Category.LABS)).to.emit(
        recordIndex,
        "RecordAdded",
      );
    });

    const NON_CANONICAL: [string, string][] = [
      ["empty", "0x"],
      ["a CIDv0 (a bare sha2-256 multihash, 34 bytes)", ethers.concat(["0x1220", DIGEST])],
      ["a CIDv0's multihash padded to 36 bytes", ethers.concat(["0x1220", DIGEST, "0x0000"])],
      ["version 0 in a v1 layout", cidFrom({ version: 0 })],
      ["version 2", cidFrom({ version: 2 })],
      ["codec dag-cbor (0x71)", cidFrom({ codec: Codec.DAG_CBOR })],
      ["codec dag-json (0x0129 is two varint bytes; its first byte here)", cidFrom({ codec: 0xa9 })],
      ["the identity multihash (0x00) with 32 bytes inline", cidFrom({ hash: 0x00 })],
      ["sha2-512 (0x13)", cidFrom({ hash: 0x13 })],
      ["a digest length byte of 31 over 32 bytes", cidFrom({ length: 31 })],
      ["a 31-byte digest (35 bytes)", cidFrom({ digest: ethers.dataSlice(DIGEST, 0, 31) })],
      ["a 33-byte digest (37 bytes)", cidFrom({ digest: ethers.concat([DIGEST, "0x00"]), length: 32 })],
      ["a canonical CID with a byte appended (37 bytes)", ethers.concat([CID, "0x00"])],
      ["a canonical CID with its last byte cut (35 bytes)", ethers.dataSlice(CID, 0, 35)],
      [
        "the base32 text of a CID as bytes",
        ethers.hexlify(ethers.toUtf8Bytes("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")),
      ],
    ];

    for (const [label, cid] of NON_CANONICAL) {
      it(`refuses a non-canonical CID: ${label}`, async () => {
        const { recordIndex, patient } = await loadFixture(recordFixture);
        await expect(recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, cid, Category.LABS))
          .to.be.revertedWithCustomError(recordIndex, "RecordIndexInvalidCid")
          .withArgs(cid);
      });
    }

    it("refuses content already in the same patient's vault, naming the patient and the digest", async () => {
      const { recordIndex, patient, guardian } = await loadFixture(recordFixture);
      await recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, CID, Category.LABS);
      await expect(recordIndex.connect(guardian).addRecord(patient.address, bytes32Of("other"), CID, Category.NOTES))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexDuplicate")
        .withArgs(patient.address, DIGEST);
      // The same digest under the other codec is the same content for the index.
      const samedigest = cidFrom({ codec: Codec.DAG_PB });
      await expect(recordIndex.connect(patient).addRecord(patient.address, bytes32Of("other"), samedigest, Category.LABS))
        .to.be.revertedWithCustomError(recordIndex, "RecordIndexDuplicate")
        .withArgs(patient.address, DIGEST);
    });

    it("lets two patients each hold the same content in their own vault", async () => {
      const { recordIndex, patient, patient2 } = await loadFixture(recordFixture);
      await recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, CID, Category.LABS);
      await expect(recordIndex.connect(patient2).addRecord(patient2.address, bytes32Of("other"), CID, Category.NOTES))
        .to.emit(recordIndex, "RecordAdded")
        .withArgs(patient2.address, bytes32Of("other"), patient2.address, Category.NOTES, CID);
      expect((await recordIndex.recordOf(patient.address, DIGEST)).category).to.equal(BigInt(Category.LABS));
      expect((await recordIndex.recordOf(patient2.address, DIGEST)).category).to.equal(BigInt(Category.NOTES));
    });

    it("reports content not in a patient's vault with a zero patient", async () => {
      const { recordIndex, patient, patient2 } = await loadFixture(recordFixture);
      await recordIndex.connect(patient).addRecord(patient.address, RECORD_ID, CID, Category.LABS);
      expect((await recordIndex.recordOf(patient.address, digestOf("record two"))).patient).to.equal(ethers.ZeroAddress);
      expect((await recordIndex.recordOf(patient2.address, DIGEST)).patient).to.equal(ethers.ZeroAddress);
    });
  });

  describe("front-running an announcement", () => {
    it("cannot take Jane's slot: an attacker announcing Jane's CID in its own vault first leaves her signed announcement good", async () => {
      const f = await loadFixture(recordFixture);
      // Jane signs the announcement of her record; the attacker sees it (in the mempool, or at the gateway) and
      // announces the same CID first, in its own vault, where it may add anything.
      const m = await message(f, f.patient.address, { category: Category.LABS });
      const sig = await signAddRecord(f.patient, f.recordIndex, m);
      await expect(f.recordIndex.connect(f.stranger).addRecord(f.stranger.address, bytes32Of("stolen"), CID, Category.LABS))
        .to.emit(f.recordIndex, "RecordAdded")
        .withArgs(f.stranger.address, bytes32Of("stolen"), f.stranger.address, Category.LABS, CID);
      await expect(relay(f, m, sig))
        .to.emit(f.recordIndex, "RecordAdded")
        .withArgs(f.patient.address, RECORD_ID, f.patient.address, Category.LABS, CID);
      expect((await f.recordIndex.recordOf(f.patient.address, DIGEST)).patient).to.equal(f.patient.address);
    });

    it("cannot put content into Jane's vault: the attacker is not authorised there", async () => {
      const f = await loadFixture(recordFixture);
      await expect(f.recordIndex.connect(f.stranger).addRecord(f.patient.address, bytes32Of("planted"), CID, Category.LABS))
        .to.be.revertedWithCustomError(f.recordIndex, "RecordIndexNotAuthorized")
        .withArgs(f.patient.address, f.stranger.address, Category.LABS);
      expect((await f.recordIndex.recordOf(f.patient.address, DIGEST)).patient).to.equal(ethers.ZeroAddress);
    });
  });

  describe("addRecordBySig", () => {
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

    it("refuses a malleable (high-s) copy of a valid signature", async () => {
      const f = await loadFixture(recordFixture);
      const m = await message(f, f.doctor.address);
      await expect(relay(f, m, malleate(await signAddRecord(f.doctor, f.recordIndex, m))))
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

    it("refuses a validly signed non-canonical CID", async () => {
      const f = await loadFixture(recordFixture);
      const cid = cidFrom({ codec: Codec.DAG_CBOR });
      const m = await message(f, f.doctor.address, { cid });
      await expect(relay(f, m, await signAddRecord(f.doctor, f.recordIndex, m)))
        .to.be.revertedWithCustomError(f.recordIndex, "RecordIndexInvalidCid")
        .withArgs(cid);
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

    it("refuses a deadline more than a day ahead, naming the latest allowed, and accepts exactly a day", async () => {
      const f = await loadFixture(recordFixture);
      const t = BigInt(await time.latest()) + 10n;
      const far = await message(f, f.doctor.address, { deadline: t + DAY + 1n });
      await time.setNextBlockTimestamp(t);
      await expect(relay(f, far, await signAddRecord(f.doctor, f.recordIndex, far)))
        .to.be.revertedWithCustomError(f.recordIndex, "RecordIndexDeadlineTooFar")
        .withArgs(t + DAY + 1n, t + DAY);
      const t2 = BigInt(await time.latest()) + 10n;
      const edge = await message(f, f.doctor.address, { deadline: t2 + DAY });
      await time.setNextBlockTimestamp(t2);
      await expect(relay(f, edge, await signAddRecord(f.doctor, f.recordIndex, edge))).to.emit(f.recordIndex, "RecordAdded");
    });

    it("hashes the CID bytes as keccak256(cid) in the typed data", async () => {
      expect(ethers.TypedDataEncoder.from({ AddRecord: [...RECORD_TYPES.AddRecord] }).encodeType("AddRecord")).to.equal(
        "AddRecord(address patient,address author,bytes32 recordId,bytes cid,uint8 category,uint256 nonce,uint256 deadline)",
      );
    });
  });
});
