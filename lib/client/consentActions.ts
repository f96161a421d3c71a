import { buildKeyBundle, bytesToHex, decodeKeyBundle, encodeKeyBundle, hexToBytes, type EncryptionKeyPair } from "../crypto";
import { scopeOf } from "../consent/codes";
import { contractDomain, typesFor } from "../consent/typedData";
import { openGrantedRecord, openOwnRecord, ownDataKey, sealPatientRecord } from "../records/recordCrypto";
import { GatewayError, type GatewayClient, type ServedDeployment, type VaultRecord, type WalletSigner } from "./gatewayClient";

/** A signed-in wallet with its derived encryption keys: what every consent action runs as. */
export interface ActorContext {
  client: GatewayClient;
  signer: WalletSigner;
  address: string;
  keys: EncryptionKeyPair;
  deployment: ServedDeployment;
}

/** How long a relayer has to submit a signed action. */
const SIGNATURE_LIFETIME_SECONDS = 600;

function ledgerDomain(ctx: ActorContext): object {
  return contractDomain("ConsentLedger", ctx.deployment.chainId, ctx.deployment.contracts.ConsentLedger.address);
}

/** Publishes the actor's X25519 public key on the ledger (signed, relayed) unless it is already there. */
export async function publishEncryptionKey(ctx: ActorContext): Promise<void> {
  const key = bytesToHex(ctx.keys.publicKey);
  const account = await ctx.client.account(ctx.address);
  if (account.encryptionKey?.toLowerCase() === key) return;
  const deadline = account.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const message = { patient: ctx.address, key, nonce: account.ledgerNonce, deadline };
  const signature = await ctx.signer.signTypedData(ledgerDomain(ctx), typesFor("SetEncryptionKey"), message);
  await ctx.client.relayEncryptionKey({ account: ctx.address, key, deadline, signature });
}

/**
 * Encrypts a record in the client, uploads the ciphertext, then signs and relays its announcement into the
 * patient's vault. Progress reports encryption then upload, each from 0 to 1.
 */
export async function addOwnRecord(
  ctx: ActorContext,
  params: {
    plaintext: Uint8Array;
    category: number;
    onProgress?: (stage: "encrypting" | "uploading" | "announcing", fraction: number) => void;
  },
): Promise<{ cid: string; recordId: string; txHash: string }> {
  const progress = params.onProgress ?? (() => undefined);
  const sealed = sealPatientRecord(params.plaintext, {
    patient: ctx.address,
    patientPublicKey: ctx.keys.publicKey,
    category: params.category,
    onProgress: (done, total) => progress("encrypting", total === 0 ? 1 : done / total),
  });
  progress("uploading", 0);
  const { cid } = await ctx.client.uploadRecord(sealed.envelope);
  progress("uploading", 1);
  progress("announcing", 0);
  const account = await ctx.client.account(ctx.address);
  const deadline = account.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const message = {
    patient: ctx.address,
    author: ctx.address,
    recordId: sealed.recordId,
    cid,
    category: params.category,
    nonce: account.recordNonce,
    deadline,
  };
  const domain = contractDomain("RecordIndex", ctx.deployment.chainId, ctx.deployment.contracts.RecordIndex.address);
  const signature = await ctx.signer.signTypedData(domain, typesFor("AddRecord"), message);
  const { txHash } = await ctx.client.announceRecord({
    patient: ctx.address,
    author: ctx.address,
    recordId: sealed.recordId,
    cid,
    category: params.category,
    deadline,
    signature,
  });
  progress("announcing", 1);
  return { cid, recordId: sealed.recordId, txHash };
}

/**
 * Grants a provider access: re-wraps the data keys of the patient's records in scope for the provider's
 * published key, stores that key bundle, then signs the grant (carrying the bundle's digest) for the relayer.
 */
export async function grantAccess(
  ctx: ActorContext,
  params: { grantee: string; categories: number[]; purpose: number; durationSeconds: number; write?: boolean },
): Promise<{ txHash: string; keyBundle: string; records: number }> {
  const grantee = await ctx.client.account(params.grantee);
  const granteeKey = grantee.provider?.encryptionKey ?? grantee.encryptionKey;
  if (!granteeKey || /^0x0+$/.test(granteeKey)) {
    throw new GatewayError(
      0,
      "NO_ENCRYPTION_KEY",
      `${params.grantee} has published no encryption key, so nothing can be shared with them.`,
    );
  }
  const { records } = await ctx.client.listRecords(ctx.address);
  const inScope = records.filter((r) => params.categories.includes(r.category));
  const keyed = [];
  for (const record of inScope) {
    const { header, dataKey } = ownDataKey(await ctx.client.fetchRecord(record.cid), ctx.keys);
    keyed.push({ cid: record.cid, recordId: header.recordId, category: header.category, dataKey });
  }
  const bundle = buildKeyBundle({
    patient: ctx.address,
    grantee: params.grantee,
    granteePublicKey: hexToBytes(granteeKey),
    records: keyed,
  });
  const { digest } = await ctx.client.uploadKeyBundle(encodeKeyBundle(bundle));
  const scope = scopeOf(params.categories, params.write ?? false);
  const account = await ctx.client.account(ctx.address);
  const expiresAt = account.chainTime + params.durationSeconds;
  const deadline = account.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const nonce = account.ledgerNonce;
  const message = {
    patient: ctx.address,
    grantee: params.grantee,
    scope,
    purpose: params.purpose,
    expiresAt,
    keyBundle: digest,
    nonce,
    deadline,
  };
  const signature = await ctx.signer.signTypedData(ledgerDomain(ctx), typesFor("Grant"), message);
  const { txHash } = await ctx.client.relayGrant({
    patient: ctx.address,
    grantee: params.grantee,
    scope,
    purpose: params.purpose,
    expiresAt,
    keyBundle: digest,
    deadline,
    signature,
  });
  return { txHash, keyBundle: digest, records: keyed.length };
}

/** Revokes a provider's grant (signed by the patient, relayed). */
export async function revokeAccess(ctx: ActorContext, grantee: string): Promise<{ txHash: string }> {
  const account = await ctx.client.account(ctx.address);
  const nonce = account.ledgerNonce;
  const deadline = account.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const signature = await ctx.signer.signTypedData(ledgerDomain(ctx), typesFor("Revoke"), {
    patient: ctx.address,
    grantee,
    nonce,
    deadline,
  });
  return ctx.client.relayRevoke({ patient: ctx.address, grantee, deadline, signature });
}

/** Fetches and decrypts a record: the patient's own with their key, anyone else's through their grant's key bundle. */
export async function readRecord(ctx: ActorContext, patient: string, record: VaultRecord): Promise<Uint8Array> {
  if (patient.toLowerCase() === ctx.address.toLowerCase()) {
    return openOwnRecord(await ctx.client.fetchRecord(record.cid), ctx.keys).plaintext;
  }
  const { grants } = await ctx.client.grants({ patient, grantee: ctx.address });
  const grant = grants.find((g) => g.live);
  // Ask for the ciphertext even without a live grant in view: the gateway's refusal is the authoritative answer.
  const envelope = await ctx.client.fetchRecord(record.cid);
  if (grant === undefined) throw new GatewayError(403, "ACCESS_DENIED", "You hold no live grant from this patient.");
  const bundle = decodeKeyBundle(await ctx.client.fetchKeyBundle(grant.keyBundle));
  return openGrantedRecord(envelope, record.cid, bundle, ctx.keys).plaintext;
}
