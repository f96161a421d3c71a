import { ZeroAddress, getAddress } from "ethers";
import { sendLedgerTransaction, type ActorContext } from "./actorContext";
import { readEventStream } from "./liveEvents";
import { signAction } from "./transactions";

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The patient appoints `guardian` (a transaction from the patient's own wallet): the guardian may then revoke, revoke
 * everything and answer requests for them. One guardian at a time; appointing another replaces the first.
 */
export async function appointGuardian(ctx: ActorContext, guardian: string): Promise<{ txHash: string }> {
  return { txHash: await sendLedgerTransaction(ctx, "setGuardian", [getAddress(guardian)]) };
}

/** The patient removes their guardian (a transaction from the patient's own wallet). */
export async function removeGuardian(ctx: ActorContext): Promise<{ txHash: string }> {
  return { txHash: await sendLedgerTransaction(ctx, "setGuardian", [ZeroAddress]) };
}

/**
 * The patients whose guardian the signed-in wallet is now. Candidates come from the gateway's index (the wallet's
 * live-update stream replayed from its start: GuardianSet events naming this wallet); each is then checked against
 * the ledger, so a removed or replaced guardianship is never listed, whatever the gateway says.
 */
export async function guardedPatients(ctx: ActorContext): Promise<string[]> {
  const candidates = new Set<string>();
  const controller = new AbortController();
  await readEventStream(ctx.client, {
    since: "0.0",
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === "ready") controller.abort();
      else if (e.type === "ledger" && e.event.kind === "guardian" && same(e.event.guardian, ctx.address))
        candidates.add(getAddress(e.event.patient));
    },
  });
  const current = await Promise.all(
    [...candidates].map(async (p) => ((await ctx.chain.ledger.guardianOf(p)) === ctx.address ? p : undefined)),
  );
  return current.filter((p): p is string => p !== undefined);
}

/**
 * A guardian revokes `grantee`'s access to `patient`'s records (signed by the guardian, relayed; the ledger checks
 * the guardianship). Unlike the patient's own revoke, no keys are rotated: the keys are the patient's, which the
 * guardian does not hold. The gateway refuses the grantee from this block on; the patient rotates at next sign-in.
 */
export async function revokeForPatient(ctx: ActorContext, patient: string, grantee: string): Promise<{ txHash: string }> {
  const signed = await signAction(ctx, "Revoke", { patient, grantee }, patient);
  return ctx.client.relayRevoke({ patient, grantee, deadline: signed.deadline, signature: signed.signature });
}

/** A guardian ends every grant and emergency window of `patient` at once (signed by the guardian, relayed). */
export async function revokeAllForPatient(ctx: ActorContext, patient: string): Promise<{ txHash: string }> {
  const signed = await signAction(ctx, "RevokeAll", { patient }, patient);
  return ctx.client.relayRevokeAll({ patient, deadline: signed.deadline, signature: signed.signature });
}
