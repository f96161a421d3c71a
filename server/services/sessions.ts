import { randomBytes } from "node:crypto";
import { SiweMessage } from "siwe";
import { getAddress } from "ethers";
import { ApiError } from "../errors";

/** Lifetimes for sign-in nonces and session tokens. */
export interface SessionOptions {
  nonceTtlSeconds: number;
  sessionTtlSeconds: number;
  chainId: number;
  /** Clock in milliseconds; tests pass their own to expire sessions without waiting. */
  now?: () => number;
}

/** A signed-in wallet. */
export interface Session {
  address: string;
  expiresAt: number;
}

/**
 * Sign-In with Ethereum (EIP-4361, via `siwe`): single-use nonces with a short life, then short-lived bearer tokens.
 * Kept in memory: a gateway restart signs everyone out, which is the safe direction.
 */
export class SessionService {
  private readonly nonces = new Map<string, number>();
  private readonly sessions = new Map<string, Session>();

  private readonly now: () => number;

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Issues a fresh nonce that one sign-in message may use within the nonce lifetime. */
  issueNonce(): string {
    this.sweep();
    const nonce = randomBytes(12).toString("hex");
    this.nonces.set(nonce, this.now() + this.options.nonceTtlSeconds * 1000);
    return nonce;
  }

  /**
   * Verifies a SIWE message and its signature for this gateway's domain and chain, consumes the nonce and
   * returns a session token. Replays, foreign domains or chains, expired messages and forged signatures → 401.
   */
  async signIn(message: string, signature: string, expectedDomain: string): Promise<{ token: string; session: Session }> {
    let parsed: SiweMessage;
    try {
      parsed = new SiweMessage(message);
    } catch {
      throw new ApiError("BAD_REQUEST", "message is not a valid EIP-4361 (Sign-In with Ethereum) message.");
    }
    const expires = this.nonces.get(parsed.nonce);
    if (expires === undefined || expires < this.now()) {
      throw new ApiError("NONCE_INVALID", "The sign-in nonce is unknown, already used or expired; ask for a new one.");
    }
    if (parsed.domain !== expectedDomain) {
      throw new ApiError("BAD_SIGNATURE", `The message is for domain "${parsed.domain}", not this gateway ("${expectedDomain}").`);
    }
    if (parsed.chainId !== this.options.chainId) {
      throw new ApiError("BAD_SIGNATURE", `The message is for chain ${parsed.chainId}; this gateway serves chain ${this.options.chainId}.`);
    }
    // The nonce is spent whether or not the signature holds: a failed attempt cannot be retried with it.
    this.nonces.delete(parsed.nonce);
    const result = await parsed.verify({ signature, domain: expectedDomain, nonce: parsed.nonce }, { suppressExceptions: true });
    if (!result.success) {
      throw new ApiError("BAD_SIGNATURE", `The sign-in signature does not verify: ${result.error?.type ?? "invalid signature"}.`);
    }
    const token = randomBytes(32).toString("base64url");
    const session: Session = { address: getAddress(parsed.address), expiresAt: this.now() + this.options.sessionTtlSeconds * 1000 };
    this.sessions.set(token, session);
    return { token, session };
  }

  /** The session behind a bearer token; throws UNAUTHENTICATED or SESSION_EXPIRED. */
  authenticate(token: string | undefined): Session {
    if (!token) throw new ApiError("UNAUTHENTICATED", "Sign in first: send the session token as 'Authorization: Bearer <token>'.");
    const session = this.sessions.get(token);
    if (session === undefined) throw new ApiError("UNAUTHENTICATED", "The session token is not known to this gateway; sign in again.");
    if (session.expiresAt < this.now()) {
      this.sessions.delete(token);
      throw new ApiError("SESSION_EXPIRED", "The session has expired; sign in again.");
    }
    return session;
  }

  /** Ends a session. */
  signOut(token: string): void {
    this.sessions.delete(token);
  }

  private sweep(): void {
    const now = this.now();
    for (const [nonce, expires] of this.nonces) if (expires < now) this.nonces.delete(nonce);
    for (const [token, session] of this.sessions) if (session.expiresAt < now) this.sessions.delete(token);
  }
}
