import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { FunctionFragment, type BaseContract, type ContractTransactionResponse } from "ethers";
import type { ERC1271WalletMock, ReentrantSignerMock } from "../../typechain-types";
import {
  Category,
  DAY,
  HOUR,
  KEY_BUNDLE,
  OWN_PUBLICATIONS,
  ProviderKind,
  Purpose,
  REPORTING_GAS,
  RequestStatus,
  bytes32Of,
  cidOf,
  deployConsentFixture,
  digestOf,
  scopeOf,
  signAddRecord,
  signLedger,
  signOwnPublication,
  type OwnPublication,
} from "./fixtures";

/**
 * Reentrancy-freedom by construction.
 *
 * None of the four contracts makes a state-changing external call, so none needs a reentrancy guard: every
 * call they make goes out through STATICCALL. ConsentLedger asks the registry (`isActive`,
 * `isEmergencyCapable`, `statusOf`: view functions, which Solidity calls with STATICCALL) and, for smart-account
 * signers, the account's ERC-1271 `isValidSignature` (through STATICCALL, in `BoundedSignatureChecker`);
 * `ecrecover` is a STATICCALL to a precompile. RecordIndex reads the ledger and checks signatures the same
 * way; DisclosureAnchor reads `hasRole`; ProviderRegistry calls nothing. Code reached through a STATICCALL
 * runs in a static context where SSTORE, LOG, CREATE and SELFDESTRUCT revert, so whatever it calls back
 * can read but never change state, in these contracts or anywhere else.
 *
 * The first block proves the premise from execution traces, for every state-changing function of the four
 * ABIs (a new function that is not traced here fails the test). The second plays a hostile smart account
 * whose `isValidSignature` re-enters with a state-changing call, and shows that each re-entry fails while
 * the signed action still goes through exactly as signed.
 */

const LABS = scopeOf([Category.LABS]);
const ALL = scopeOf([...Array(Category.EMERGENCY_SUMMARY + 1).keys()], true);
const CID = cidOf("record one");
const CID2 = cidOf("record two");

/** Opcodes by which a contract reaches code or state outside itself. */
const EXTERNAL_OPS = new Set(["CALL", "CALLCODE", "DELEGATECALL", "STATICCALL", "CREATE", "CREATE2", "SELFDESTRUCT"]);

interface StructLog {
  op: string;
  depth: number;
}

/** The external-call opcodes run by the transaction's own frame (depth 1: the contract called). */
async function externalOpsOf(tx: Promise<ContractTransactionResponse>): Promise<string[]> {
  const receipt = await (await tx).wait();
  const trace = (await ethers.provider.send("debug_traceTransaction", [
    receipt!.hash,
    { disableStack: true, disableMemory: true, disableStorage: true },
  ])) as { structLogs: StructLog[] };
  return trace.structLogs.filter((log) => log.depth === 1 && EXTERNAL_OPS.has(log.op)).map((log) => log.op);
}

/** Names of a contract's functions that are neither view nor pure. */
function stateChangingFunctions(contract: BaseContract): string[] {
  return contract.interface.fragments
    .filter(FunctionFragment.isFragment)
    .filter((fragment) => !fragment.constant)
    .map((fragment) => fragment.name);
}

/** Calls every state-changing function of the four contracts at least once and traces each call. */
async function sweepFixture() {
  const f = await deployConsentFixture();
  const { registry, ledger, recordIndex, anchor, admin, patient, patient2, doctor, lab, erDoctor, guardian, relayer, stranger, gateway } =
    f;
  const ops = new Map<string, string[]>();
  const trace = async (name: string, tx: Promise<ContractTransactionResponse>) => {
    ops.set(name, [...(ops.get(name) ?? []), ...(await externalOpsOf(tx))]);
  };
  const now = async () => BigInt(await time.latest());
  const nonce = () => ledger.nonces(patient.address);

  // ProviderRegistry (AccessControl's role functions included).
  const AUDITOR = await registry.AUDITOR_ROLE();
  await trace(
    "ProviderRegistry.verifyProvider",
    registry.verifyProvider(stranger.address, bytes32Of("l"), "Clinic", ProviderKind.CLINICIAN, false),
  );
  await trace("ProviderRegistry.deactivateProvider", registry.deactivateProvider(stranger.address));
  await trace("ProviderRegistry.grantRole", registry.grantRole(AUDITOR, relayer.address));
  await trace("ProviderRegistry.revokeRole", registry.revokeRole(AUDITOR, relayer.address));
  await registry.grantRole(AUDITOR, admin.address);
  await trace("ProviderRegistry.renounceRole", registry.renounceRole(AUDITOR, admin.address));

  // ConsentLedger: direct, guardian and signed forms; grantBySig also from a smart-account patient.
  const deadline = (await now()) + HOUR;
  const expiresAt = (await now()) + DAY;
  await trace("ConsentLedger.setGuardian", ledger.connect(patient).setGuardian(guardian.address));
  await trace("ConsentLedger.grant", ledger.connect(patient).grant(doctor.address, LABS, Purpose.TREAT, expiresAt, KEY_BUNDLE));
  await trace(
    "ConsentLedger.grantFor",
    ledger.connect(guardian).grantFor(patient.address, lab.address, LABS, Purpose.TREAT, expiresAt, KEY_BUNDLE),
  );
  const grant = {
    patient: patient.address,
    grantee: erDoctor.address,
    scope: LABS,
    purpose: Purpose.TREAT,
    expiresAt,
    keyBundle: KEY_BUNDLE,
    deadline,
  };
  const grantSig = await signLedger(patient, ledger, "Grant", { ...grant, nonce: await nonce() });
  await trace(
    "ConsentLedger.grantBySig",
    ledger.connect(relayer).grantBySig(grant.patient, grant.grantee, LABS, Purpose.TREAT, expiresAt, KEY_BUNDLE, deadline, grantSig),
  );
  const wallet: ERC1271WalletMock = await ethers.deployContract("ERC1271WalletMock", [patient2.address]);
  const walletAddress = await wallet.getAddress();
  const walletSig = await signLedger(patient2, ledger, "Grant", { ...grant, patient: walletAddress, nonce: 0n });
  await trace(
    "ConsentLedger.grantBySig",
    ledger.connect(relayer).grantBySig(walletAddress, grant.grantee, LABS, Purpose.TREAT, expiresAt, KEY_BUNDLE, deadline, walletSig),
  );
  await trace("ConsentLedger.revoke", ledger.connect(patient).revoke(doctor.address));
  await trace("ConsentLedger.revokeFor", ledger.connect(guardian).revokeFor(patient.address, lab.address));
  const revokeSig = await signLedger(patient, ledger, "Revoke", {
    patient: patient.address,
    grantee: erDoctor.address,
    nonce: await nonce(),
    deadline,
  });
  await trace("ConsentLedger.revokeBySig", ledger.connect(relayer).revokeBySig(patient.address, erDoctor.address, deadline, revokeSig));
  await trace("ConsentLedger.revokeAll", ledger.connect(patient).revokeAll());
  await trace("ConsentLedger.revokeAllFor", ledger.connect(guardian).revokeAllFor(patient.address));
  const revokeAllSig = await signLedger(patient, ledger, "RevokeAll", { patient: patient.address, nonce: await nonce(), deadline });
  await trace("ConsentLedger.revokeAllBySig", ledger.connect(relayer).revokeAllBySig(patient.address, deadline, revokeAllSig));
  await trace("ConsentLedger.requestAccess", ledger.connect(doctor).requestAccess(patient.address, LABS, Purpose.TREAT, DAY));
  for (let i = 0; i < 3; i++) await ledger.connect(lab).requestAccess(patient.address, LABS, Purpose.TREAT, DAY);
  await trace("ConsentLedger.approve", ledger.connect(patient).approve(0, KEY_BUNDLE));
  const approveSig = await signLedger(patient, ledger, "Approve", { requestId: 1n, keyBundle: KEY_BUNDLE, nonce: await nonce(), deadline });
  await trace("ConsentLedger.approveBySig", ledger.connect(relayer).approveBySig(1, KEY_BUNDLE, deadline, approveSig));
  await trace("ConsentLedger.deny", ledger.connect(patient).deny(2));
  const denySig = await signLedger(patient, ledger, "Deny", { requestId: 3n, nonce: await nonce(), deadline });
  await trace("ConsentLedger.denyBySig", ledger.connect(relayer).denyBySig(3, deadline, denySig));
  const key = bytes32Of("x25519");
  await trace("ConsentLedger.setEncryptionKey", ledger.connect(patient).setEncryptionKey(key));
  const keySig = await signLedger(patient, ledger, "SetEncryptionKey", { account: patient.address, key, nonce: await nonce(), deadline });
  await trace("ConsentLedger.setEncryptionKeyBySig", ledger.connect(relayer).setEncryptionKeyBySig(patient.address, key, deadline, keySig));
  const directory = bytes32Of("key-directory");
  await trace("ConsentLedger.setKeyDirectory", ledger.connect(patient).setKeyDirectory(directory));
  const directorySig = await signLedger(patient, ledger, "SetKeyDirectory", {
    patient: patient.address,
    digest: directory,
    nonce: await nonce(),
    deadline,
  });
  await trace(
    "ConsentLedger.setKeyDirectoryBySig",
    ledger.connect(relayer).setKeyDirectoryBySig(patient.address, directory, deadline, directorySig),
  );
  await trace("ConsentLedger.setEmergencyPolicy", ledger.connect(patient).setEmergencyPolicy(true, 900, KEY_BUNDLE));
  await trace("ConsentLedger.breakGlass", ledger.connect(erDoctor).breakGlass(patient.address, Purpose.ETREAT));

  // RecordIndex: a provider with write access, so the index asks the ledger.
  await ledger.connect(patient).grant(doctor.address, scopeOf([Category.NOTES], true), Purpose.TREAT, (await now()) + DAY, KEY_BUNDLE);
  await trace("RecordIndex.addRecord", recordIndex.connect(doctor).addRecord(patient.address, bytes32Of("r1"), CID, Category.NOTES));
  const record = {
    patient: patient.address,
    author: doctor.address,
    recordId: bytes32Of("r2"),
    cid: CID2,
    category: Category.NOTES,
    nonce: await recordIndex.nonces(doctor.address),
    deadline: (await now()) + HOUR,
  };
  const recordSig = await signAddRecord(doctor, recordIndex, record);
  await trace(
    "RecordIndex.addRecordBySig",
    recordIndex
      .connect(relayer)
      .addRecordBySig(record.patient, record.author, record.recordId, CID2, Category.NOTES, record.deadline, recordSig),
  );

  // DisclosureAnchor.
  await trace("DisclosureAnchor.anchor", anchor.connect(gateway).anchor(0, 9, bytes32Of("root")));

  return { ops, contracts: { ProviderRegistry: registry, ConsentLedger: ledger, RecordIndex: recordIndex, DisclosureAnchor: anchor } };
}

describe("Reentrancy freedom by construction", () => {
  describe("every state-changing function calls out only through STATICCALL", () => {
    for (const name of ["ConsentLedger", "RecordIndex", "DisclosureAnchor", "ProviderRegistry"] as const) {
      it(`holds for each state-changing function of ${name}`, async () => {
        const { ops, contracts } = await loadFixture(sweepFixture);
        const functions = stateChangingFunctions(contracts[name]);
        expect(functions.filter((fn) => !ops.has(`${name}.${fn}`))).to.deep.equal([], "state-changing functions missing from the sweep");
        for (const fn of functions) {
          expect(ops.get(`${name}.${fn}`)!.filter((op) => op !== "STATICCALL")).to.deep.equal([], `${name}.${fn}`);
        }
      });
    }

    it("does see the calls it vets: the registry check of grant, the ERC-1271 check of a smart-account signature", async () => {
      const { ops } = await loadFixture(sweepFixture);
      expect(ops.get("ConsentLedger.grant")).to.deep.equal(["STATICCALL"]);
      // ecrecover (a precompile) and the registry check for each of the two grantBySig calls, plus isValidSignature
      // of the smart-account patient.
      expect(ops.get("ConsentLedger.grantBySig")).to.deep.equal(Array(5).fill("STATICCALL"));
      expect(ops.get("ProviderRegistry.verifyProvider")).to.deep.equal([]);
    });
  });

  describe("a hostile ERC-1271 account that re-enters from isValidSignature", function () {
    before(function () {
      if (REPORTING_GAS) this.skip(); // each failed re-entry burns its 200k gas and would swamp the *BySig figures
    });

    /** The hostile account as a patient with a grant to the doctor and a pending request (id 0) from the lab. */
    async function hostileFixture() {
      const f = await deployConsentFixture();
      const wallet: ReentrantSignerMock = await ethers.deployContract("ReentrantSignerMock", [f.patient2.address]);
      const walletAddress = await wallet.getAddress();
      const ledgerAddress = await f.ledger.getAddress();
      const expiresAt = BigInt(await time.latest()) + DAY;
      await wallet.execute(
        ledgerAddress,
        f.ledger.interface.encodeFunctionData("grant", [f.doctor.address, LABS, Purpose.TREAT, expiresAt, KEY_BUNDLE]),
      );
      await f.ledger.connect(f.lab).requestAccess(walletAddress, LABS, Purpose.TREAT, DAY);
      const deadline = BigInt(await time.latest()) + HOUR;
      /** Arms the account to send `data` to the ledger whenever it is asked to validate a signature. */
      const armLedger = (data: string) => wallet.arm(ledgerAddress, data);
      /** Relays a LABS grant of `patient` (nonce 0) to `grantee`, signed by the account's owner key. */
      const relaySignedGrant = async (patient: string, grantee: string) => {
        const m = { patient, grantee, scope: LABS, purpose: Purpose.TREAT, expiresAt, keyBundle: KEY_BUNDLE, nonce: 0n, deadline };
        const sig = await signLedger(f.patient2, f.ledger, "Grant", m);
        return f.ledger.connect(f.relayer).grantBySig(patient, grantee, LABS, Purpose.TREAT, expiresAt, KEY_BUNDLE, deadline, sig);
      };
      return { ...f, wallet, walletAddress, ledgerAddress, expiresAt, deadline, armLedger, relaySignedGrant };
    }

    it("does re-enter when called without STATICCALL (the control)", async () => {
      const { ledger, wallet, walletAddress, armLedger } = await loadFixture(hostileFixture);
      await armLedger(ledger.interface.encodeFunctionData("revokeAll"));
      await expect(wallet.isValidSignature(ethers.ZeroHash, "0x"))
        .to.emit(ledger, "AllAccessRevoked")
        .withArgs(walletAddress, 1, walletAddress);
      expect(await ledger.epochOf(walletAddress)).to.equal(1n);
    });

    it("cannot revokeAll in the middle of its own grantBySig", async () => {
      const { ledger, walletAddress, erDoctor, expiresAt, armLedger, relaySignedGrant } = await loadFixture(hostileFixture);
      await armLedger(ledger.interface.encodeFunctionData("revokeAll"));
      await expect(relaySignedGrant(walletAddress, erDoctor.address))
        .to.emit(ledger, "AccessGranted")
        .withArgs(walletAddress, erDoctor.address, LABS, Purpose.TREAT, expiresAt, KEY_BUNDLE, walletAddress)
        .and.not.to.emit(ledger, "AllAccessRevoked");
      expect(await ledger.epochOf(walletAddress)).to.equal(0n);
    });

    it("cannot re-grant wider in the middle of its revokeBySig", async () => {
      const { ledger, walletAddress, patient2, doctor, relayer, expiresAt, deadline, armLedger } = await loadFixture(hostileFixture);
      await armLedger(ledger.interface.encodeFunctionData("grant", [doctor.address, ALL, Purpose.TREAT, expiresAt, KEY_BUNDLE]));
      const sig = await signLedger(patient2, ledger, "Revoke", { patient: walletAddress, grantee: doctor.address, nonce: 0n, deadline });
      await expect(ledger.connect(relayer).revokeBySig(walletAddress, doctor.address, deadline, sig))
        .to.emit(ledger, "AccessRevoked")
        .withArgs(walletAddress, doctor.address, walletAddress)
        .and.not.to.emit(ledger, "AccessGranted");
      expect((await ledger.grantOf(walletAddress, doctor.address)).expiresAt).to.equal(0n);
    });

    it("cannot appoint a guardian in the middle of its revokeAllBySig", async () => {
      const { ledger, walletAddress, patient2, stranger, relayer, deadline, armLedger } = await loadFixture(hostileFixture);
      await armLedger(ledger.interface.encodeFunctionData("setGuardian", [stranger.address]));
      const sig = await signLedger(patient2, ledger, "RevokeAll", { patient: walletAddress, nonce: 0n, deadline });
      await expect(ledger.connect(relayer).revokeAllBySig(walletAddress, deadline, sig))
        .to.emit(ledger, "AllAccessRevoked")
        .withArgs(walletAddress, 1, walletAddress)
        .and.not.to.emit(ledger, "GuardianSet");
      expect(await ledger.guardianOf(walletAddress)).to.equal(ethers.ZeroAddress);
    });

    it("cannot deny a request in the middle of approving it by signature, nor approve it while denying", async () => {
      const { ledger, walletAddress, patient2, lab, relayer, deadline, armLedger } = await loadFixture(hostileFixture);
      await armLedger(ledger.interface.encodeFunctionData("deny", [0]));
      const approveSig = await signLedger(patient2, ledger, "Approve", { requestId: 0n, keyBundle: KEY_BUNDLE, nonce: 0n, deadline });
      await expect(ledger.connect(relayer).approveBySig(0, KEY_BUNDLE, deadline, approveSig))
        .to.emit(ledger, "RequestApproved")
        .withArgs(0, walletAddress, lab.address)
        .and.not.to.emit(ledger, "RequestDenied");
      expect((await ledger.requestOf(0)).status).to.equal(RequestStatus.Approved);

      await ledger.connect(lab).requestAccess(walletAddress, LABS, Purpose.TREAT, DAY);
      await armLedger(ledger.interface.encodeFunctionData("approve", [1, KEY_BUNDLE]));
      const denySig = await signLedger(patient2, ledger, "Deny", { requestId: 1n, nonce: 1n, deadline });
      await expect(ledger.connect(relayer).denyBySig(1, deadline, denySig))
        .to.emit(ledger, "RequestDenied")
        .withArgs(1, walletAddress, lab.address, walletAddress)
        .and.not.to.emit(ledger, "RequestApproved");
      expect((await ledger.requestOf(1)).status).to.equal(RequestStatus.Denied);
    });

    for (const fn of Object.keys(OWN_PUBLICATIONS) as OwnPublication[]) {
      const { what, direct, event, view } = OWN_PUBLICATIONS[fn];
      it(`cannot publish another ${what} in the middle of its ${fn}`, async () => {
        const { ledger, walletAddress, patient2, relayer, deadline, armLedger } = await loadFixture(hostileFixture);
        const value = bytes32Of(`${what}:signed`);
        await armLedger((await ledger[direct].populateTransaction(bytes32Of(`${what}:smuggled`))).data);
        const sig = await signOwnPublication(patient2, ledger, fn, walletAddress, value, 0n, deadline);
        await expect(ledger.connect(relayer)[fn](walletAddress, value, deadline, sig))
          .to.emit(ledger, event)
          .withArgs(walletAddress, value);
        expect(await ledger[view](walletAddress)).to.equal(value);
      });
    }

    it("as a guardian, cannot cut the patient's grants in the middle of a grantBySig it signed", async () => {
      const { ledger, patient, lab, expiresAt, wallet, walletAddress, armLedger, relaySignedGrant } = await loadFixture(hostileFixture);
      await ledger.connect(patient).setGuardian(walletAddress);
      await armLedger(ledger.interface.encodeFunctionData("revokeAllFor", [patient.address]));
      await expect(relaySignedGrant(patient.address, lab.address))
        .to.emit(ledger, "AccessGranted")
        .withArgs(patient.address, lab.address, LABS, Purpose.TREAT, expiresAt, KEY_BUNDLE, await wallet.getAddress())
        .and.not.to.emit(ledger, "AllAccessRevoked");
      expect(await ledger.epochOf(patient.address)).to.equal(0n);
    });

    it("cannot index the same CID first in the middle of RecordIndex.addRecordBySig", async () => {
      const { recordIndex, walletAddress, wallet, patient2, relayer, deadline } = await loadFixture(hostileFixture);
      const recordId = bytes32Of("record:signed");
      await wallet.arm(
        await recordIndex.getAddress(),
        recordIndex.interface.encodeFunctionData("addRecord", [walletAddress, bytes32Of("record:smuggled"), CID, Category.LABS]),
      );
      const m = { patient: walletAddress, author: walletAddress, recordId, cid: CID, category: Category.LABS, nonce: 0n, deadline };
      const sig = await signAddRecord(patient2, recordIndex, m);
      await expect(recordIndex.connect(relayer).addRecordBySig(walletAddress, walletAddress, recordId, CID, Category.LABS, deadline, sig))
        .to.emit(recordIndex, "RecordAdded")
        .withArgs(walletAddress, recordId, walletAddress, Category.LABS, CID);
      expect((await recordIndex.recordOf(walletAddress, digestOf("record one"))).patient).to.equal(walletAddress);
    });
  });
});
