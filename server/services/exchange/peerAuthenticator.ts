import { ApiError, type ApiErrorCode } from "../../errors";
import { PeerTokenError, type PeerTokenClaims, type PeerTokenErrorCode, verifyPeerToken } from "./peerToken";
import { remember } from "../boundedMap";

/** Whether an address is a member organization's gateway (the lead backs it with the registry's GATEWAY_ROLE). */
export type IsMember = (address: string) => Promise<boolean>;

/** Settings of {@link PeerAuthenticator}. */
export interface PeerAuthenticatorOptions {
  /** This gateway's public URL: tokens must name it as their audience. */
  audience: string;
  isMember: IsMember;
  /**
   * How long a membership answer is reused (default 10 s): a gateway whose role is revoked is refused at most this
   * long after. Keeps a chain read off every block request.
   */
  membershipTtlMs?: number;
  /** The clock, in milliseconds (tests of expiry use real signed tokens instead; this is for the bench). */
  now?: () => number;
}

const STATUS_OF: Record<PeerTokenErrorCode, ApiErrorCode> = {
  MALFORMED: "UNAUTHENTICATED",
  BAD_SIGNATURE: "BAD_SIGNATURE",
  EXPIRED: "SESSION_EXPIRED",
  NOT_YET_VALID: "UNAUTHENTICATED",
  TOO_LONG: "UNAUTHENTICATED",
  WRONG_AUDIENCE: "UNAUTHENTICATED",
};

/**
 * Verified tokens and membership answers kept (a peer reuses its token for about half a minute); beyond this the
 * oldest is dropped, so anyone signing tokens with fresh keys cannot grow them without bound.
 */
const MAX_CACHED = 1024;

/**
 * Decides whether a request comes from a member gateway: checks its peer token (signature, lifetime, audience) and
 * asks {@link IsMember} about the address it recovers. Fails closed: when membership cannot be decided, refused.
 */
export class PeerAuthenticator {
  private readonly tokens = new Map<string, PeerTokenClaims>();
  private readonly members = new Map<string, { answer: Promise<boolean>; until: number }>();
  private readonly membershipTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: PeerAuthenticatorOptions) {
    this.membershipTtlMs = options.membershipTtlMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The claims of a member's token; ApiError 401 (no or bad token), 403 (not a member) or 503 (cannot tell). */
  async authenticate(authorization: string | undefined): Promise<PeerTokenClaims> {
    // The scheme's name in any case (RFC 9110 §11.1); `i` changes nothing for the token, whose class has both cases.
    const token = /^Bearer ([A-Za-z0-9_\-.]+)$/i.exec(authorization ?? "")?.[1];
    if (token === undefined) {
      throw new ApiError("UNAUTHENTICATED", "Peer requests need `Authorization: Bearer <peer token>` signed by a member gateway.");
    }
    const claims = this.verified(token);
    if (!(await this.isMember(claims.address))) {
      throw new ApiError("FORBIDDEN", `${claims.address} is not a member gateway of this ledger.`);
    }
    return claims;
  }

  private verified(token: string): PeerTokenClaims {
    const nowSeconds = Math.floor(this.now() / 1000);
    const cached = this.tokens.get(token);
    if (cached !== undefined && nowSeconds < cached.expiresAt) return cached;
    this.tokens.delete(token);
    let claims: PeerTokenClaims;
    try {
      claims = verifyPeerToken(token, { audience: this.options.audience, nowSeconds });
    } catch (err) {
      if (err instanceof PeerTokenError) throw new ApiError(STATUS_OF[err.code], err.message);
      throw err;
    }
    remember(this.tokens, token, claims, MAX_CACHED);
    return claims;
  }

  private async isMember(address: string): Promise<boolean> {
    const now = this.now();
    const cached = this.members.get(address);
    if (cached !== undefined && now < cached.until) return cached.answer.catch(() => this.unavailable());
    const answer = this.options.isMember(address);
    remember(this.members, address, { answer, until: now + this.membershipTtlMs }, MAX_CACHED);
    try {
      return await answer;
    } catch {
      // Not remembered: the next request asks again.
      this.members.delete(address);
      return this.unavailable();
    }
  }

  private unavailable(): never {
    throw new ApiError("CHAIN_UNAVAILABLE", "Cannot tell whether the requesting gateway is a member right now; retry shortly.");
  }
}
