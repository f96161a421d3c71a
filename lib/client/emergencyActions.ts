import { ZeroHash } from "ethers";
import { EMERGENCY_CATEGORY } from "../consent/codes";
import { buildKeyBundle, decodeKeyBundle, encodeKeyBundle, hexToBytes } from "../crypto";
import { openRecordWithBundle } from "../records/recordCrypto";
import { ledgerContract, sendLedgerTransaction, type ActorContext } from "./actorContext";
import { addOwnRecord, checkRecord } from "./recordActions";

/**
 * A patient opts in to emergency access: stores their emergency summary (a FHIR R4 International Patient Summary
 * Bundle) encrypted in their vault, wraps its key for the ledger's emergency escrow key, and sets the on-chain policy
 * (from their own wallet) pointing at that package.
 */
export async function publishEmergencySummary(
  ctx: ActorContext,
  params: { summary: Uint8Array; windowSeconds: number },
): Promise<{ cid: string; packageDigest: string }> {
  const { cid, recordId, dataKey } = await addOwnRecord(ctx, { plaintext: params.summary, category: EMERGENCY_CATEGORY });
  try {
    const escrow = await ctx.client.escrowKey();
    const bundle = buildKeyBundle({
      patient: ctx.address,
      grantee: escrow.account,
      granteePublicKey: hexToBytes(escrow.publicKey),
      records: [{ cid, recordId: hexToBytes(recordId).slice(0, 16), category: EMERGENCY_CATEGORY, dataKey }],
    });
    const { digest } = await ctx.client.uploadKeyBundle(encodeKeyBundle(bundle));
    await sendLedgerTransaction(ctx, "setEmergencyPolicy", [true, params.windowSeconds, digest]);
    return { cid, packageDigest: digest };
  } finally {
    dataKey.fill(0);
  }
}

/** Turns emergency access off (the summary stays in the vault). */
export async function disableEmergencyAccess(ctx: ActorContext): Promise<void> {
  await sendLedgerTransaction(ctx, "setEmergencyPolicy", [false, 0, ZeroHash]);
}

/** An emergency-capable provider breaks the glass for a patient (a transaction from the provider's wallet; loudly evented). */
export async function breakGlass(ctx: ActorContext, patient: string, reasonCode: number): Promise<{ txHash: string }> {
  return { txHash: await sendLedgerTransaction(ctx, "breakGlass", [patient, reasonCode]) };
}

/**
 * While the break-glass window is open: asks the gateway for the summary's key (logged with the provider's own
 * justification), fetches the summary, checks it against its CID and its announcement in the patient's vault, and
 * decrypts it in the provider's client.
 */
export async function readEmergencySummary(
  ctx: ActorContext,
  patient: string,
  justification: string,
): Promise<{ plaintext: Uint8Array; expiresAt: number; cid: string }> {
  const { cid, keyBundle, expiresAt } = await ctx.client.emergencySummaryKey(patient, justification);
  const bundle = decodeKeyBundle(hexToBytes(keyBundle));
  const envelope = await ctx.client.fetchRecord(cid);
  await checkRecord(ctx, patient, cid, envelope);
  return { plaintext: openRecordWithBundle(envelope, bundle, ctx.keys).plaintext, expiresAt, cid };
}

/** A patient's emergency policy as the ledger holds it. */
export interface EmergencyPolicyView {
  enabled: boolean;
  /** Longest break-glass window a provider gets, in seconds (at most one hour). */
  maxWindowSeconds: number;
  /** Digest of the escrow key bundle for the summary (all zeros when none). */
  summaryDigest: string;
}

/**
 * Reads a patient's emergency policy from the ledger through the actor's chain connection (a view call; nothing is sent).
 *
 * @example
 * const { enabled, maxWindowSeconds } = await readEmergencyPolicy(patient, patient.address);
 */
export async function readEmergencyPolicy(ctx: ActorContext, patient: string): Promise<EmergencyPolicyView> {
  const policy = await (ctx.chainSigner !== undefined ? ledgerContract(ctx) : ctx.chain.ledger).emergencyPolicyOf(patient);
  return { enabled: policy.enabled, maxWindowSeconds: Number(policy.maxWindow), summaryDigest: policy.summaryCid };
}
