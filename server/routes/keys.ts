import express from "express";
import { getAddress } from "ethers";
import { API } from "../../lib/api";
import { decodeKeyBundle, decodeKeyDirectory } from "../../lib/crypto";
import { cidDigestHex, documentCid, rawCidFromDigest } from "../../lib/ids/cid";
import { ApiError } from "../errors";
import { ensure, type ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";
import { MAX_DOCUMENT_BYTES } from "../services/store/cids";
import { storeOrUnavailable } from "../services/store/storeErrors";
import { relaySigned } from "./relaySigned";

/**
 * Keys: key bundles (the keys a patient hands one grantee; the grant event carries the digest), key directories (a
 * patient's per-category public keys; the ledger holds the digest), and the relayed publication of an account's own
 * encryption key and directory. Bundles are served to their patient and grantee only; directories hold public keys.
 */
export function keyRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { store, chain, uploads } = services;
  const rawBody = express.raw({ type: "application/octet-stream", limit: MAX_DOCUMENT_BYTES });

  /** Stores a small document (one raw block), pinned, counted against the uploader's quota. */
  async function storeDocument(bytes: Uint8Array, uploader: string): Promise<{ cid: string; digest: string }> {
    uploads.checkQuota(uploader, bytes.byteLength);
    const cid = await storeOrUnavailable(() => store.putDocument(bytes));
    await storeOrUnavailable(() => store.pin(cid));
    uploads.stored(cid, uploader, bytes.byteLength);
    return { cid, digest: cidDigestHex(await documentCid(bytes)) };
  }

  function bodyBytes(body: unknown): Uint8Array {
    if (!Buffer.isBuffer(body))
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the document as 'Content-Type: application/octet-stream'.");
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  }

  /** Stores a document that names its patient (a key bundle, a key directory) for that patient only. */
  async function storePatientDocument(
    body: unknown,
    uploader: string,
    kind: string,
    decode: (bytes: Uint8Array) => { patient: string },
  ): Promise<{ cid: string; digest: string }> {
    const bytes = bodyBytes(body);
    let patient: string;
    try {
      patient = decode(bytes).patient;
    } catch (err) {
      throw new ApiError("BAD_REQUEST", `The body is not ${kind}: ${(err as Error).message}`);
    }
    ensure(getAddress(patient) === uploader, "FORBIDDEN", `Only the patient named in ${kind} may store it.`);
    return storeDocument(bytes, uploader);
  }

  api.add(
    API.uploadKeyBundle,
    ({ req, session }) => storePatientDocument(req.body, session.address, "a key bundle", decodeKeyBundle),
    rawBody,
  );

  api.add(API.fetchKeyBundle, async ({ params, res, session }) => {
    const bytes = await storeOrUnavailable(() => store.getDocument(rawCidFromDigest(params.digest)));
    let bundle;
    try {
      bundle = decodeKeyBundle(bytes);
    } catch {
      // Other documents live under digests too (key directories): this route serves key bundles only.
      throw new ApiError("CONTENT_NOT_FOUND", `No key bundle has digest ${params.digest}.`);
    }
    if (getAddress(bundle.patient) !== session.address && getAddress(bundle.grantee) !== session.address) {
      throw new ApiError("FORBIDDEN", "A key bundle is served only to its patient and its grantee.");
    }
    res.set("Cache-Control", "no-store");
    res.type("application/octet-stream").send(Buffer.from(bytes));
  });

  api.add(
    API.uploadKeyDirectory,
    ({ req, session }) => storePatientDocument(req.body, session.address, "a key directory", decodeKeyDirectory),
    rawBody,
  );

  api.add(API.fetchKeyDirectory, async ({ params, res }) => {
    const bytes = await storeOrUnavailable(() => store.getDocument(rawCidFromDigest(params.digest)));
    try {
      decodeKeyDirectory(bytes);
    } catch {
      throw new ApiError("CONTENT_NOT_FOUND", `No key directory has digest ${params.digest}.`);
    }
    res.set("Cache-Control", "public, max-age=31536000, immutable");
    res.type("application/octet-stream").send(Buffer.from(bytes));
  });

  api.add(API.relayEncryptionKey, async (input) => {
    const { body: b, session } = input;
    ensure(b.account === session.address, "FORBIDDEN", "body.account must be the signed-in wallet: only an account publishes its own key.");
    return relaySigned(services, input, "Publishing the encryption key", chain.ledger.setEncryptionKeyBySig, [b.account, b.key]);
  });

  api.add(API.relayKeyDirectory, async (input) => {
    const { body: b, session } = input;
    ensure(
      b.patient === session.address,
      "FORBIDDEN",
      "body.patient must be the signed-in wallet: only a patient publishes their own key directory.",
    );
    return relaySigned(services, input, "Publishing the key directory", chain.ledger.setKeyDirectoryBySig, [b.patient, b.digest]);
  });
}
