import { scopeOf, categoriesOf } from "../consent/codes";
import { typesFor } from "../consent/typedData";
import { ledgerDomain, sendLedgerTransaction, SIGNATURE_LIFETIME_SECONDS, type ActorContext } from "./actorContext";
import { issueKeyBundle } from "./consentActions";
import type { AccessRequestView } from "./gatewayClient";

/** A provider asks a patient for access (a transaction from the provider's own wallet). */
export async function requestAccess(
  ctx: ActorContext,
  params: { patient: string; categories: number[]; purpose: number; durationSeconds: number; write?: boolean },
): Promise<{ txHash: string }> {
  const args = [params.patient, scopeOf(params.categories, params.write ?? false), params.purpose, params.durationSeconds];
  return { txHash: await sendLedgerTransaction(ctx, "requestAccess", args) };
}

/** The patient approves a request: issues the key bundle for the requested categories and signs the approval (relayed). */
export async function approveRequest(ctx: ActorContext, request: AccessRequestView): Promise<{ txHash: string; records: number }> {
  const { digest, records } = await issueKeyBundle(ctx, request.provider, categoriesOf(request.scope));
  const account = await ctx.client.account(ctx.address);
  const deadline = account.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const message = { requestId: request.requestId, keyBundle: digest, nonce: account.ledgerNonce, deadline };
  const signature = await ctx.signer.signTypedData(ledgerDomain(ctx), typesFor("Approve"), message);
  const { txHash } = await ctx.client.approveRequest(request.requestId, { keyBundle: digest, deadline, signature });
  return { txHash, records };
}

/** The patient denies a request (signed, relayed). */
export async function denyRequest(ctx: ActorContext, requestId: string): Promise<{ txHash: string }> {
  const account = await ctx.client.account(ctx.address);
  const deadline = account.chainTime + SIGNATURE_LIFETIME_SECONDS;
  const signature = await ctx.signer.signTypedData(ledgerDomain(ctx), typesFor("Deny"), {
    requestId,
    nonce: account.ledgerNonce,
    deadline,
  });
  return ctx.client.denyRequest(requestId, { deadline, signature });
}
