import { expect } from "chai";
import { anyUint } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import type { ERC1271GasBurnerMock } from "../../typechain-types";
import {
  Category,
  DAY,
  HOUR,
  Purpose,
  REPORTING_GAS,
  bytes32Of,
  cidOf,
  deployConsentFixture,
  scopeOf,
  signAddRecord,
  type ConsentFixture,
  type GrantMessage,
} from "./fixtures";

/**
 * The relayer-draining attack (a contract "patient" whose ERC-1271 `isValidSignature` loops, so every relayed call
 * costs the relayer the whole gas it sent: 4.84M gas per call was measured) and its defence: the contracts give a
 * smart-account signer at most ERC1271_GAS_LIMIT gas. Each relayed call here is sent with 5M gas, as a relayer
 * estimating generously would; what it pays is read from the receipt of the (reverted, still mined) transaction.
 */

const RELAYER_GAS = 5_000_000n;
/** Spends all the gas it is given. */
const FOREVER = ethers.MaxUint256;
/** Calldata of the compared calls differs by a few zero bytes (addresses, signatures), a few dozen gas. */
const CALLDATA_SLACK = 1_000n;

/** Deploys a wallet of `owner` that burns `burn` gas before answering. */
async function burner(owner: HardhatEthersSigner, burn: bigint): Promise<ERC1271GasBurnerMock> {
  return ethers.deployContract("ERC1271GasBurnerMock", [owner.address, burn]);
}

/** Gas the relayer paid for the last mined transaction, which must have been sent by `relayer`. */
async function gasOfLastTransaction(relayer: string): Promise<bigint> {
  const block = await ethers.provider.getBlock("latest");
  const receipt = await ethers.provider.getTransactionReceipt(block!.transactions.at(-1)!);
  expect(receipt!.from).to.equal(relayer);
  return receipt!.gasUsed;
}

/** A Grant of LABS to the lab from `patient` (an account or a wallet address), signed by `signer`, relayed. */
async function relayGrant(f: ConsentFixture, patient: string, signer: HardhatEthersSigner): Promise<ContractTransactionResponse> {
  const now = BigInt(await time.latest());
  const m: GrantMessage = {
    patient,
    grantee: f.lab.address,
    scope: scopeOf([Category.LABS]),
    purpose: Purpose.TREAT,
    expiresAt: now + DAY,
    keyBundle: bytes32Of("bundle"),
    nonce: await f.ledger.nonces(patient),
    deadline: now + HOUR,
  };
  const sig = await f.signGrant(signer, m);
  return f.ledger
    .connect(f.relayer)
    .grantBySig(m.patient, m.grantee, m.scope, m.purpose, m.expiresAt, m.keyBundle, m.deadline, sig, { gasLimit: RELAYER_GAS });
}

/** An AddRecord of a LABS record in `author`'s own vault, signed by `signer`, relayed. */
async function relayAddRecord(f: ConsentFixture, author: string, signer: HardhatEthersSigner): Promise<ContractTransactionResponse> {
  const m = {
    patient: author,
    author,
    recordId: bytes32Of("record"),
    cid: cidOf("record"),
    category: Category.LABS,
    nonce: await f.recordIndex.nonces(author),
    deadline: BigInt(await time.latest()) + HOUR,
  };
  const sig = await signAddRecord(signer, f.recordIndex, m);
  return f.recordIndex
    .connect(f.relayer)
    .addRecordBySig(m.patient, m.author, m.recordId, m.cid, m.category, m.deadline, sig, { gasLimit: RELAYER_GAS });
}

/**
 * The attack and its bound, for one signed entry point of `contract`: a stranger's signature relayed (by `relay`)
 * for a well-behaved smart account is refused, which is the reference cost; the same junk signature for an account
 * whose check never ends is refused too, and costs the relayer at most ERC1271_GAS_LIMIT more.
 */
async function expectLoopingSignerBounded(
  f: ConsentFixture,
  relay: (f: ConsentFixture, account: string, signer: HardhatEthersSigner) => Promise<ContractTransactionResponse>,
  contract: ConsentFixture["ledger"] | ConsentFixture["recordIndex"],
  invalidSigner: "ConsentLedgerInvalidSigner" | "RecordIndexInvalidSigner",
): Promise<void> {
  const limit = await contract.ERC1271_GAS_LIMIT();

  const honest = await ethers.deployContract("ERC1271WalletMock", [f.patient2.address]);
  const honestAddress = await honest.getAddress();
  await expect(relay(f, honestAddress, f.stranger))
    .to.be.revertedWithCustomError(contract, invalidSigner)
    .withArgs(honestAddress);
  const refused = await gasOfLastTransaction(f.relayer.address);

  const hostile = await burner(f.patient2, FOREVER);
  const hostileAddress = await hostile.getAddress();
  await expect(relay(f, hostileAddress, f.stranger))
    .to.be.revertedWithCustomError(contract, invalidSigner)
    .withArgs(hostileAddress);
  const drained = await gasOfLastTransaction(f.relayer.address);

  expect(drained).to.be.at.most(refused + limit + CALLDATA_SLACK);
  expect(drained).to.be.greaterThan(refused + (limit * 9n) / 10n, "the wallet was asked, and cut off at the bound");
  expect(drained).to.be.lessThan(RELAYER_GAS / 20n, "far from the whole gas the relayer sent");
}

describe("ERC-1271 signature checks are bounded to ERC1271_GAS_LIMIT gas", function () {
  before(function () {
    if (REPORTING_GAS) this.skip(); // the hostile wallets burn gas on purpose and would swamp the *BySig figures
  });

  it("is the same bound, and the same deadline cap, on the ledger and the record index", async () => {
    const { ledger, recordIndex } = await loadFixture(deployConsentFixture);
    expect(await ledger.ERC1271_GAS_LIMIT()).to.equal(100_000n);
    expect(await recordIndex.ERC1271_GAS_LIMIT()).to.equal(100_000n);
    expect(await recordIndex.MAX_SIGNATURE_LIFETIME()).to.equal(await ledger.MAX_SIGNATURE_LIFETIME());
  });

  describe("ConsentLedger.grantBySig", () => {
    it("refuses a patient wallet that loops, and the relayer pays at most the bound more than for any refused signature", async () => {
      const f = await loadFixture(deployConsentFixture);
      await expectLoopingSignerBounded(f, relayGrant, f.ledger, "ConsentLedgerInvalidSigner");
    });

    it("asks at most two wallets per signature (the patient's and the guardian's), each within the bound", async () => {
      const f = await loadFixture(deployConsentFixture);
      const limit = await f.ledger.ERC1271_GAS_LIMIT();
      const honest = await ethers.deployContract("ERC1271WalletMock", [f.patient2.address]);
      await f.ledger.connect(f.patient).setGuardian(await honest.getAddress());
      await expect(relayGrant(f, f.patient.address, f.stranger)).to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner");
      const refused = await gasOfLastTransaction(f.relayer.address);

      // A hostile patient wallet that appointed a hostile guardian wallet.
      const patientWallet = await burner(f.patient2, FOREVER);
      const guardianWallet = await burner(f.patient2, FOREVER);
      await patientWallet.execute(
        await f.ledger.getAddress(),
        f.ledger.interface.encodeFunctionData("setGuardian", [await guardianWallet.getAddress()]),
      );
      const patientAddress = await patientWallet.getAddress();
      await expect(relayGrant(f, patientAddress, f.stranger))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(patientAddress);
      expect(await gasOfLastTransaction(f.relayer.address)).to.be.at.most(refused + 2n * limit + CALLDATA_SLACK);
    });

    it("accepts a legitimate wallet that needs less than the bound (here 80k gas)", async () => {
      const f = await loadFixture(deployConsentFixture);
      const wallet = await burner(f.patient2, 80_000n);
      const walletAddress = await wallet.getAddress();
      await expect(relayGrant(f, walletAddress, f.patient2))
        .to.emit(f.ledger, "AccessGranted")
        .withArgs(walletAddress, f.lab.address, scopeOf([Category.LABS]), Purpose.TREAT, anyUint, bytes32Of("bundle"), walletAddress);
      expect(await f.ledger.hasAccess(walletAddress, f.lab.address, Category.LABS)).to.equal(true);
    });

    it("refuses a wallet that needs more than the bound, even with its owner's valid signature", async () => {
      const f = await loadFixture(deployConsentFixture);
      const wallet = await burner(f.patient2, 120_000n);
      const walletAddress = await wallet.getAddress();
      await expect(relayGrant(f, walletAddress, f.patient2))
        .to.be.revertedWithCustomError(f.ledger, "ConsentLedgerInvalidSigner")
        .withArgs(walletAddress);
    });

    it("still accepts a plain key's signature for a patient whose guardian wallet loops", async () => {
      const f = await loadFixture(deployConsentFixture);
      await f.ledger.connect(f.patient).setGuardian(await (await burner(f.guardian, FOREVER)).getAddress());
      await expect(relayGrant(f, f.patient.address, f.patient))
        .to.emit(f.ledger, "AccessGranted")
        .withArgs(
          f.patient.address,
          f.lab.address,
          scopeOf([Category.LABS]),
          Purpose.TREAT,
          anyUint,
          bytes32Of("bundle"),
          f.patient.address,
        );
    });
  });

  describe("RecordIndex.addRecordBySig", () => {
    it("refuses an author wallet that loops, and the relayer pays at most the bound more than for any refused signature", async () => {
      const f = await loadFixture(deployConsentFixture);
      await expectLoopingSignerBounded(f, relayAddRecord, f.recordIndex, "RecordIndexInvalidSigner");
    });

    it("accepts a legitimate wallet author under the bound, and refuses one over it", async () => {
      const f = await loadFixture(deployConsentFixture);
      const cheap = await burner(f.patient2, 80_000n);
      const cheapAddress = await cheap.getAddress();
      await expect(relayAddRecord(f, cheapAddress, f.patient2))
        .to.emit(f.recordIndex, "RecordAdded")
        .withArgs(cheapAddress, bytes32Of("record"), cheapAddress, Category.LABS, cidOf("record"));
      const costly = await burner(f.patient2, 120_000n);
      const costlyAddress = await costly.getAddress();
      await expect(relayAddRecord(f, costlyAddress, f.patient2))
        .to.be.revertedWithCustomError(f.recordIndex, "RecordIndexInvalidSigner")
        .withArgs(costlyAddress);
    });
  });
});
