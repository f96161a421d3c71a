import { createHmac, randomBytes, timingSafeEqual, webcrypto } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { SiweMessage } from "siwe";
import { getAddress } from "ethers";
import { ApiError } from "../errors";
import type { StateDb } from "./state/stateDb";
import { remember } from "./boundedMap";

/** Everything sign-in checks a message against, and the lifetimes it hands out. */
export interface SessionOptions {
  chainId: number;
  /** Where the gateway is reached (scheme, host, port): a message must name its host as domain and an URI on it. */
  publicOrigin: () => string;
  /** Secret (≥ 32 bytes) that signs session tokens and nonces; replicas of one organization share it. */
  secret: Uint8Array;
  nonceTtlSeconds: number;
  sessionTtlSeconds: number;
  /** How far a message's issuedAt may be from the gateway's clock. */
  maxClockSkewSeconds?: number;
  db: StateDb;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
}

/** A signed-in wallet. */
export interface Session {
  address: string;
  /** Unix milliseconds. */
  expiresAt: number;
  /** The token's id, by which sign-out ends it. */
  jti: string;
}

const DEFAULT_SKEW_SECONDS = 300;

/**
 * Verified tokens remembered (least recently used dropped first): a signed-in client sends the same token on every
 * request, and verifying it again (jose + an HMAC job on the thread pool) was the largest cost of a session check.
 * Bounded, so tokens signed with this gateway's secret but never reused cannot grow memory.
 */
const MAX_VERIFIED_TOKENS = 10_000;

/**
 * Sign-In with Ethereum (EIP-4361, verified with `siwe`) → a signed session token (JWT, HS256, with `jose`).
 * Tokens survive a gateway restart and are accepted by every replica holding the same secret; sign-out and the
 * single use of nonces are kept in the gateway's state database: replicas sharing it see them at once, a replica with
 * its own data folder does not (README, SESSION_SECRET).
 * Nonces are issued statelessly (random part, expiry and a MAC), so any replica can check one it did not issue.
 */
export class SessionService {
  private readonly now: () => number;
  private readonly key: Uint8Array;
  /**
   * The token key imported once: given the raw bytes, jose imports a CryptoKey on every sign and verify, which was a
   * tenth of an authorized fetch's CPU.
   */
  private readonly tokenKey: Promise<webcrypto.CryptoKey>;
  private readonly statements;
  /** Sessions of tokens whose signature and claims verified, keyed by the exact token, with the URI they verified for. */
  private readonly verified = new Map<string, { session: Session; uri: string }>();

  constructor(private readonly options: SessionOptions) {
    if (options.secret.length < 32) throw new Error("The session secret must be at least 32 bytes.");
    this.now = options.now ?? Date.now;
    this.key = options.secret;
    this.tokenKey = webcrypto.subtle.importKey("raw", options.secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    // Prepared once: authenticate runs on every request, and preparing cost as much as the lookup.
    this.statements = {
      ended: options.db.prepare("SELECT 1 FROM ended_sessions WHERE jti = ?"),
      endSession: options.db.prepare("INSERT OR IGNORE INTO ended_sessions (jti, expires_at) VALUES (?, ?)"),
      spent: options.db.prepare("SELECT 1 FROM spent_nonces WHERE nonce = ?"),
    };
  }

  /** A fresh nonce that one sign-in message may use within the nonce lifetime. */
  issueNonce(): string {
    const expires = Math.floor(this.now() / 1000) + this.options.nonceTtlSeconds;
    const body = randomBytes(12).toString("hex") + expires.toString(16).padStart(12, "0");
    return body + this.mac(body);
  }

  /** The domain and URI a sign-in message must name. */
  expected(): { domain: string; uri: string; chainId: number } {
    const origin = new URL(this.options.publicOrigin());
    return { domain: origin.host, uri: origin.origin, chainId: this.options.chainId };
  }

  /**
   * Verifies a SIWE message and its signature: this gateway's domain and URI, its chain, a nonce it issued and nobody
   * used, an issuedAt within the clock skew, a message not yet expired; consumes the nonce; returns a session token
   * that expires no later than the message does. Every refusal is a 4xx with a code.
   */
  async signIn(message: string, signature: string): Promise<{ token: string; session: Session }> {
    let parsed: SiweMessage;
    try {
      parsed = new SiweMessage(message);
    } catch (err) {
      throw new ApiError("BAD_REQUEST", `message is not a valid EIP-4361 (Sign-In with Ethereum) message${whereInvalid(err)}.`, {
        field: "body.message",
      });
    }
    const nowMs = this.now();
    const { domain, uri, chainId } = this.expected();
    const nonceExpires = this.nonceExpiry(parsed.nonce);
    if (nonceExpires === undefined || nonceExpires * 1000 < nowMs || this.isSpent(parsed.nonce)) {
      throw new ApiError("NONCE_INVALID", "The sign-in nonce is unknown, already used or expired; ask for a new one.");
    }
    if (parsed.domain !== domain) {
      throw new ApiError("BAD_SIGNATURE", `The message is for domain "${parsed.domain}", not this gateway ("${domain}").`);
    }
    if (!sameOrigin(parsed.uri, uri)) {
      throw new ApiError("BAD_SIGNATURE", `The message's URI "${parsed.uri}" is not on this gateway (${uri}).`);
    }
    if (parsed.chainId !== chainId) {
      throw new ApiError("BAD_SIGNATURE", `The message is for chain ${parsed.chainId}; this gateway serves chain ${chainId}.`);
    }
    const skewMs = (this.options.maxClockSkewSeconds ?? DEFAULT_SKEW_SECONDS) * 1000;
    const issuedAt = Date.parse(parsed.issuedAt ?? "");
    if (!Number.isFinite(issuedAt) || Math.abs(issuedAt - nowMs) > skewMs) {
      throw new ApiError("BAD_SIGNATURE", "The message's issuedAt is missing or too far from the gateway's clock; sign a new one.");
    }
    const expiration = parsed.expirationTime === undefined ? Infinity : Date.parse(parsed.expirationTime);
    if (Number.isNaN(expiration) || expiration <= nowMs) throw new ApiError("BAD_SIGNATURE", "The message has expired; sign a new one.");
    const notBefore = parsed.notBefore === undefined ? -Infinity : Date.parse(parsed.notBefore);
    if (Number.isNaN(notBefore) || notBefore > nowMs + skewMs) throw new ApiError("BAD_SIGNATURE", "The message is not valid yet.");
    // The nonce is spent whether or not the signature holds: a failed attempt cannot be retried with it.
    this.spend(parsed.nonce, nonceExpires);
    const result = await parsed.verify(
      { signature, domain, nonce: parsed.nonce, time: new Date(nowMs).toISOString() },
      { suppressExceptions: true },
    );
    if (!result.success) {
      throw new ApiError("BAD_SIGNATURE", `The sign-in signature does not verify: ${result.error?.type ?? "invalid signature"}.`);
    }
    const expiresAt = Math.min(nowMs + this.options.sessionTtlSeconds * 1000, expiration);
    const session: Session = { address: getAddress(parsed.address), expiresAt, jti: randomBytes(16).toString("base64url") };
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(session.address)
      .setJti(session.jti)
      .setIssuer(uri)
      .setAudience(uri)
      .setIssuedAt(Math.floor(nowMs / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(await this.tokenKey);
    return { token, session };
  }

  /**
   * The session behind a bearer token; throws UNAUTHENTICATED or SESSION_EXPIRED. A token verified once is remembered
   * until it expires, but expiry and sign-out are checked on every call, so neither waits for the cache.
   */
  async authenticate(token: string | undefined): Promise<Session> {
    if (!token) throw new ApiError("UNAUTHENTICATED", "Sign in first: send the session token as 'Authorization: Bearer <token>'.");
    const { uri } = this.expected();
    const known = this.verified.get(token);
    let session: Session;
    if (known !== undefined && known.uri === uri) {
      // The same expiry rule jose applies (no clock tolerance): expired from the token's `exp` second on.
      if (Math.floor(this.now() / 1000) >= known.session.expiresAt / 1000) {
        this.verified.delete(token);
        throw new ApiError("SESSION_EXPIRED", "The session has expired; sign in again.");
      }
      // Most recently used last, so the oldest entry is the one dropped when the cache is full.
      remember(this.verified, token, known, MAX_VERIFIED_TOKENS);
      session = known.session;
    } else {
      session = await this.verify(token, uri);
      remember(this.verified, token, { session, uri }, MAX_VERIFIED_TOKENS);
    }
    this.ensureLive(session);
    return { ...session };
  }

  /**
   * Throws SESSION_EXPIRED once `session` has expired, or UNAUTHENTICATED once it was signed out (here or on any replica
   * sharing the state database). For what outlives the request that authenticated it (a live-update stream): one clock
   * read and one indexed lookup, cheap enough to run before every write, where verifying the token again is not needed.
   */
  ensureLive(session: Session): void {
    // The same expiry rule jose applies (no clock tolerance): expired from the token's `exp` second on.
    if (Math.floor(this.now() / 1000) >= session.expiresAt / 1000) {
      throw new ApiError("SESSION_EXPIRED", "The session has expired; sign in again.");
    }
    if (this.statements.ended.get(session.jti) !== undefined) {
      throw new ApiError("UNAUTHENTICATED", "This session was signed out; sign in again.");
    }
  }

  /** Checks a token's signature and claims (issuer and audience `uri`, not expired) with jose. */
  private async verify(token: string, uri: string): Promise<Session> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await this.tokenKey, {
        algorithms: ["HS256"],
        issuer: uri,
        audience: uri,
        currentDate: new Date(this.now()),
        clockTolerance: 0,
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new ApiError("SESSION_EXPIRED", "The session has expired; sign in again.");
      throw new ApiError("UNAUTHENTICATED", "The session token is not valid for this gateway; sign in again.");
    }
    if (typeof payload.sub !== "string" || typeof payload.jti !== "string" || typeof payload.exp !== "number") {
      throw new ApiError("UNAUTHENTICATED", "The session token is not valid for this gateway; sign in again.");
    }
    return { address: payload.sub, expiresAt: payload.exp * 1000, jti: payload.jti };
  }

  /** Ends a session: its token is refused from now on (kept until it would have expired anyway). */
  signOut(session: Session): void {
    this.sweep();
    this.statements.endSession.run(session.jti, Math.ceil(session.expiresAt / 1000));
  }

  private mac(body: string): string {
    return createHmac("sha256", this.key).update("siwe-nonce:").update(body).digest("hex").slice(0, 32);
  }

  /** The expiry (unix seconds) of a nonce this service issued, or undefined for anything else. */
  private nonceExpiry(nonce: string): number | undefined {
    if (!/^[0-9a-f]{68}$/.test(nonce)) return undefined;
    const body = nonce.slice(0, 36);
    const given = Buffer.from(nonce.slice(36), "hex");
    if (!timingSafeEqual(given, Buffer.from(this.mac(body), "hex"))) return undefined;
    return parseInt(body.slice(24), 16);
  }

  private isSpent(nonce: string): boolean {
    return this.statements.spent.get(nonce) !== undefined;
  }

  private spend(nonce: string, expiresAt: number): void {
    this.sweep();
    const inserted = this.options.db.prepare("INSERT OR IGNORE INTO spent_nonces (nonce, expires_at) VALUES (?, ?)").run(nonce, expiresAt);
    // Two sign-ins racing with one nonce: only the first insert wins.
    if (inserted.changes === 0) throw new ApiError("NONCE_INVALID", "The sign-in nonce was already used; ask for a new one.");
  }

  private sweep(): void {
    const now = Math.floor(this.now() / 1000);
    this.options.db.prepare("DELETE FROM spent_nonces WHERE expires_at < ?").run(now);
    this.options.db.prepare("DELETE FROM ended_sessions WHERE expires_at < ?").run(now);
  }
}

/**
 * Whether a signed URI is PUBLIC_ORIGIN as written, or a path under it: compared as strings, so userinfo
 * (`http://evil@host/`), another spelling of the host (`0x7f000001`) or of the scheme (`HTTP:`) is not the origin even
 * though a URL parser would reduce it to the same one.
 */
function sameOrigin(uri: string, origin: string): boolean {
  return uri === origin || uri.startsWith(`${origin}/`);
}

/**
 * The lines siwe's parser names as wrong (": line 2: invalid EIP-55 address - 0x…"), or nothing when it names none;
 * its dump of the parser's internal state is left out.
 */
function whereInvalid(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === "string" ? err : "";
  const lines = text.split("\n").filter((line) => /^line \d+: /.test(line));
  return lines.length === 0 ? "" : `: ${lines.join("; ")}`;
}
