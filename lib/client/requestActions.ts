import { categoriesOf, scopeOf } from "../consent/codes";
import { sendLedgerTransaction, type ActorContext } from "./actorContext";
import { issueKeyBundle } from "./consentActions";
import type { AccessRequestView } from "./gatewayClient";
import { signAction } from "./transactions";

/** A provider asks a patient for access (a transaction from the provider's own wallet). */
export async function requestAccess(
  ctx: ActorContext,
  params: { patient: string; categories: number[]; purpose: number; durationSeconds: number; write?: boolean },
): Promise<{ txHash: string }> {
  const scope = scopeOf(params.categories, params.write ?? false);
  return { txHash: await sendLedgerTransaction(ctx, "requestAccess", [params.patient, scope, params.purpose, params.durationSeconds]) };
}

/** The patient approves a request: issues the key bundle for the requested categories and signs the approval (relayed). */
export async function approveRequest(ctx: ActorContext, request: AccessRequestView): Promise<{ txHash: string }> {
  const { digest } = await issueKeyBundle(ctx, request.provider, categoriesOf(request.scope));
  const signed = await signAction(ctx, "Approve", { requestId: request.requestId, keyBundle: digest }, request.patient);
  return ctx.client.approveRequest(request.requestId, { keyBundle: digest, deadline: signed.deadline, signature: signed.signature });
}

/** The patient denies a request (signed, relayed). */
export async function denyRequest(
  ctx: ActorContext,
  request: Pick<AccessRequestView, "requestId" | "patient">,
): Promise<{ txHash: string }> {
  const signed = await signAction(ctx, "Deny", { requestId: request.requestId }, request.patient);
  return ctx.client.denyRequest(request.requestId, { deadline: signed.deadline, signature: signed.signature });
}
