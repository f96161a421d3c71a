import { decodeKeyBundle, hexToBytes } from "../crypto";
import { WRITE_BIT } from "../consent/codes";
import { contractDomain, typesFor } from "../consent/typedData";
import { openGrantedRecord, openOwnRecord, sealPatientRecord, type SealedRecord } from "../records/recordCrypto";
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
  const { cid, txHash } = await uploadAndAnnounce(ctx, ctx.address, sealed, params.category, progress);
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
    throw new GatewayError(
      0,
      "NOT_IN_BUNDLE",
      "The patient's grant did not include a key for this record (it was added after the grant); ask them to renew the grant.",
    );
  }
  return openGrantedRecord(envelope, record.cid, bundle, ctx.keys).plaintext;
}

/**
 * A provider adds a record to a patient's vault under a grant with the write bit: encrypts it in the client for
 * the PATIENT's published key (so the patient, not the author, holds it), uploads the ciphertext, then signs the
 * announcement as its author (EIP-712 AddRecord on RecordIndex, the provider's own record nonce) for the gateway
 * to relay. The ledger re-checks the write bit and the category when the announcement is mined.
 *
 * @example
 * await addRecordForPatient(doctor, { patient: "0xPatient…", plaintext: utf8(labResultJson), category: 4 });
 */
export async function addRecordForPatient(
  ctx: ActorContext,
  params: { patient: string; plaintext: Uint8Array; category: number; onProgress?: (stage: AddRecordStage, fraction: number) => void },
): Promise<{ cid: string; recordId: string; txHash: string }> {
  const progress = params.onProgress ?? (() => undefined);
  const [patientAccount, { grants }] = await Promise.all([
    ctx.client.account(params.patient),
    ctx.client.grants({ patient: params.patient, grantee: ctx.address }),
  ]);
  const grant = grants.find((g) => g.live);
  if (grant === undefined || (grant.scope & WRITE_BIT) === 0 || ((grant.scope >>> params.category) & 1) === 0) {
    throw new GatewayError(
      403,
      "NO_WRITE_ACCESS",
      "Your grant from this patient does not let you add records of this category; ask them for a grant with write access.",
    );
  }
  const patientKey = patientAccount.encryptionKey;
  if (patientKey === null || /^0x0+$/.test(patientKey)) {
    throw new GatewayError(
      0,
      "NO_ENCRYPTION_KEY",
      `${params.patient} has published no encryption key, so no record can be encrypted for them.`,
    );
  }
  const sealed = sealPatientRecord(params.plaintext, {
    patient: params.patient,
    patientPublicKey: hexToBytes(patientKey),
    category: params.category,
    onProgress: (done, total) => progress("encrypting", total === 0 ? 1 : done / total),
  });
  sealed.dataKey.fill(0); // the author keeps no way back into the record; the patient's key opens it
  const { cid, txHash } = await uploadAndAnnounce(ctx, params.patient, sealed, params.category, progress);
  return { cid, recordId: sealed.recordId, txHash };
}

/**
 * Uploads a sealed envelope, then signs (as the actor, the record's author) and relays the EIP-712 AddRecord that
 * indexes it in `patient`'s vault. Content first, index second: the gateway refuses to announce bytes it does not hold.
 */
async function uploadAndAnnounce(
  ctx: ActorContext,
  patient: string,
  sealed: SealedRecord,
  category: number,
  progress: (stage: AddRecordStage, fraction: number) => void,
): Promise<{ cid: string; txHash: string }> {
  progress("uploading", 0);
  const { cid } = await ctx.client.uploadRecord(sealed.envelope);
  progress("uploading", 1);
  progress("announcing", 0);
  const author = await ctx.client.account(ctx.address);
  const deadline = author.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const message = { patient, author: ctx.address, recordId: sealed.recordId, cid, category, nonce: author.recordNonce, deadline };
  const domain = contractDomain("RecordIndex", ctx.deployment.chainId, ctx.deployment.contracts.RecordIndex.address);
  const signature = await ctx.signer.signTypedData(domain, typesFor("AddRecord"), message);
  const { txHash } = await ctx.client.announceRecord({
    patient,
    author: ctx.address,
    recordId: sealed.recordId,
    cid,
    category,
    deadline,
    signature,
  });
  progress("announcing", 1);
  return { cid, txHash };
}
