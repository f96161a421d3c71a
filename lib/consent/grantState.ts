/**
 * The live-grant rule as the ConsentLedger contract states it (`_isLive` + the registry check in `hasAccess`), for
 * the places that must judge a grant without asking the chain: lists served from the gateway's event index, and the
 * words of a refusal. Releasing data never relies on this: the gateway asks the contract (`hasAccess`) at the head.
 */

/** A grant slot as the ledger stores it. */
export interface GrantSlot {
  /** Unix seconds; 0 when never granted or revoked (the slot is deleted). */
  expiresAt: number;
  scope: number;
  purpose: number;
  /** The patient's revoke-all epoch the grant was given under. */
  epoch: number;
  /** The registry generation of the grantee the grant was given under. */
  providerGeneration: number;
}

/** What the grant is judged against. */
export interface GrantContext {
  /** The patient's current revoke-all epoch. */
  patientEpoch: number;
  /** The grantee's registry status now. */
  provider: { active: boolean; generation: number };
  /** The time to judge at (unix seconds): the later of the chain head's time and the gateway's clock. */
  now: number;
}

/** A grant's state in words a list can show. */
export type GrantState = "live" | "expired" | "revoked" | "revoked-all" | "provider-inactive";

/** Judges a grant: live only while unexpired, of the patient's epoch, and of an active provider of the same generation. */
export function grantState(slot: GrantSlot, ctx: GrantContext): GrantState {
  if (slot.expiresAt === 0) return "revoked";
  if (slot.epoch !== ctx.patientEpoch) return "revoked-all";
  if (!ctx.provider.active || ctx.provider.generation !== slot.providerGeneration) return "provider-inactive";
  if (slot.expiresAt <= ctx.now) return "expired";
  return "live";
}

/** The time a decision is judged at: never behind the gateway's clock, even when no block has been mined for a while. */
export function decisionTime(headTimestamp: number, clockMs: number = Date.now()): number {
  return Math.max(headTimestamp, Math.floor(clockMs / 1000));
}
