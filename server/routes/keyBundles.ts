import express, { Router } from "express";
import { getAddress } from "ethers";
import { z } from "zod";
import { decodeKeyBundle } from "../../lib/crypto";
import { ApiError } from "../errors";
import { parseInput, requireSession, sessionOf } from "../http";
import { bytes32Schema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";
import { cidDigestHex, documentCidFromDigest, MAX_DOCUMENT_BYTES, parseCid } from "../services/store/cids";
import { storeOrUnavailable } from "./records";

const digestParams = z.object({ digest: bytes32Schema });

/**
 * Key bundles: the data keys of a patient's records re-wrapped for one grantee. Stored as one raw block whose
 * sha2-256 digest the grant event carries; served only to that patient and that grantee.
 */
export function keyBundleRoutes(services: GatewayServices): Router {
  const router = Router();
  const { store, sessions } = services;
  const auth = requireSession(sessions);
  const rawBody = express.raw({ type: "application/octet-stream", limit: MAX_DOCUMENT_BYTES });

  router.post("/key-bundles", auth, rawBody, async (req, res) => {
    if (!Buffer.isBuffer(req.body)) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the key bundle as 'Content-Type: application/octet-stream'.");
    }
    const bytes = new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength);
    let bundle;
    try {
      bundle = decodeKeyBundle(bytes);
    } catch (err) {
      throw new ApiError("BAD_REQUEST", `The body is not a key bundle: ${(err as Error).message}`);
    }
    if (getAddress(bundle.patient) !== sessionOf(res).address) {
      throw new ApiError("FORBIDDEN", "Only the patient named in a key bundle may store it.");
    }
    const cid = await storeOrUnavailable(() => store.putDocument(bytes));
    await store.pin(cid);
    res.status(201).json({ cid, digest: cidDigestHex(parseCid(cid)!) });
  });

  router.get("/key-bundles/:digest", auth, async (req, res) => {
    const { digest } = parseInput(digestParams, req.params, "path");
    const cid = documentCidFromDigest(digest).toString();
    const bytes = await storeOrUnavailable(() => store.getDocument(cid));
    const bundle = decodeKeyBundle(bytes);
    const me = sessionOf(res).address;
    if (getAddress(bundle.patient) !== me && getAddress(bundle.grantee) !== me) {
      throw new ApiError("FORBIDDEN", "A key bundle is served only to its patient and its grantee.");
    }
    res.set("Cache-Control", "no-store");
    res.type("application/octet-stream").send(Buffer.from(bytes));
  });

  return router;
}
