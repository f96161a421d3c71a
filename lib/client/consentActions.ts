import { sha256 } from "@noble/hashes/sha2.js";
import { buildGrantBundle, bytesToHex, encodeKeyBundle, hexToBytes } from "../crypto";
import { categoriesOf, scopeCanWrite, scopeOf } from "../consent/codes";
import type { ActorContext } from "./actorContext";
import { ClientError } from "./errors";
import type { GrantView } from "./gatewayClient";
import { patientKeyDirectory, rotateKeys } from "./keyActions";
import { signAction } from "./transactions";

/**
 * Builds and stores the key bundle that hands `grantee` the patient's keys of `categories` (every key version, so
 * older records open too): keys are derived from the patient's own key, so no record is downloaded. The grantee's
 * public key comes from the ledger. Returns the bundle's digest, which the grant event will carry.
 */
export async function issueKeyBundle(ctx: ActorContext, grantee: string, categories: readonly number[]): Promise<{ digest: string }> {
  const [granteeKey, directory] = await Promise.all([ctx.chain.encryptionKeyOf(grantee), patientKeyDirectory(ctx, ctx.address)]);
  const bundle = buildGrantBundle(ctx.keys, ctx.address, grantee, hexToBytes(granteeKey), categories, directory);
  const bytes = encodeKeyBundle(bundle);
  const { digest } = await ctx.client.uploadKeyBundle(bytes);
  if (digest.toLowerCase() !== bytesToHex(sha256(bytes))) {
    throw new ClientError("INTEGRITY", "The gateway stored the key bundle under another digest than its bytes have.");
  }
  return { digest };
}

/** The terms of a grant. */
export interface GrantTerms {
  grantee: string;
  categories: number[];
  purpose: number;
  /** How long from now (chain time) the grant lasts, in seconds. */
  durationSeconds?: number;
  /** Or the exact end (unix seconds, chain time). */
  expiresAt?: number;
  write?: boolean;
}

/**
 * Grants a provider access: hands over the categories' keys in a key bundle, then signs the grant (carrying the
 * bundle's digest) for the gateway to relay. Times are chain time. A grant to the same provider replaces the one in
 * force (the UI shows the change before the patient signs).
 */
export async function grantAccess(ctx: ActorContext, terms: GrantTerms): Promise<{ txHash: string; keyBundle: string; expiresAt: number }> {
  const { digest } = await issueKeyBundle(ctx, terms.grantee, terms.categories);
  const scope = scopeOf(terms.categories, terms.write ?? false);
  const expiresAt = terms.expiresAt ?? (await ctx.chain.chainTime()) + (terms.durationSeconds ?? 0);
  const fields = { patient: ctx.address, grantee: terms.grantee, scope, purpose: terms.purpose, expiresAt, keyBundle: digest };
  const signed = await signAction(ctx, "Grant", fields, ctx.address);
  const { txHash } = await ctx.client.relayGrant({ ...fields, deadline: signed.deadline, signature: signed.signature });
  return { txHash, keyBundle: digest, expiresAt };
}

/**
 * Revokes a provider's grant (signed by the patient, relayed), then rotates the keys of the categories it held and
 * re-issues fresh bundles to the patient's other live grantees of those categories (same terms): records added
 * from now on open for them and never for the revoked provider, even if it obtains their ciphertext elsewhere.
 */
export async function revokeAccess(ctx: ActorContext, grantee: string): Promise<{ txHash: string; reissued: string[] }> {
  const held = await ctx.chain.ledger.grantOf(ctx.address, grantee);
  const signed = await signAction(ctx, "Revoke", { patient: ctx.address, grantee }, ctx.address);
  const { txHash } = await ctx.client.relayRevoke({
    patient: ctx.address,
    grantee,
    deadline: signed.deadline,
    signature: signed.signature,
  });
  const categories = categoriesOf(Number(held.scope));
  const reissued = categories.length === 0 ? [] : await rotateAndReissue(ctx, categories, grantee);
  return { txHash, reissued };
}

/**
 * Ends every grant and emergency window the patient has issued in one call (signed, relayed): the panic button for a
 * lost phone. Every category's keys are rotated afterwards.
 */
export async function revokeAll(ctx: ActorContext): Promise<{ txHash: string }> {
  const signed = await signAction(ctx, "RevokeAll", { patient: ctx.address }, ctx.address);
  const { txHash } = await ctx.client.relayRevokeAll({ patient: ctx.address, deadline: signed.deadline, signature: signed.signature });
  await rotateKeys(ctx, categoriesOf(0x1fff));
  return { txHash };
}

/** Rotates `categories` and re-grants (same terms, new keys) every other live grantee holding any of them. */
async function rotateAndReissue(ctx: ActorContext, categories: number[], revoked: string): Promise<string[]> {
  await rotateKeys(ctx, categories);
  const others: GrantView[] = [];
  for (let next: string | undefined; ;) {
    const page = await ctx.client.grants({ patient: ctx.address, live: "true", limit: 200, next });
    others.push(...page.grants.filter((g) => g.grantee.toLowerCase() !== revoked.toLowerCase()));
    if (page.next === null) break;
    next = page.next;
  }
  const reissued: string[] = [];
  for (const grant of others) {
    const held = categoriesOf(grant.scope);
    if (!held.some((c) => categories.includes(c))) continue;
    await grantAccess(ctx, {
      grantee: grant.grantee,
      categories: held,
      purpose: grant.purpose,
      expiresAt: grant.expiresAt,
      write: scopeCanWrite(grant.scope),
    });
    reissued.push(grant.grantee);
  }
  return reissued;
}
