/**
 * The serving side of the exchange between member organizations: the IPFS Trustless Gateway protocol's block
 * response (`GET /ipfs/{cid}` answered with `application/vnd.ipld.raw`), for member gateways only.
 *
 * - Only blocks this organization's own store holds are served; nothing is fetched from other peers to answer.
 * - Only canonical CIDs (CIDv1 base32, raw or dag-pb, sha2-256) are accepted; other spellings are refused, naming
 *   the canonical one.
 * - Raw blocks only: CAR (`application/vnd.ipld.car`) is not served, since the fetching side verifies and stores
 *   block by block anyway.
 * - A peer authenticates with a short-lived token signed by its relayer key (see services/exchange/peerToken.ts);
 *   the address it recovers must be a member gateway.
 *
 * Not part of the client API (/api, OpenAPI): peers are other gateways, not wallets.
 */
import express, { type ErrorRequestHandler, type Request } from "express";
import { ApiError } from "../errors";
import { NonCanonicalCidError, parseCanonicalCid } from "../services/exchange/canonicalCid";
import type { LocalBlocks } from "../services/exchange/localBlocks";
import type { PeerAuthenticator } from "../services/exchange/peerAuthenticator";
import { StoreError } from "../services/store/contentStore";

/** The media type of a single raw block (IANA `application/vnd.ipld.raw`). */
export const RAW_BLOCK = "application/vnd.ipld.raw";

/** What the router serves from and how it decides who may ask. */
export interface PeerExchangeOptions {
  /** The organization's own store (the embedded store), never a NetworkedStore. */
  blocks: LocalBlocks;
  authenticator: PeerAuthenticator;
  /** Called after each block served, e.g. to log which organization fetched what. */
  onServed?: (served: { peer: string; origin: string; cid: string; bytes: number }) => void;
}

/** Builds the router answering `GET|HEAD /ipfs/{cid}` for member gateways; mount it at the app's root. */
export function peerExchangeRouter(options: PeerExchangeOptions): express.Router {
  const router = express.Router();
  router.get("/ipfs/:cid", async (req, res) => {
    // Who asks first: a non-member learns nothing, not even whether a CID is well formed.
    const peer = await options.authenticator.authenticate(req.get("authorization"));
    const cid = canonicalOrRefused(String(req.params.cid));
    requireRawBlockFormat(req);
    let bytes: Uint8Array;
    try {
      bytes = await options.blocks.getBlock(cid);
    } catch (err) {
      // A block damaged on disk is as absent as a missing one: it is never sent.
      if (err instanceof StoreError && (err.code === "NOT_FOUND" || err.code === "CORRUPT")) {
        throw new ApiError("CONTENT_NOT_FOUND", `This gateway's store does not hold block ${cid.toString()}.`);
      }
      throw new ApiError("STORE_UNAVAILABLE", `The content store did not answer: ${(err as Error).message}`);
    }
    const text = cid.toString();
    res
      .status(200)
      .set({
        "Content-Type": RAW_BLOCK,
        "Content-Length": String(bytes.byteLength),
        "Content-Disposition": `attachment; filename="${text}.bin"`,
        "X-Content-Type-Options": "nosniff",
        // Immutable, but for members only: no shared cache may keep it.
        "Cache-Control": "private, max-age=31536000, immutable",
        ETag: `"${text}.raw"`,
        Vary: "Accept, Authorization",
      })
      .end(req.method === "HEAD" ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    options.onServed?.({ peer: peer.address, origin: peer.origin, cid: text, bytes: bytes.byteLength });
  });
  router.use("/ipfs", errorJson);
  return router;
}

function canonicalOrRefused(text: string) {
  try {
    return parseCanonicalCid(text);
  } catch (err) {
    if (err instanceof NonCanonicalCidError) throw new ApiError("BAD_REQUEST", err.message);
    throw err;
  }
}

/**
 * The trustless gateway's content negotiation, reduced to the one type served: `?format=raw` takes precedence over
 * `Accept`; a request naming neither is refused (strict trustless mode answers 400 rather than guess).
 */
function requireRawBlockFormat(req: Request): void {
  const format = req.query.format;
  if (format !== undefined) {
    if (format === "raw") return;
    throw new ApiError("BAD_REQUEST", `query.format must be "raw": this gateway serves single raw blocks only.`);
  }
  const accepted = (req.get("accept") ?? "").split(",").map((type) => type.split(";")[0].trim().toLowerCase());
  if (accepted.includes(RAW_BLOCK)) return;
  throw new ApiError("BAD_REQUEST", `Ask for a raw block: ?format=raw or 'Accept: ${RAW_BLOCK}' (CAR is not served).`);
}

/** The project's error body, so the router answers the same way wherever it is mounted. */
const errorJson: ErrorRequestHandler = (err, _req, res, _next) => {
  const apiError = err instanceof ApiError ? err : new ApiError("INTERNAL", "The peer exchange failed unexpectedly.");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message } });
};
