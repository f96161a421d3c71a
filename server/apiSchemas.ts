import { z } from "zod";
import "./routing";

/** Response bodies, named in the OpenAPI document. */
export const txSchema = z.object({ txHash: z.string().openapi({ example: "0x5c…" }) }).openapi("Transaction");

export const recordSchema = z
  .object({
    cid: z.string(),
    recordId: z.string(),
    category: z.number().int(),
    author: z.string(),
    addedAt: z.string(),
    txHash: z.string(),
  })
  .openapi("VaultRecord");

export const grantViewSchema = z
  .object({
    patient: z.string(),
    grantee: z.string(),
    scope: z.number().int(),
    purpose: z.number().int(),
    expiresAt: z.number().int(),
    keyBundle: z.string(),
    live: z.boolean(),
    grantedInTx: z.string(),
  })
  .openapi("Grant");

export const providerViewSchema = z
  .object({ address: z.string(), name: z.string(), active: z.boolean(), emergencyCapable: z.boolean(), encryptionKey: z.string() })
  .openapi("Provider");

export const accountViewSchema = z
  .object({
    address: z.string(),
    ledgerNonce: z.string(),
    recordNonce: z.string(),
    encryptionKey: z.string().nullable(),
    guardian: z.string(),
    provider: z.object({ name: z.string(), active: z.boolean(), emergencyCapable: z.boolean(), encryptionKey: z.string() }).nullable(),
    roles: z.object({ auditor: z.boolean() }),
    block: z.number().int(),
    chainTime: z.number().int(),
  })
  .openapi("Account");

export const requestViewSchema = z
  .object({
    requestId: z.string(),
    patient: z.string(),
    provider: z.string(),
    scope: z.number().int(),
    purpose: z.number().int(),
    duration: z.number().int(),
    status: z.enum(["pending", "approved", "denied"]),
    requestedInTx: z.string(),
  })
  .openapi("AccessRequest");

export const disclosureSchema = z
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
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi("Disclosure");

export const verificationSchema = z
  .object({
    ok: z.boolean(),
    entries: z.number().int(),
    firstBadSeq: z.number().int().optional(),
    reason: z.string().optional(),
    anchoredThrough: z.number().int(),
    unanchored: z.number().int(),
  })
  .openapi("LogVerification");
