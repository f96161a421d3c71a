import { z } from "zod";

/**
 * Response bodies of the gateway, named in the OpenAPI document (`meta({ id })`). The gateway checks every JSON answer
 * against these before sending it and the client parses every answer with them, so neither side can drift.
 */

/** A mined transaction. */
export const txView = z.object({ txHash: z.string() }).meta({ id: "Transaction" });

/** The chain block a list was read at: lists are consistent as of this block. */
export const asOfView = z
  .object({ block: z.number().int(), time: z.number().int().meta({ description: "The block's timestamp (unix seconds)" }) })
  .meta({ id: "AsOf" });

/** Paging fields every list answers with. */
export const pageFields = {
  asOf: asOfView,
  next: z.string().nullable().meta({ description: "Pass as `next` to read the following page; null on the last page" }),
};

/** One record in a patient's vault. */
export const vaultRecordView = z
  .object({
    cid: z.string(),
    recordId: z.string(),
    category: z.number().int(),
    author: z.string(),
    addedAt: z.string(),
    block: z.number().int(),
    txHash: z.string(),
  })
  .meta({ id: "VaultRecord" });

/** A grant between a patient and a provider, with its live state as of the list's block. */
export const grantView = z
  .object({
    patient: z.string(),
    grantee: z.string(),
    scope: z.number().int(),
    purpose: z.number().int(),
    expiresAt: z.number().int(),
    keyBundle: z.string(),
    live: z.boolean(),
    state: z.enum(["live", "expired", "revoked", "revoked-all", "provider-inactive"]),
    grantedInTx: z.string(),
    grantedAtBlock: z.number().int(),
  })
  .meta({ id: "Grant" });

/** A provider in the registry. */
export const providerView = z
  .object({
    address: z.string(),
    name: z.string(),
    kind: z.enum(["clinician", "pharmacy", "laboratory"]),
    active: z.boolean(),
    emergencyCapable: z.boolean(),
    encryptionKey: z.string().nullable(),
  })
  .meta({ id: "Provider" });

/** Chain state of one account. */
export const accountView = z
  .object({
    address: z.string(),
    ledgerNonce: z.string(),
    recordNonce: z.string(),
    encryptionKey: z.string().nullable(),
    keyDirectory: z.string().nullable(),
    guardian: z.string(),
    provider: providerView.omit({ address: true }).nullable(),
    roles: z.object({ auditor: z.boolean(), registrar: z.boolean(), gateway: z.boolean() }),
    block: z.number().int(),
    chainTime: z.number().int(),
  })
  .meta({ id: "Account" });

/** An access request and its status. */
export const accessRequestView = z
  .object({
    requestId: z.string(),
    patient: z.string(),
    provider: z.string(),
    scope: z.number().int(),
    purpose: z.number().int(),
    duration: z.number().int(),
    status: z.enum(["pending", "approved", "denied"]),
    requestedInTx: z.string(),
    requestedAtBlock: z.number().int(),
  })
  .meta({ id: "AccessRequest" });

/** One entry of the disclosure log. */
export const disclosureView = z
  .object({
    seq: z.number().int(),
    time: z.string(),
    reader: z.string(),
    patient: z.string(),
    cid: z.string(),
    category: z.number().int(),
    purpose: z.number().int(),
    basis: z.enum(["patient", "grant", "emergency"]),
    grantExpiresAt: z.number().int(),
    block: z.number().int(),
    release: z.enum(["ciphertext", "emergency-key"]),
    decidedAt: z.number().int(),
    justification: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: "Disclosure" });

/** Outcome of checking a disclosure log against the roots anchored on-chain. */
export const logVerificationView = z
  .object({
    ok: z.boolean(),
    entries: z.number().int(),
    firstBadSeq: z.number().int().optional(),
    reason: z.string().optional(),
    anchoredThrough: z.number().int(),
    unanchored: z.number().int(),
  })
  .meta({ id: "LogVerification" });

/** A compliance alert. */
export const alertView = z
  .object({
    severity: z.enum(["info", "warning", "critical"]),
    ruleId: z.string(),
    message: z.string(),
    evidence: z.record(z.string(), z.unknown()),
    time: z.string(),
  })
  .meta({ id: "Alert" });

/** The deployment a gateway serves: chain id, addresses and ABIs. */
export const deploymentView = z
  .object({
    chainId: z.number().int(),
    local: z.boolean(),
    contracts: z.record(z.string(), z.object({ address: z.string(), blockNumber: z.number().int(), abi: z.array(z.unknown()) })),
  })
  .meta({ id: "Deployment" });

/** A signed-in session. */
export const sessionView = z.object({ token: z.string(), address: z.string(), expiresAt: z.string() }).meta({ id: "Session" });

/** The body of every error answer. */
export const errorView = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "ACCESS_DENIED" }),
      message: z.string(),
      field: z.string().optional(),
      contractError: z.string().optional().meta({ description: "For TRANSACTION_REVERTED: the contract's custom error" }),
      reason: z
        .string()
        .optional()
        .meta({ description: "For ACCESS_DENIED: revoked, expired, revoked-all, provider-inactive, not-covered or no-emergency-window" }),
    }),
  })
  .meta({ id: "Error" });
