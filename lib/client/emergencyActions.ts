import { buildKeyBundle, decodeKeyBundle, encodeKeyBundle, hexToBytes, openRecord, readEnvelopeHeader, unwrapFromBundle } from "../crypto";
import { ledgerContract, sendLedgerTransaction, type ActorContext } from "./actorContext";
import { addOwnRecord } from "./recordActions";

/** Category of the International Patient Summary released by break-glass. */
export const EMERGENCY_SUMMARY_CATEGORY = 12;

/** HL7 reason codes a break-glass must carry. */
export const EMERGENCY_REASONS = [
  { id: 2, code: "ETREAT", label: "Emergency treatment" },
  { id: 3, code: "BTG", label: "Break the glass" },
] as const;

/**
 * A patient opts in to emergency access: stores their emergency summary (a FHIR R4 IPS Bundle) encrypted in
 * their vault, wraps its key for the gateway's escrow key, and sets the on-chain policy pointing at that package.
 */
export async function publishEmergencySummary(
  ctx: ActorContext,
  params: { summary: Uint8Array; windowSeconds: number },
): Promise<{ cid: string; packageDigest: string }> {
  const { cid, recordId, dataKey } = await addOwnRecord(ctx, { plaintext: params.summary, category: EMERGENCY_SUMMARY_CATEGORY });
  const escrow = await ctx.client.escrowKey();
  const bundle = buildKeyBundle({
    patient: ctx.address,
    grantee: escrow.account,
    granteePublicKey: hexToBytes(escrow.publicKey),
    records: [{ cid, recordId: hexToBytes(recordId).slice(0, 16), category: EMERGENCY_SUMMARY_CATEGORY, dataKey }],
  });
  const { digest } = await ctx.client.uploadKeyBundle(encodeKeyBundle(bundle));
  await sendLedgerTransaction(ctx, "setEmergencyPolicy", [true, params.windowSeconds, digest]);
  return { cid, packageDigest: digest };
}

/** Turns emergency access off (the summary stays in the vault). */
export async function disableEmergencyAccess(ctx: ActorContext): Promise<void> {
  await sendLedgerTransaction(ctx, "setEmergencyPolicy", [false, 0, "0x" + "00".repeat(32)]);
}

/** An emergency-capable provider breaks the glass for a patient (a transaction from the provider's wallet; loudly evented). */
export async function breakGlass(ctx: ActorContext, patient: string, reasonCode: number): Promise<{ txHash: string }> {
  return { txHash: await sendLedgerTransaction(ctx, "breakGlass", [patient, reasonCode]) };
}

/** While the break-glass window is open: fetches the emergency summary and decrypts it in the provider's client. */
export async function readEmergencySummary(ctx: ActorContext, patient: string): Promise<{ plaintext: Uint8Array; expiresAt: number }> {
  const { cid, keyBundle, expiresAt } = await ctx.client.emergencySummaryKey(patient);
  const bundle = decodeKeyBundle(hexToBytes(keyBundle));
  const envelope = await ctx.client.fetchRecord(cid);
  readEnvelopeHeader(envelope);
  return { plaintext: openRecord(envelope, unwrapFromBundle(bundle, cid, ctx.keys.privateKey)).plaintext, expiresAt };
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
  const policy = await ledgerContract(ctx).emergencyPolicyOf(patient);
  return { enabled: policy.enabled, maxWindowSeconds: Number(policy.maxWindow), summaryDigest: policy.summaryCid };
}
