import type { TypedDataDomain, TypedDataField } from "ethers";
import { tableOf } from "../data/tableOf";

/** EIP-712 domain of one of the project's contracts on one chain. */
export function contractDomain(name: "ConsentLedger" | "RecordIndex", chainId: number, verifyingContract: string): TypedDataDomain {
  return { name, version: "1", chainId, verifyingContract };
}

/**
 * The EIP-712 fields of a signed action: its own, in the order the contract hashes them, then the nonce and deadline
 * every action ends with (they make a signature single-use and short-lived).
 */
function signedAction<const Fields extends readonly (readonly [string, string])[]>(...fields: Fields) {
  return tableOf(["name", "type"], [...fields, ["nonce", "uint256"], ["deadline", "uint256"]] as const);
}

/**
 * EIP-712 types of the signed actions, exactly as the contracts hash them (ConsentLedger: Grant … SetKeyDirectory;
 * RecordIndex: AddRecord). The contract tests check each against the contract, so a drift fails there first.
 */
export const CONSENT_TYPES = {
  Grant: signedAction(
    ["patient", "address"],
    ["grantee", "address"],
    ["scope", "uint32"],
    ["purpose", "uint8"],
    ["expiresAt", "uint64"],
    ["keyBundle", "bytes32"],
  ),
  Revoke: signedAction(["patient", "address"], ["grantee", "address"]),
  RevokeAll: signedAction(["patient", "address"]),
  Approve: signedAction(["requestId", "uint256"], ["keyBundle", "bytes32"]),
  Deny: signedAction(["requestId", "uint256"]),
  SetEncryptionKey: signedAction(["account", "address"], ["key", "bytes32"]),
  SetKeyDirectory: signedAction(["patient", "address"], ["digest", "bytes32"]),
  AddRecord: signedAction(["patient", "address"], ["author", "address"], ["recordId", "bytes32"], ["cid", "bytes"], ["category", "uint8"]),
} as const satisfies Record<string, readonly TypedDataField[]>;

/** One signed-action type name. */
export type ConsentAction = keyof typeof CONSENT_TYPES;

/** The contract that verifies each signed action (its EIP-712 domain name). */
export const ACTION_CONTRACT = {
  Grant: "ConsentLedger",
  Revoke: "ConsentLedger",
  RevokeAll: "ConsentLedger",
  Approve: "ConsentLedger",
  Deny: "ConsentLedger",
  SetEncryptionKey: "ConsentLedger",
  SetKeyDirectory: "ConsentLedger",
  AddRecord: "RecordIndex",
} as const satisfies Record<ConsentAction, "ConsentLedger" | "RecordIndex">;

/** The `types` argument for signing one action (ethers wants only the primary type's entry). */
export function typesFor(action: ConsentAction): Record<string, TypedDataField[]> {
  return { [action]: [...CONSENT_TYPES[action]] };
}

// Field types: addresses and bytes32/bytes values are 0x-hex strings; uint8/uint32 are numbers; uint64/uint256
// are bigints (a nonce read from the contract is one; a uint64 expiry may exceed 2^53 in principle).

/** `Grant` message: a patient (or their guardian) grants `grantee` access. */
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

/** `Revoke` message: a patient (or their guardian) revokes one grant. */
export interface RevokeMessage {
  patient: string;
  grantee: string;
  nonce: bigint;
  deadline: bigint;
}

/** `RevokeAll` message: a patient (or their guardian) cuts every grant at once. */
export interface RevokeAllMessage {
  patient: string;
  nonce: bigint;
  deadline: bigint;
}

/** `Approve` message: the request's patient (or guardian) approves it; the nonce is the patient's. */
export interface ApproveMessage {
  requestId: bigint;
  keyBundle: string;
  nonce: bigint;
  deadline: bigint;
}

/** `Deny` message: the request's patient (or guardian) denies it; the nonce is the patient's. */
export interface DenyMessage {
  requestId: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** `SetEncryptionKey` message: an account (patient or provider) publishes its own X25519 key; only it may sign. */
export interface SetEncryptionKeyMessage {
  account: string;
  key: string;
  nonce: bigint;
  deadline: bigint;
}

/** `SetKeyDirectory` message: a patient publishes the digest of its key directory; only the patient may sign. */
export interface SetKeyDirectoryMessage {
  patient: string;
  digest: string;
  nonce: bigint;
  deadline: bigint;
}

/** `AddRecord` message: `author` announces a record in `patient`'s vault; the nonce is the author's (RecordIndex). */
export interface AddRecordMessage {
  patient: string;
  author: string;
  recordId: string;
  /** The 36-byte binary CIDv1 as 0x-hex. */
  cid: string;
  category: number;
  nonce: bigint;
  deadline: bigint;
}

/** The message shape of each signed action. */
export interface ConsentMessages {
  Grant: GrantMessage;
  Revoke: RevokeMessage;
  RevokeAll: RevokeAllMessage;
  Approve: ApproveMessage;
  Deny: DenyMessage;
  SetEncryptionKey: SetEncryptionKeyMessage;
  SetKeyDirectory: SetKeyDirectoryMessage;
  AddRecord: AddRecordMessage;
}
