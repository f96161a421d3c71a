import hre, { ethers } from "hardhat";
import { CONSENT_TYPES } from "../../lib/consent/typedData";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TypedDataDomain } from "ethers";
import type { AccessProbe, ConsentLedger, DisclosureAnchor, ProviderRegistry, RecordIndex } from "../../typechain-types";

/**
 * True while `hardhat coverage` runs the tests: the contracts are then instrumented, so they cost more gas
 * and run far slower. Gas budgets do not hold and property tests run fewer cases (coverage needs paths,
 * not depth).
 */
export const UNDER_COVERAGE = (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;

/**
 * True while `npm run gas` writes the gas snapshot. Tests whose calls are random (property tests) or
 * deliberately wasteful (a hostile wallet burning gas) skip themselves then, so the snapshot shows what
 * the contracts cost in the deterministic unit tests and only changes when the contracts or those tests do.
 */
export const REPORTING_GAS = process.env.REPORT_GAS === "true";

/** Record categories: bit indexes in a grant's scope (mirrors contracts/libraries/ConsentCodes.sol). */
export const Category = {
  DEMOGRAPHICS: 0,
  PROBLEMS: 1,
  ALLERGIES: 2,
  MEDICATIONS: 3,
  LABS: 4,
  IMAGING: 5,
  IMMUNIZATIONS: 6,
  NOTES: 7,
  MENTAL_HEALTH: 8,
  SEXUAL_REPRODUCTIVE: 9,
  GENETIC: 10,
  SUBSTANCE_USE: 11,
  EMERGENCY_SUMMARY: 12,
} as const;

/** Highest valid category index. */
export const MAX_CATEGORY = 12;

/** The write flag of a scope (bit 31). */
export const WRITE = 0x8000_0000;

/** HL7 v3 purpose-of-use codes. */
export const Purpose = {
  TREAT: 1,
  ETREAT: 2,
  BTG: 3,
  HPAYMT: 4,
  HOPERAT: 5,
  HRESCH: 6,
  PATRQT: 7,
  CAREMGT: 8,
  PUBHLTH: 9,
} as const;

/** `IConsentLedger.RequestStatus`. */
export const RequestStatus = { Pending: 0n, Approved: 1n, Denied: 2n } as const;

/** Builds a scope bitmask from category indexes, optionally with the write flag. */
export function scopeOf(categories: readonly number[], write = false): number {
  let scope = 0;
  for (const c of categories) scope |= 1 << c;
  if (write) scope |= WRITE;
  return scope >>> 0;
}

/**
 * EIP-712 types of ConsentLedger's signed actions: the very definitions the web app and gateway clients sign with
 * (lib/consent/typedData.ts), so the contract tests check the product's types against the contract's type hashes.
 */
export const LEDGER_TYPES = {
  Grant: CONSENT_TYPES.Grant,
  Revoke: CONSENT_TYPES.Revoke,
  RevokeAll: CONSENT_TYPES.RevokeAll,
  Approve: CONSENT_TYPES.Approve,
  Deny: CONSENT_TYPES.Deny,
  SetEncryptionKey: CONSENT_TYPES.SetEncryptionKey,
} as const;

/** EIP-712 types of RecordIndex's signed action (from lib/consent/typedData.ts). */
export const RECORD_TYPES = { AddRecord: CONSENT_TYPES.AddRecord } as const;

/** Message of a `Grant` signature. */
export interface GrantMessage {
  patient: string;
  grantee: string;
  scope: number;
  purpose: number;
  expiresAt: bigint;
  keyBundle: string;
  nonce: bigint;
  deadline: bigint;
}

/** Message of a `Revoke` signature. */
export interface RevokeMessage {
  patient: string;
  grantee: string;
  nonce: bigint;
  deadline: bigint;
}

/** Message of a `RevokeAll` signature. */
export interface RevokeAllMessage {
  patient: string;
  nonce: bigint;
  deadline: bigint;
}

/** Message of an `Approve` signature. */
export interface ApproveMessage {
  requestId: bigint;
  keyBundle: string;
  nonce: bigint;
  deadline: bigint;
}

/** Message of a `Deny` signature. */
export interface DenyMessage {
  requestId: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** Message of a `SetEncryptionKey` signature. */
export interface SetEncryptionKeyMessage {
  patient: string;
  key: string;
  nonce: bigint;
  deadline: bigint;
}

/** Message of an `AddRecord` signature. */
export interface AddRecordMessage {
  patient: string;
  author: string;
  recordId: string;
  cid: string;
  category: number;
  nonce: bigint;
  deadline: bigint;
}

/** Maps each ledger primary type to its message shape. */
export interface LedgerMessages {
  Grant: GrantMessage;
  Revoke: RevokeMessage;
  RevokeAll: RevokeAllMessage;
  Approve: ApproveMessage;
  Deny: DenyMessage;
  SetEncryptionKey: SetEncryptionKeyMessage;
}

/** The EIP-712 domain of a deployed contract (name, version "1", chain id, address). */
export async function domainOf(name: "ConsentLedger" | "RecordIndex", address: string): Promise<TypedDataDomain> {
  const { chainId } = await ethers.provider.getNetwork();
  return { name, version: "1", chainId, verifyingContract: address };
}

/** Signs a ConsentLedger EIP-712 message of `primaryType` with `signer`'s key. */
export async function signLedger<T extends keyof LedgerMessages>(
  signer: HardhatEthersSigner,
  ledger: ConsentLedger,
  primaryType: T,
  message: LedgerMessages[T],
): Promise<string> {
  const domain = await domainOf("ConsentLedger", await ledger.getAddress());
  const types = { [primaryType]: [...LEDGER_TYPES[primaryType]] };
  return signer.signTypedData(domain, types, message);
}

/** Signs a RecordIndex `AddRecord` message with `signer`'s key. */
export async function signAddRecord(signer: HardhatEthersSigner, recordIndex: RecordIndex, message: AddRecordMessage): Promise<string> {
  const domain = await domainOf("RecordIndex", await recordIndex.getAddress());
  return signer.signTypedData(domain, { AddRecord: [...RECORD_TYPES.AddRecord] }, message);
}

/** A fixed, recognisable 32-byte value for keys, licences and digests. */
export function bytes32Of(label: string): string {
  return ethers.id(label);
}

/**
 * Deploys the registry, ledger, record index and anchor; verifies a doctor, a lab (both ordinary) and an
 * emergency-capable ER doctor; grants GATEWAY_ROLE to `gateway`. `admin` is the registrar.
 */
export async function deployConsentFixture() {
  const [admin, patient, doctor, erDoctor, lab, stranger, guardian, relayer, gateway, patient2] = await ethers.getSigners();

  const registry: ProviderRegistry = await ethers.deployContract("ProviderRegistry", [admin.address]);
  const ledger: ConsentLedger = await ethers.deployContract("ConsentLedger", [await registry.getAddress()]);
  const recordIndex: RecordIndex = await ethers.deployContract("RecordIndex", [await ledger.getAddress()]);
  const anchor: DisclosureAnchor = await ethers.deployContract("DisclosureAnchor", [await registry.getAddress()]);
  const probe: AccessProbe = await ethers.deployContract("AccessProbe");

  await registry.verifyProvider(doctor.address, bytes32Of("licence:doctor"), "Dr. Ada Lovelace, GP", bytes32Of("key:doctor"), false);
  await registry.verifyProvider(lab.address, bytes32Of("licence:lab"), "Northside Lab", bytes32Of("key:lab"), false);
  await registry.verifyProvider(erDoctor.address, bytes32Of("licence:er"), "St. Mary ER", bytes32Of("key:er"), true);
  await registry.grantRole(await registry.GATEWAY_ROLE(), gateway.address);

  /** Signs `Grant` for `message` with `signer` (patient or guardian). */
  const signGrant = (signer: HardhatEthersSigner, message: GrantMessage) => signLedger(signer, ledger, "Grant", message);

  return {
    registry,
    ledger,
    recordIndex,
    anchor,
    probe,
    admin,
    registrar: admin,
    patient,
    patient2,
    doctor,
    erDoctor,
    lab,
    stranger,
    guardian,
    relayer,
    gateway,
    signGrant,
  };
}

/** What {deployConsentFixture} returns. */
export type ConsentFixture = Awaited<ReturnType<typeof deployConsentFixture>>;
