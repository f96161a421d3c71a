import type { TypedDataDomain, TypedDataField } from "ethers";

/** EIP-712 domain of one of the project's contracts on one chain. */
export function contractDomain(name: "ConsentLedger" | "RecordIndex", chainId: number, verifyingContract: string): TypedDataDomain {
  return { name, version: "1", chainId, verifyingContract };
}

/** EIP-712 types of the signed consent actions, exactly as the contracts hash them. */
export const CONSENT_TYPES = {
  Grant: [
    { name: "patient", type: "address" },
    { name: "grantee", type: "address" },
    { name: "scope", type: "uint32" },
    { name: "purpose", type: "uint8" },
    { name: "expiresAt", type: "uint64" },
    { name: "keyBundle", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Revoke: [
    { name: "patient", type: "address" },
    { name: "grantee", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  RevokeAll: [
    { name: "patient", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Approve: [
    { name: "requestId", type: "uint256" },
    { name: "keyBundle", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Deny: [
    { name: "requestId", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  SetEncryptionKey: [
    { name: "patient", type: "address" },
    { name: "key", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  AddRecord: [
    { name: "patient", type: "address" },
    { name: "author", type: "address" },
    { name: "recordId", type: "bytes32" },
    { name: "cid", type: "string" },
    { name: "category", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const satisfies Record<string, readonly TypedDataField[]>;

/** One signed-action type name. */
export type ConsentAction = keyof typeof CONSENT_TYPES;

/** The `types` argument for signing one action (ethers wants only the primary type's entry). */
export function typesFor(action: ConsentAction): Record<string, TypedDataField[]> {
  return { [action]: [...CONSENT_TYPES[action]] };
}

/** Grant message fields. */
export interface GrantMessage {
  patient: string;
  grantee: string;
  scope: number;
  purpose: number;
  expiresAt: number;
  keyBundle: string;
  nonce: bigint | string;
  deadline: number;
}

/** Revoke message fields. */
export interface RevokeMessage {
  patient: string;
  grantee: string;
  nonce: bigint | string;
  deadline: number;
}

/** AddRecord message fields. */
export interface AddRecordMessage {
  patient: string;
  author: string;
  recordId: string;
  cid: string;
  category: number;
  nonce: bigint | string;
  deadline: number;
}

/** SetEncryptionKey message fields. */
export interface SetEncryptionKeyMessage {
  patient: string;
  key: string;
  nonce: bigint | string;
  deadline: number;
}

/** A deadline `seconds` from now, for signatures a relayer must submit soon. */
export function deadlineIn(seconds: number, nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000) + seconds;
}
