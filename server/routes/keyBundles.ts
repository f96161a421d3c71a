import express from "express";
import { getAddress } from "ethers";
import { z } from "zod";
import { decodeKeyBundle } from "../../lib/crypto";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import { bytes32Schema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";
import { cidDigestHex, documentCidFromDigest, MAX_DOCUMENT_BYTES, parseCid } from "../services/store/cids";
import { storeOrUnavailable } from "../services/store/storeErrors";

const digestParams = z.object({ digest: bytes32Schema });

/**
 * Key bundles: the data keys of a patient's records re-wrapped for one grantee. Stored as one raw block whose
 * sha2-256 digest the grant event carries; served only to that patient and that grantee.
 */
export function keyBundleRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { store } = services;
  const rawBody = express.raw({ type: "application/octet-stream", limit: MAX_DOCUMENT_BYTES });

  api.add(
    {
      method: "post",
      path: "/api/key-bundles",
      summary: "Store a key bundle (the patient's data keys wrapped for one grantee)",
      tag: "key bundles",
      auth: true,
      rawBody: { contentType: "application/octet-stream", description: "Canonical JSON of a KeyBundle (≤ 1 MiB)" },
      responses: { 201: { description: "Stored", schema: z.object({ cid: z.string(), digest: z.string() }) } },
      errors: ["BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "FORBIDDEN", "STORE_UNAVAILABLE"],
    },
    async ({ req, res, session }) => {
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
      if (getAddress(bundle.patient) !== session.address) {
        throw new ApiError("FORBIDDEN", "Only the patient named in a key bundle may store it.");
      }
      const cid = await storeOrUnavailable(() => store.putDocument(bytes));
      await storeOrUnavailable(() => store.pin(cid));
      res.status(201).json({ cid, digest: cidDigestHex(parseCid(cid)!) });
    },
    rawBody,
  );

  api.add(
    {
      method: "get",
      path: "/api/key-bundles/{digest}",
      summary: "Fetch a key bundle by the digest a grant event carries (its patient and grantee only)",
      tag: "key bundles",
      auth: true,
      params: digestParams,
      responses: { 200: { description: "The bundle bytes", contentType: "application/octet-stream" } },
      errors: ["BAD_REQUEST", "FORBIDDEN", "CONTENT_NOT_FOUND", "STORE_UNAVAILABLE"],
    },
    async ({ params, res, session }) => {
      const cid = documentCidFromDigest(params.digest).toString();
      const bytes = await storeOrUnavailable(() => store.getDocument(cid));
      const bundle = decodeKeyBundle(bytes);
      if (getAddress(bundle.patient) !== session.address && getAddress(bundle.grantee) !== session.address) {
        throw new ApiError("FORBIDDEN", "A key bundle is served only to its patient and its grantee.");
      }
      res.set("Cache-Control", "no-store");
      res.type("application/octet-stream").send(Buffer.from(bytes));
    },
  );
}
