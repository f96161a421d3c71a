import { timeLeft } from "./timeLeft";

/** What a grant's state means to a person, judged against chain time. */
export function grantStatus(grant: { live: boolean; expiresAt: number }, now: number): string {
  if (grant.live) return timeLeft(grant.expiresAt, now);
  if (grant.expiresAt === 0) return "revoked";
  if (grant.expiresAt <= now) return "expired";
  // Unexpired but not live: the patient revoked everything (a new epoch) or the registry deactivated the provider.
  return "ended early (all access revoked, or provider deactivated)";
}
