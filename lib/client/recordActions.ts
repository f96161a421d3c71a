import { decodeKeyBundle } from "../crypto";
import { contractDomain, typesFor } from "../consent/typedData";
import { openGrantedRecord, openOwnRecord, sealPatientRecord } from "../records/recordCrypto";
import { SIGNATURE_LIFETIME_SECONDS, type ActorContext } from "./actorContext";
import { GatewayError, type VaultRecord } from "./gatewayClient";

/** Stages of adding a record, for a progress bar. */
export type AddRecordStage = "encrypting" | "uploading" | "announcing";

/**
 * Encrypts a record in the client, uploads the ciphertext, then signs and relays its announcement into the
 * patient's vault. Progress reports each stage from 0 to 1.
 */
export async function addOwnRecord(
  ctx: ActorContext,
  params: { plaintext: Uint8Array; category: number; onProgress?: (stage: AddRecordStage, fraction: number) => void },
): Promise<{ cid: string; recordId: string; dataKey: Uint8Array; txHash: string }> {
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
  const message = { patient: ctx.address, author: ctx.address, recordId: sealed.recordId, cid, category: params.category, nonce: account.recordNonce, deadline };
  const domain = contractDomain("RecordIndex", ctx.deployment.chainId, ctx.deployment.contracts.RecordIndex.address);
  const signature = await ctx.signer.signTypedData(domain, typesFor("AddRecord"), message);
  const { txHash } = await ctx.client.announceRecord({ patient: ctx.address, author: ctx.address, recordId: sealed.recordId, cid, category: params.category, deadline, signature });
  progress("announcing", 1);
  return { cid, recordId: sealed.recordId, dataKey: sealed.dataKey, txHash };
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
  if (!bundle.entries.some((e) => e.cid === record.cid)) {
    throw new GatewayError(0, "NOT_IN_BUNDLE", "The patient's grant did not include a key for this record (it was added after the grant); ask them to renew the grant.");
  }
  return openGrantedRecord(envelope, record.cid, bundle, ctx.keys).plaintext;
}
