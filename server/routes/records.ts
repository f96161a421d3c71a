import { getAddress } from "ethers";
import { z } from "zod";
import { ApiError } from "../errors";
import { recordSchema, txSchema } from "../apiSchemas";
import type { ApiRoutes } from "../routing";
import { addressSchema, bytes32Schema, categorySchema, cidSchema, signatureSchema, unixSecondsSchema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";
import { EnvelopeUpload } from "../services/store/envelopeUpload";
import { storeOrUnavailable } from "../services/store/storeErrors";

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
const storedRecordSchema = z.object({ cid: z.string(), bytes: z.number().int(), category: z.number().int(), patient: z.string() });

/** Records: upload ciphertext, announce it on the ledger, list a vault, fetch under a live grant. */
export function recordRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, store, disclosures, config, logger } = services;
  // Stores a record envelope, streamed from the request into the store (never buffered whole). The gateway checks
  // that it is an envelope (never plaintext) from its first bytes, before anything is stored. If the upload fails
  // midway (client gone, over the limit, store down), the blocks written so far are unpinned orphans that nothing
  // points at: a record is announced only by the separate POST /api/records/announce, which first checks that the
  // store holds the whole file; unpinned blocks are what a collecting engine removes.
  api.add(
    {
      method: "post",
      path: "/api/records",
      summary: "Store a record envelope (ciphertext only), streamed into the content store",
      tag: "records",
      auth: true,
      rawBody: {
        contentType: "application/octet-stream",
        description: `A record envelope (CLE1), at most the gateway's maxRecordBytes (${config.maxRecordBytes} bytes here); sent as a stream`,
      },
      responses: { 201: { description: "Stored and pinned (not yet announced)", schema: storedRecordSchema } },
      errors: ["BAD_ENVELOPE", "BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "STORE_UNAVAILABLE"],
    },
    async ({ req, res, session }) => {
      const upload = new EnvelopeUpload(req, config.maxRecordBytes);
      try {
        upload.checkRequest();
        const { header } = await upload.readHeader();
        const cid = await upload.storeWith((body) => storeOrUnavailable(() => store.put(body)));
        upload.checkComplete();
        await storeOrUnavailable(() => store.pin(cid));
        logger.info({ cid, bytes: upload.bytes, uploader: session.address }, "record stored");
        res.status(201).json({ cid, bytes: upload.bytes, category: header.category, patient: getAddress(header.patient) });
      } catch (err) {
        await upload.discard(res);
        throw err;
      }
    },
  );

  // Relays the signed announcement that puts a stored record into the patient's vault on-chain.
  api.add(
    {
      method: "post",
      path: "/api/records/announce",
      summary: "Relay a signed announcement (EIP-712 AddRecord) that indexes a stored record in the patient's vault",
      tag: "records",
      auth: true,
      body: announceBody,
      responses: { 201: { description: "Mined", schema: txSchema } },
      errors: ["BAD_REQUEST", "FORBIDDEN", "CONTENT_NOT_FOUND", "TRANSACTION_REVERTED", "CHAIN_UNAVAILABLE", "STORE_UNAVAILABLE"],
    },
    async ({ body, session, res }) => {
      if (body.author !== session.address) {
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
    },
  );

  // Lists a patient's vault from RecordAdded events: to the patient, or to a provider holding a live grant.
  api.add(
    {
      method: "get",
      path: "/api/records",
      summary: "List a patient's vault (to the patient, or to a provider holding a live grant)",
      tag: "records",
      auth: true,
      query: listQuery,
      responses: {
        200: { description: "Records, oldest first", schema: z.object({ patient: z.string(), records: z.array(recordSchema) }) },
      },
      errors: ["BAD_REQUEST", "ACCESS_DENIED", "CHAIN_UNAVAILABLE"],
    },
    async ({ query: { patient }, session, res }) => {
      const reader = session.address;
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
    },
  );

  // Releases a record's ciphertext: only under a live on-chain grant read at the head, logged before sending.
  api.add(
    {
      method: "get",
      path: "/api/records/{cid}",
      summary: "Fetch a record's ciphertext: released only under a live grant read at the chain head, logged before it is sent",
      tag: "records",
      auth: true,
      params: cidParams,
      responses: {
        200: { description: "The envelope bytes; X-Disclosure-Seq names the log entry", contentType: "application/octet-stream" },
      },
      errors: ["BAD_REQUEST", "RECORD_NOT_FOUND", "ACCESS_DENIED", "CONTENT_NOT_FOUND", "CHAIN_UNAVAILABLE", "STORE_UNAVAILABLE"],
    },
    async ({ params: { cid }, session, res }) => {
      const reader = session.address;
      const decision = await services.access.decide(cid, reader);
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
    },
  );
}
