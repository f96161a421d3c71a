import { buildKeyBundle, bytesToHex, encodeKeyBundle, hexToBytes } from "../crypto";
import { scopeOf } from "../consent/codes";
import { typesFor } from "../consent/typedData";
import { ownDataKey } from "../records/recordCrypto";
import { ledgerDomain, SIGNATURE_LIFETIME_SECONDS, type ActorContext } from "./actorContext";
import { GatewayError } from "./gatewayClient";

export type { ActorContext } from "./actorContext";
export { addOwnRecord, readRecord } from "./recordActions";

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
 * Re-wraps the data keys of the patient's records in the given categories for a grantee's published key and
 * stores that key bundle; returns its digest (what the grant event carries) and how many keys it holds.
 */
export async function issueKeyBundle(
  ctx: ActorContext,
  grantee: string,
  categories: readonly number[],
): Promise<{ digest: string; records: number }> {
  const account = await ctx.client.account(grantee);
  const granteeKey = account.provider?.encryptionKey ?? account.encryptionKey;
  if (!granteeKey || /^0x0+$/.test(granteeKey)) {
    throw new GatewayError(0, "NO_ENCRYPTION_KEY", `${grantee} has published no encryption key, so nothing can be shared with them.`);
  }
  const { records } = await ctx.client.listRecords(ctx.address);
  const keyed = [];
  for (const record of records.filter((r) => categories.includes(r.category))) {
    const { header, dataKey } = ownDataKey(await ctx.client.fetchRecord(record.cid), ctx.keys);
    keyed.push({ cid: record.cid, recordId: header.recordId, category: header.category, dataKey });
  }
  const bundle = buildKeyBundle({ patient: ctx.address, grantee, granteePublicKey: hexToBytes(granteeKey), records: keyed });
  const { digest } = await ctx.client.uploadKeyBundle(encodeKeyBundle(bundle));
  return { digest, records: keyed.length };
}

/**
 * Grants a provider access: issues the key bundle for the categories, then signs the grant (carrying the
 * bundle's digest) for the gateway to relay. Times are chain time.
 */
export async function grantAccess(
  ctx: ActorContext,
  params: { grantee: string; categories: number[]; purpose: number; durationSeconds: number; write?: boolean },
): Promise<{ txHash: string; keyBundle: string; records: number }> {
  const { digest, records } = await issueKeyBundle(ctx, params.grantee, params.categories);
  const scope = scopeOf(params.categories, params.write ?? false);
  const account = await ctx.client.account(ctx.address);
  const expiresAt = account.chainTime + params.durationSeconds;
  const deadline = account.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const message = {
    patient: ctx.address,
    grantee: params.grantee,
    scope,
    purpose: params.purpose,
    expiresAt,
    keyBundle: digest,
    nonce: account.ledgerNonce,
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
  return { txHash, keyBundle: digest, records };
}

/** Revokes a provider's grant (signed by the patient, relayed). */
export async function revokeAccess(ctx: ActorContext, grantee: string): Promise<{ txHash: string }> {
  const account = await ctx.client.account(ctx.address);
  const deadline = account.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const signature = await ctx.signer.signTypedData(ledgerDomain(ctx), typesFor("Revoke"), {
    patient: ctx.address,
    grantee,
    nonce: account.ledgerNonce,
    deadline,
  });
  return ctx.client.relayRevoke({ patient: ctx.address, grantee, deadline, signature });
}

/** Ends every grant the patient has issued in one call (signed, relayed): the panic button for a lost phone. */
export async function revokeAll(ctx: ActorContext): Promise<{ txHash: string }> {
  const account = await ctx.client.account(ctx.address);
  const deadline = account.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const signature = await ctx.signer.signTypedData(ledgerDomain(ctx), typesFor("RevokeAll"), {
    patient: ctx.address,
    nonce: account.ledgerNonce,
    deadline,
  });
  return ctx.client.relayRevokeAll({ patient: ctx.address, deadline, signature });
}
