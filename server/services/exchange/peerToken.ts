/**
 * The credential one member gateway shows another when it fetches blocks: a short statement signed with its relayer
 * key (EIP-191 `personal_sign`), sent as `Authorization: Bearer <token>`.
 *
 * Why EIP-191 rather than a JWS: membership is the registry's GATEWAY_ROLE, held by the relayer's *address*. An
 * EIP-191 signature recovers that address directly (ethers `verifyMessage`), with the key and library the gateway
 * already has; a JWS (ES256K) carries no address, so the serving side would need each peer's public key configured
 * or published somewhere. The statement is plain text, so a person or a wallet that is shown it can read it.
 *
 * Token: base64url(statement) "." base64url(65-byte signature). Statement, exactly these lines:
 *
 * ```
 * Consent Ledger peer exchange
 * version: 1
 * origin: https://clinic.example       (the requesting gateway, for the serving side's logs)
 * audience: https://er.example         (the gateway it is meant for: a token shown elsewhere is refused)
 * issued-at: 1767225600                (unix seconds)
 * expires-at: 1767225660
 * ```
 */
import { getBytes, hexlify, type Signer, verifyMessage } from "ethers";

const TITLE = "Consent Ledger peer exchange";
const VERSION = 1;
const STATEMENT = new RegExp(
  `^${TITLE}\\nversion: ${VERSION}\\norigin: (\\S+)\\naudience: (\\S+)\\nissued-at: (\\d{1,12})\\nexpires-at: (\\d{1,12})$`,
);
/** Longest lifetime a serving gateway accepts: a token is meant to be short-lived. */
export const MAX_TOKEN_LIFETIME_SECONDS = 300;
/** How far ahead of the serving gateway's clock a token may have been issued (clocks of two organizations differ). */
export const CLOCK_SKEW_SECONDS = 30;

/** Why a token was refused; the route maps each code to a status. */
export type PeerTokenErrorCode = "MALFORMED" | "BAD_SIGNATURE" | "EXPIRED" | "NOT_YET_VALID" | "TOO_LONG" | "WRONG_AUDIENCE";

/** A peer token that does not authenticate its bearer. */
export class PeerTokenError extends Error {
  constructor(
    readonly code: PeerTokenErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "PeerTokenError";
  }
}

/** What a token states, once its signature is checked. */
export interface PeerTokenClaims {
  /** The relayer address that signed it (EIP-55). */
  address: string;
  origin: string;
  audience: string;
  issuedAt: number;
  expiresAt: number;
}

/** The origin (scheme://host:port) of a URL, the form audiences are compared in. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/** Signs a token for `audience` valid from `issuedAt` for `lifetimeSeconds`. */
export async function signPeerToken(
  signer: Pick<Signer, "signMessage">,
  claims: { origin: string; audience: string; issuedAt: number; lifetimeSeconds: number },
): Promise<string> {
  const statement = [
    TITLE,
    `version: ${VERSION}`,
    `origin: ${originOf(claims.origin)}`,
    `audience: ${originOf(claims.audience)}`,
    `issued-at: ${claims.issuedAt}`,
    `expires-at: ${claims.issuedAt + claims.lifetimeSeconds}`,
  ].join("\n");
  const signature = await signer.signMessage(statement);
  return `${Buffer.from(statement, "utf8").toString("base64url")}.${Buffer.from(getBytes(signature)).toString("base64url")}`;
}

/**
 * Checks a token's form, signature, lifetime and audience at `nowSeconds` and returns what it states; throws
 * PeerTokenError otherwise. Membership is not decided here (see peerAuthenticator.ts).
 */
export function verifyPeerToken(token: string, expected: { audience: string; nowSeconds: number }): PeerTokenClaims {
  const [encodedStatement, encodedSignature, extra] = token.split(".");
  if (encodedStatement === undefined || encodedSignature === undefined || extra !== undefined) {
    throw new PeerTokenError("MALFORMED", "A peer token is two base64url parts joined by a dot.");
  }
  const statement = Buffer.from(encodedStatement, "base64url").toString("utf8");
  const match = STATEMENT.exec(statement);
  if (match === null) throw new PeerTokenError("MALFORMED", "The peer token's statement is not in the expected form.");
  const [, origin, audience, issued, expires] = match;
  const signature = Buffer.from(encodedSignature, "base64url");
  if (signature.byteLength !== 65) throw new PeerTokenError("BAD_SIGNATURE", "A peer token's signature is 65 bytes.");
  let address: string;
  try {
    address = verifyMessage(statement, hexlify(signature));
  } catch {
    throw new PeerTokenError("BAD_SIGNATURE", "The peer token's signature does not recover an address.");
  }
  const issuedAt = Number(issued);
  const expiresAt = Number(expires);
  if (expiresAt - issuedAt > MAX_TOKEN_LIFETIME_SECONDS || expiresAt <= issuedAt) {
    throw new PeerTokenError("TOO_LONG", `A peer token may live at most ${MAX_TOKEN_LIFETIME_SECONDS} s; sign a shorter one.`);
  }
  if (issuedAt > expected.nowSeconds + CLOCK_SKEW_SECONDS) {
    throw new PeerTokenError(
      "NOT_YET_VALID",
      `The peer token was issued at ${issuedAt}, ahead of this gateway's clock (${expected.nowSeconds}).`,
    );
  }
  if (expected.nowSeconds >= expiresAt) {
    throw new PeerTokenError("EXPIRED", `The peer token expired at ${expiresAt} (now ${expected.nowSeconds}); sign a fresh one.`);
  }
  if (audience !== originOf(expected.audience)) {
    throw new PeerTokenError("WRONG_AUDIENCE", `The peer token is meant for ${audience}, not for this gateway.`);
  }
  return { address, origin, audience, issuedAt, expiresAt };
}
