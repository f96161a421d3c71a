import express, { Router } from "express";
import { getAddress } from "ethers";
import { z } from "zod";
import { readEnvelopeHeader } from "../../lib/crypto";
import { ApiError } from "../errors";
import { parseInput, requireSession, sessionOf } from "../http";
import { addressSchema, bytes32Schema, categorySchema, cidSchema, signatureSchema, unixSecondsSchema } from "../schemas";
import { decideRecordAccess } from "../services/access";
import type { GatewayServices } from "../services/gatewayServices";
import { StoreError } from "../services/store/contentStore";

const announceBody = z.object({
  patient: addressSchema,
  author: addressSchema,
  recordId: bytes32Schema,
  cid: cidSchema,
  category: categorySchema,
  deadline: unixSecondsSchema,
  signature: signatureSchema,
});

const listQuery = z.object({ patient: addressSchema });
const cidParams = z.object({ cid: cidSchema });

/** Records: upload ciphertext, announce it on the ledger, list a vault, fetch under a live grant. */
export function recordRoutes(services: GatewayServices): Router {
  const router = Router();
  const { chain, store, disclosures, sessions, config, logger } = services;
  const auth = requireSession(sessions);
  const rawBody = express.raw({ type: "application/octet-stream", limit: config.maxRecordBytes });

  // Stores a record envelope. The gateway checks that it is an envelope (never plaintext) before it keeps it.
  router.post("/records", auth, rawBody, async (req, res) => {
    if (!Buffer.isBuffer(req.body)) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the record envelope as 'Content-Type: application/octet-stream'.");
    }
    const bytes = new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength);
    let header;
    try {
      header = readEnvelopeHeader(bytes).header;
    } catch (err) {
      throw new ApiError("BAD_ENVELOPE", `The body is not a Consent Ledger record envelope: ${(err as Error).message}`);
    }
    const cid = await storeOrUnavailable(() => store.put(bytes));
    await store.pin(cid);
    logger.info({ cid, bytes: bytes.byteLength, uploader: sessionOf(res).address }, "record stored");
    res.status(201).json({ cid, bytes: bytes.byteLength, category: header.category, patient: getAddress(header.patient) });
  });

  // Relays the signed announcement that puts a stored record into the patient's vault on-chain.
  router.post("/records/announce", auth, async (req, res) => {
    const body = parseInput(announceBody, req.body, "body");
    if (body.author !== sessionOf(res).address) {
      throw new ApiError("FORBIDDEN", "body.author must be the signed-in wallet.");
    }
    // Content first, index second: an announcement never points at bytes the store does not hold.
    if (!(await storeOrUnavailable(() => store.has(body.cid)))) {
      throw new ApiError("CONTENT_NOT_FOUND", `Upload the envelope for ${body.cid} before announcing it.`);
    }
    const args = [body.patient, body.author, body.recordId, body.cid, body.category, body.deadline, body.signature] as const;
    const txHash = await chain.relay(
      "Announcing the record",
      () => chain.records.addRecordBySig(...args),
      () => chain.records.addRecordBySig.staticCall(...args),
    );
    res.status(201).json({ txHash });
  });

  // Lists a patient's vault from RecordAdded events: to the patient, or to a provider holding a live grant.
  router.get("/records", auth, async (req, res) => {
    const { patient } = parseInput(listQuery, req.query, "query");
    const reader = sessionOf(res).address;
    const head = await chain.head();
    if (reader !== patient) {
      const grant = await chain.read(() => chain.ledger.grantOf(patient, reader, { blockTag: head }));
      const block = await chain.read(() => chain.provider.getBlock(head));
      if (Number(grant.expiresAt) <= (block?.timestamp ?? 0)) {
        throw new ApiError("ACCESS_DENIED", `You hold no live grant from patient ${patient}.`);
      }
    }
    const from = chain.deployment.contracts.RecordIndex.blockNumber;
    const events = await chain.read(() => chain.records.queryFilter(chain.records.filters.RecordAdded(patient), from, head));
    const times = new Map<number, number>();
    const records = [];
    for (const e of events) {
      if (!times.has(e.blockNumber)) times.set(e.blockNumber, (await chain.read(() => e.getBlock())).timestamp);
      records.push({
        cid: e.args.cid,
        recordId: e.args.recordId,
        category: Number(e.args.category),
        author: e.args.author,
        addedAt: new Date(times.get(e.blockNumber)! * 1000).toISOString(),
        txHash: e.transactionHash,
      });
    }
    res.json({ patient, records });
  });

  // Releases a record's ciphertext: only under a live on-chain grant read at the head, logged before sending.
  router.get("/records/:cid", auth, async (req, res) => {
    const { cid } = parseInput(cidParams, req.params, "path");
    const reader = sessionOf(res).address;
    const decision = await decideRecordAccess(chain, cid, reader);
    // Read the whole (verified) file before logging, so a store failure neither logs nor sends a release.
    const parts: Uint8Array[] = [];
    await storeOrUnavailable(async () => {
      for await (const part of store.get(cid)) parts.push(part);
    });
    const entry = await disclosures.append({ reader, cid, ...decision });
    logger.info({ seq: entry.seq, cid, basis: decision.basis }, "record disclosed");
    res.set("Content-Type", "application/octet-stream");
    res.set("Cache-Control", "no-store");
    res.set("X-Disclosure-Seq", String(entry.seq));
    res.send(Buffer.concat(parts));
  });

  return router;
}

/** Runs a store operation, mapping engine failures to 404 (not held) or 503 (engine down). */
export async function storeOrUnavailable<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof StoreError && err.code === "NOT_FOUND") throw new ApiError("CONTENT_NOT_FOUND", err.message);
    if (err instanceof StoreError && err.code === "TOO_LARGE") throw new ApiError("PAYLOAD_TOO_LARGE", err.message);
    if (err instanceof ApiError) throw err;
    throw new ApiError("STORE_UNAVAILABLE", `The content store did not answer: ${(err as Error).message}`);
  }
}
