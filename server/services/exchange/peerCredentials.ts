import type { Signer } from "ethers";
import { originOf, signPeerToken } from "./peerToken";

/** Lifetime of the tokens this gateway signs: long enough to reuse across many block requests, short if stolen. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 60;

/** Where the fetching side gets the `Authorization` header value for a peer. */
export interface PeerCredentials {
  /** `Bearer <token>` for requests to the gateway at `peerUrl`. */
  authorizationFor(peerUrl: string): Promise<string>;
}

/**
 * Signs peer tokens with this gateway's relayer key, one per peer (each names its audience), and reuses a token
 * until half its lifetime is left: one signature per peer a minute rather than one per block.
 */
export class RelayerPeerCredentials implements PeerCredentials {
  private readonly cache = new Map<string, { header: Promise<string>; renewAt: number }>();

  constructor(
    private readonly signer: Pick<Signer, "signMessage">,
    /** This gateway's public URL, stated in its tokens. */
    private readonly origin: string,
    private readonly lifetimeSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async authorizationFor(peerUrl: string): Promise<string> {
    const audience = originOf(peerUrl);
    const now = this.nowSeconds();
    const cached = this.cache.get(audience);
    if (cached !== undefined && now < cached.renewAt) return cached.header;
    const header = signPeerToken(this.signer, { origin: this.origin, audience, issuedAt: now, lifetimeSeconds: this.lifetimeSeconds }).then(
      (token) => `Bearer ${token}`,
    );
    this.cache.set(audience, { header, renewAt: now + Math.floor(this.lifetimeSeconds / 2) });
    // A failed signature is not kept: the next request signs again.
    header.catch(() => this.cache.delete(audience));
    return header;
  }
}
