import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, decodeKeyBundle, hexToBytes, readEnvelopeHeader, directoryEntry, type KeyBundle } from "../crypto";
import { cidDigestHex, cidOfBytes, cidToBytes, verifyContent } from "../ids";
import { openOwnRecord, openRecordWithBundle, sealPatientRecord, type SealedRecord } from "../records/recordCrypto";
import type { ActorContext } from "./actorContext";
import { ClientError } from "./errors";
import type { VaultRecord } from "./gatewayClient";
import { patientKeyDirectory } from "./keyActions";
import { signAction } from "./transactions";

/** Stages of adding a record, for a progress bar. */
export type AddRecordStage = "encrypting" | "uploading" | "announcing";

/** What adding a record gives back. */
export interface AddedRecord {
  cid: string;
  recordId: string;
  txHash: string;
}

/**
 * Encrypts a record in the client for the patient's own key and the current key of its category (so live grants of
 * that category can open it without a new grant), uploads the ciphertext, then signs and relays its announcement.
 */
export async function addOwnRecord(
  ctx: ActorContext,
  params: { plaintext: Uint8Array; category: number; onProgress?: (stage: AddRecordStage, fraction: number) => void },
): Promise<AddedRecord & { dataKey: Uint8Array }> {
  const sealed = await sealFor(ctx, ctx.address, ctx.keys.publicKey, params);
  const added = await uploadAndAnnounce(ctx, ctx.address, sealed, params.category, params.onProgress);
  return { ...added, dataKey: sealed.dataKey };
}

/**
 * A provider adds a record to a patient's vault under a grant with the write bit: the ledger must show the write
 * access (asked before any work), the record is sealed for the PATIENT's published key and category key (taken from
 * the ledger, not the gateway), uploaded, and announced with the provider's own signature as author.
 *
 * @example
 * await addRecordForPatient(doctor, { patient: "0xPatient…", plaintext: utf8(labResultJson), category: 4 });
 */
export async function addRecordForPatient(
  ctx: ActorContext,
  params: { patient: string; plaintext: Uint8Array; category: number; onProgress?: (stage: AddRecordStage, fraction: number) => void },
): Promise<AddedRecord> {
  if (!(await ctx.chain.ledger.hasWriteAccess(params.patient, ctx.address, params.category))) {
    throw new ClientError(
      "NO_WRITE_ACCESS",
      "Your grant from this patient does not let you add records of this category; ask them for a grant with write access.",
    );
  }
  const patientKey = hexToBytes(await ctx.chain.encryptionKeyOf(params.patient));
  const sealed = await sealFor(ctx, params.patient, patientKey, params);
  sealed.dataKey.fill(0); // the author keeps no way back into the record; the patient's keys open it
  return uploadAndAnnounce(ctx, params.patient, sealed, params.category, params.onProgress);
}

/**
 * Fetches and decrypts a record. The patient opens their own with their key. Anyone else must hold a live grant on
 * the ledger covering the record's category (checked on the chain first, so no ciphertext is fetched — and no
 * disclosure logged — for nothing); their key bundle is the one the grant event carries, fetched once per grant,
 * checked against its on-chain digest and cached. The ciphertext is checked against its CID, and the record against
 * its announcement in the patient's vault on the ledger, before anything is decrypted.
 */
export async function readRecord(ctx: ActorContext, patient: string, record: Pick<VaultRecord, "cid" | "category">): Promise<Uint8Array> {
  const own = patient.toLowerCase() === ctx.address.toLowerCase();
  const bundle = own ? undefined : await grantBundle(ctx, patient, record.category);
  const envelope = await ctx.client.fetchRecord(record.cid);
  await checkRecord(ctx, patient, record.cid, envelope);
  if (own) return openOwnRecord(envelope, ctx.keys).plaintext;
  try {
    return openRecordWithBundle(envelope, bundle!, ctx.keys).plaintext;
  } catch (err) {
    if ((err as { code?: string }).code === "NOT_IN_BUNDLE") {
      throw new ClientError(
        "NOT_IN_BUNDLE",
        "Your grant's keys do not open this record (it was sealed with keys the patient rotated after your grant).",
      );
    }
    throw err;
  }
}

/**
 * The verified key bundle of `ctx`'s live grant from `patient` covering `category`: NO_LIVE_GRANT when the ledger
 * shows none (so the client never fetches ciphertext it knows it cannot open).
 */
export async function grantBundle(ctx: ActorContext, patient: string, category: number): Promise<KeyBundle> {
  const [live, onChain] = await Promise.all([
    ctx.chain.ledger.hasAccess(patient, ctx.address, category),
    ctx.chain.ledger.grantOf(patient, ctx.address),
  ]);
  if (!live) throw new ClientError("NO_LIVE_GRANT", "You hold no live grant from this patient that covers this kind of record.");
  // The grant's terms on the ledger identify it: the gateway's listing (for the bundle digest) is asked once per grant.
  const grantKey = [
    patient.toLowerCase(),
    onChain.expiresAt,
    onChain.scope,
    onChain.purpose,
    onChain.epoch,
    onChain.providerGeneration,
  ].join(":");
  const grants = (ctx.grantCache ??= new Map());
  let grant = grants.get(grantKey);
  if (grant === undefined) {
    const [listed] = (await ctx.client.grants({ patient, grantee: ctx.address, limit: 1 })).grants;
    if (listed === undefined) throw new ClientError("NO_LIVE_GRANT", "The gateway lists no grant from this patient to you.");
    grant = { keyBundle: listed.keyBundle, grantedInTx: listed.grantedInTx };
    // Kept only when the listing has caught up with the grant on the ledger (same end), else asked again next time.
    if (BigInt(listed.expiresAt) === BigInt(onChain.expiresAt)) grants.set(grantKey, grant);
  }
  const cache = (ctx.bundleCache ??= new Map());
  let bytes = cache.get(grant.keyBundle);
  if (bytes === undefined) {
    await ctx.chain.verifyGrantBundle(grant.grantedInTx, patient, ctx.address, grant.keyBundle);
    bytes = await ctx.client.fetchKeyBundle(grant.keyBundle);
    if (bytesToHex(sha256(bytes)) !== grant.keyBundle.toLowerCase()) {
      throw new ClientError("INTEGRITY", "The key bundle served does not hash to the digest on the patient's grant; it was discarded.");
    }
    cache.set(grant.keyBundle, bytes);
  }
  return decodeKeyBundle(bytes);
}

/**
 * Checks fetched ciphertext before it is opened: its bytes hash to the CID asked for, its header names the patient,
 * and the ledger shows it announced in that patient's vault under the same category. INTEGRITY otherwise.
 */
export async function checkRecord(ctx: ActorContext, patient: string, cid: string, envelope: Uint8Array): Promise<void> {
  try {
    await verifyContent(cid, envelope);
  } catch (err) {
    throw new ClientError("INTEGRITY", (err as Error).message);
  }
  const { header } = readEnvelopeHeader(envelope);
  if (header.patient.toLowerCase() !== patient.toLowerCase()) {
    throw new ClientError("INTEGRITY", `The record served is sealed for ${header.patient}, not for ${patient}.`);
  }
  const onChain = await ctx.chain.records.recordOf(patient, cidDigestHex(cid));
  if (onChain.patient.toLowerCase() !== patient.toLowerCase() || Number(onChain.category) !== header.category) {
    throw new ClientError("INTEGRITY", "The record served is not announced in this patient's vault on the ledger.");
  }
}

/** Seals a record for `patient`: their encryption key and the current key of the record's category, from the ledger. */
async function sealFor(
  ctx: ActorContext,
  patient: string,
  patientPublicKey: Uint8Array,
  params: { plaintext: Uint8Array; category: number; onProgress?: (stage: AddRecordStage, fraction: number) => void },
): Promise<SealedRecord> {
  const directory = await patientKeyDirectory(ctx, patient);
  const progress = params.onProgress ?? (() => undefined);
  return sealPatientRecord(params.plaintext, {
    patient,
    patientPublicKey,
    categoryKey: directoryEntry(directory, params.category),
    onProgress: (done, total) => progress("encrypting", total === 0 ? 1 : done / total),
  });
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
  onProgress: ((stage: AddRecordStage, fraction: number) => void) | undefined,
): Promise<AddedRecord> {
  const progress = onProgress ?? (() => undefined);
  progress("uploading", 0);
  const [{ cid }, expected] = await Promise.all([ctx.client.uploadRecord(sealed.envelope), cidOfBytes(sealed.envelope)]);
  // The announcement names content by CID: it must be the CID of what was sealed, not whatever the gateway says.
  if (cid !== expected) throw new ClientError("INTEGRITY", `The gateway stored the record as ${cid}, but its bytes are ${expected}.`);
  progress("uploading", 1);
  progress("announcing", 0);
  const cidHex = bytesToHex(cidToBytes(cid));
  const fields = { patient, author: ctx.address, recordId: sealed.recordId, cid: cidHex, category };
  const signed = await signAction(ctx, "AddRecord", fields, ctx.address);
  const { txHash } = await ctx.client.announceRecord({ ...fields, cid, deadline: signed.deadline, signature: signed.signature });
  progress("announcing", 1);
  return { cid, recordId: sealed.recordId, txHash };
}
