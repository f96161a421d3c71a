import type { GrantView } from "../../../lib/client";
import { timeLeft } from "./timeLeft";

/** Why a grant that is not live ended, in words, from the state the gateway's list computed. */
const ENDED: Record<Exclude<GrantView["state"], "live">, string> = {
  revoked: "revoked",
  "revoked-all": "ended: all access revoked",
  "provider-inactive": "ended: the provider's registration was deactivated",
  expired: "expired",
};

/** What a grant's state means to a person, judged against chain time. */
export function grantStatus(grant: { live: boolean; expiresAt: number; state?: GrantView["state"] }, now: number): string {
  if (grant.live) return timeLeft(grant.expiresAt, now);
  if (grant.state !== undefined && grant.state !== "live") return ENDED[grant.state];
  if (grant.expiresAt === 0) return "revoked";
  if (grant.expiresAt <= now) return "expired";
  // Unexpired but not live, and no state given: the patient revoked everything or the provider was deactivated.
  return "ended early (all access revoked, or provider deactivated)";
}
