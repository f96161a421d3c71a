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

/** The two contracts with signed entry points: who signs a call, and the error naming a signer that does not check out. */
const SIGNED = {
  ledger: { signer: "a patient", invalidSigner: "ConsentLedgerInvalidSigner" },
  recordIndex: { signer: "an author", invalidSigner: "RecordIndexInvalidSigner" },
} as const;
type SignedContract = keyof typeof SIGNED;

/** Relays one signed entry point for `account` (an account or a wallet address), signed by `signer`. */
type Relay = (f: ConsentFixture, account: string, signer: HardhatEthersSigner) => Promise<ContractTransactionResponse>;

/**
 * The attack and its bound, for one signed entry point: a stranger's signature relayed for a well-behaved smart
 * account is refused, which is the reference cost; the same junk signature for an account whose check never ends is
 * refused too, and costs the relayer at most ERC1271_GAS_LIMIT more.
 */
async function expectLoopingSignerBounded(f: ConsentFixture, contractKey: SignedContract, relay: Relay): Promise<void> {
  const contract = f[contractKey];
  const { invalidSigner } = SIGNED[contractKey];
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

/**
 * What every signed entry point does with a smart-account signer: a looping wallet costs the relayer at most the
 * bound, a wallet under the bound goes through (`expectDone` asserts what the call did for it), one over it is refused.
 */
function shouldBoundSmartAccountSigners(
  contractKey: SignedContract,
  relay: Relay,
  expectDone: (f: ConsentFixture, tx: Promise<ContractTransactionResponse>, account: string) => Promise<void>,
): void {
  const { signer, invalidSigner } = SIGNED[contractKey];

  /** A fresh wallet of patient2's that burns `burn` gas on every check, and a relayed call for it signed by patient2. */
  async function walletBurning(burn: bigint) {
    const f = await loadFixture(deployConsentFixture);
    const wallet = await (await burner(f.patient2, burn)).getAddress();
    return { f, wallet, send: () => relay(f, wallet, f.patient2) };
  }

  it(`refuses ${signer} wallet that loops, and the relayer pays at most the bound more than for any refused signature`, async () => {
    await expectLoopingSignerBounded(await loadFixture(deployConsentFixture), contractKey, relay);
  });

  it(`accepts ${signer} wallet that needs less than the bound (here 80k gas)`, async () => {
    const { f, wallet, send } = await walletBurning(80_000n);
    await expectDone(f, send(), wallet);
  });

  it(`refuses ${signer} wallet that needs more than the bound, even with its owner's valid signature`, async () => {
    const { f, wallet, send } = await walletBurning(120_000n);
    await expect(send()).to.be.revertedWithCustomError(f[contractKey], invalidSigner).withArgs(wallet);
  });
}

/** Asserts that `tx` (from {@link relayGrant}) granted LABS to the lab for `patient`. */
async function expectGranted(f: ConsentFixture, tx: Promise<ContractTransactionResponse>, patient: string): Promise<void> {
  await expect(tx)
    .to.emit(f.ledger, "AccessGranted")
    .withArgs(patient, f.lab.address, scopeOf([Category.LABS]), Purpose.TREAT, anyUint, bytes32Of("bundle"), patient);
  expect(await f.ledger.hasAccess(patient, f.lab.address, Category.LABS)).to.equal(true);
}

/** Asserts that `tx` (from {@link relayAddRecord}) added the LABS record to `author`'s vault. */
async function expectRecordAdded(f: ConsentFixture, tx: Promise<ContractTransactionResponse>, author: string): Promise<void> {
  await expect(tx).to.emit(f.recordIndex, "RecordAdded").withArgs(author, bytes32Of("record"), author, Category.LABS, cidOf("record"));
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
    shouldBoundSmartAccountSigners("ledger", relayGrant, expectGranted);

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

    it("still accepts a plain key's signature for a patient whose guardian wallet loops", async () => {
      const f = await loadFixture(deployConsentFixture);
      await f.ledger.connect(f.patient).setGuardian(await (await burner(f.guardian, FOREVER)).getAddress());
      await expectGranted(f, relayGrant(f, f.patient.address, f.patient), f.patient.address);
    });
  });

  describe("RecordIndex.addRecordBySig", () => {
    shouldBoundSmartAccountSigners("recordIndex", relayAddRecord, expectRecordAdded);
  });
});
