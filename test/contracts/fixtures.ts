import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { CATEGORY, MAX_CATEGORY, PROVIDER_KIND, PURPOSE, WRITE_BIT, scopeOf } from "../../lib/consent/codes";
import {
  ACTION_CONTRACT,
  CONSENT_TYPES,
  typesFor,
  type AddRecordMessage,
  type ConsentAction,
  type ConsentMessages,
  type GrantMessage,
} from "../../lib/consent/typedData";
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

/** Record categories by name (lib/consent/codes.ts, which mirrors contracts/libraries/ConsentCodes.sol). */
export const Category = CATEGORY;

/** HL7 v3 purpose-of-use codes by name (lib/consent/codes.ts). */
export const Purpose = PURPOSE;

/** Provider kinds by name (lib/consent/codes.ts). */
export const ProviderKind = PROVIDER_KIND;

export { MAX_CATEGORY, scopeOf };

/** The write flag of a scope (bit 31), as the unsigned number a uint32 scope holds. */
export const WRITE = WRITE_BIT >>> 0;

/** `IConsentLedger.RequestStatus`. */
export const RequestStatus = { Pending: 0n, Approved: 1n, Denied: 2n } as const;

export type {
  AddRecordMessage,
  ApproveMessage,
  DenyMessage,
  GrantMessage,
  RevokeAllMessage,
  RevokeMessage,
  SetEncryptionKeyMessage,
  SetKeyDirectoryMessage,
} from "../../lib/consent/typedData";

/** The signed actions ConsentLedger verifies. */
export type LedgerAction = Exclude<ConsentAction, "AddRecord">;

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
  SetKeyDirectory: CONSENT_TYPES.SetKeyDirectory,
} as const satisfies Record<LedgerAction, unknown>;

/** EIP-712 types of RecordIndex's signed action (from lib/consent/typedData.ts). */
export const RECORD_TYPES = { AddRecord: CONSENT_TYPES.AddRecord } as const;

/** The EIP-712 domain of a deployed contract (name, version "1", chain id, address). */
export async function domainOf(name: "ConsentLedger" | "RecordIndex", address: string): Promise<TypedDataDomain> {
  const { chainId } = await ethers.provider.getNetwork();
  return { name, version: "1", chainId, verifyingContract: address };
}

/** Signs a ConsentLedger EIP-712 message of `primaryType` with `signer`'s key. */
export async function signLedger<T extends LedgerAction>(
  signer: HardhatEthersSigner,
  ledger: ConsentLedger,
  primaryType: T,
  message: ConsentMessages[T],
): Promise<string> {
  const domain = await domainOf(ACTION_CONTRACT[primaryType], await ledger.getAddress());
  return signer.signTypedData(domain, typesFor(primaryType), message);
}

/**
 * The two values an account publishes on the ledger by its own signature only (never its guardian's): its X25519 key
 * and its key-directory digest. Both signed calls take (account, value, deadline, signature) and both messages carry
 * (account, value, nonce, deadline), so tests run them from one table; this names each one's function, event and view.
 */
export const OWN_PUBLICATIONS = {
  setEncryptionKeyBySig: { what: "key", direct: "setEncryptionKey", event: "EncryptionKeyPublished", view: "encryptionKeyOf" },
  setKeyDirectoryBySig: { what: "key directory", direct: "setKeyDirectory", event: "KeyDirectoryPublished", view: "keyDirectoryOf" },
} as const;

/** A signed function of {@link OWN_PUBLICATIONS}. */
export type OwnPublication = keyof typeof OWN_PUBLICATIONS;

/** Signs `account`'s publication of `value` through `fn`, with `signer`'s key; each type names the fields its own way. */
export function signOwnPublication(
  signer: HardhatEthersSigner,
  ledger: ConsentLedger,
  fn: OwnPublication,
  account: string,
  value: string,
  nonce: bigint,
  deadline: bigint,
): Promise<string> {
  return fn === "setEncryptionKeyBySig"
    ? signLedger(signer, ledger, "SetEncryptionKey", { account, key: value, nonce, deadline })
    : signLedger(signer, ledger, "SetKeyDirectory", { patient: account, digest: value, nonce, deadline });
}

/** Signs a RecordIndex `AddRecord` message with `signer`'s key. */
export async function signAddRecord(signer: HardhatEthersSigner, recordIndex: RecordIndex, message: AddRecordMessage): Promise<string> {
  const domain = await domainOf(ACTION_CONTRACT.AddRecord, await recordIndex.getAddress());
  return signer.signTypedData(domain, typesFor("AddRecord"), message);
}

/** Seconds in an hour: how long the tests' signatures stay usable. */
export const HOUR = 3600n;

/** Seconds in a day: how long the tests' grants usually run. */
export const DAY = 86_400n;

/** The key-bundle digest the tests' grants carry. */
export const KEY_BUNDLE = bytes32Of("key-bundle");

/** The order of secp256k1: `s` and `N - s` make the two signatures ecrecover accepts for one message. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Flips a 65-byte signature to its high-s twin, which ecrecover would accept but OpenZeppelin's ECDSA refuses. */
export function malleate(signature: string): string {
  const sig = ethers.Signature.from(signature);
  const highS = SECP256K1_N - BigInt(sig.s);
  return ethers.concat([sig.r, ethers.toBeHex(highS, 32), sig.v === 27 ? "0x1c" : "0x1b"]);
}

/** Problems, allergies and medications: the scope of the tests' usual grant to the doctor. */
export const CLINICAL = scopeOf([CATEGORY.PROBLEMS, CATEGORY.ALLERGIES, CATEGORY.MEDICATIONS]);

/** Sets the next block's timestamp a few seconds ahead and returns it, so events can be checked exactly. */
export async function pinNextTimestamp(ahead = 10n): Promise<bigint> {
  const t = BigInt(await time.latest()) + ahead;
  await time.setNextBlockTimestamp(t);
  return t;
}

/** Multicodec numbers a binary CID may carry; only raw and dag-pb are canonical. */
export const Codec = { RAW: 0x55, DAG_PB: 0x70, DAG_CBOR: 0x71 } as const;

/**
 * The canonical 36-byte binary CIDv1 (0x-hex) of content whose sha2-256 digest is that of `label`:
 * `0x01 | codec | 0x12 0x20 | digest`.
 */
export function cidOf(label: string, codec: number = Codec.RAW): string {
  return ethers.concat(["0x01", ethers.toBeHex(codec, 1), "0x1220", digestOf(label)]);
}

/** The sha2-256 digest {@link cidOf} puts in the CID of `label`, which RecordIndex keys records by. */
export function digestOf(label: string): string {
  return ethers.sha256(ethers.toUtf8Bytes(label));
}

/** A fixed, recognisable 32-byte value for keys, licences and digests. */
export function bytes32Of(label: string): string {
  return ethers.id(label);
}

/**
 * Deploys the registry, ledger, record index and anchor; verifies a doctor (clinician), a lab (laboratory), both
 * ordinary, and an emergency-capable ER doctor (clinician); grants GATEWAY_ROLE to `gateway`. `admin` is the
 * registrar.
 */
export async function deployConsentFixture() {
  const [admin, patient, doctor, erDoctor, lab, stranger, guardian, relayer, gateway, patient2] = await ethers.getSigners();

  const registry: ProviderRegistry = await ethers.deployContract("ProviderRegistry", [admin.address]);
  const ledger: ConsentLedger = await ethers.deployContract("ConsentLedger", [await registry.getAddress()]);
  const recordIndex: RecordIndex = await ethers.deployContract("RecordIndex", [await ledger.getAddress()]);
  const anchor: DisclosureAnchor = await ethers.deployContract("DisclosureAnchor", [await registry.getAddress()]);
  const probe: AccessProbe = await ethers.deployContract("AccessProbe");

  await registry.verifyProvider(doctor.address, bytes32Of("licence:doctor"), "Dr. Ada Lovelace, GP", ProviderKind.CLINICIAN, false);
  await registry.verifyProvider(lab.address, bytes32Of("licence:lab"), "Northside Lab", ProviderKind.LABORATORY, false);
  await registry.verifyProvider(erDoctor.address, bytes32Of("licence:er"), "St. Mary ER", ProviderKind.CLINICIAN, true);
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
