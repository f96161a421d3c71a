import { API } from "../../lib/api";
import { cidToBytes, parseCanonicalCid } from "../../lib/ids/cid";
import { ApiError } from "../errors";
import { ensure, type ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";
import { EnvelopeUpload } from "../services/store/envelopeUpload";
import { storeOrUnavailable } from "../services/store/storeErrors";
import { relaySigned } from "./relaySigned";

/** Records: upload ciphertext, announce it on the ledger, list a vault, fetch under a live grant. */
export function recordRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { store, disclosures, config, logger, access, headers, uploads, lists } = services;

  // Streams an envelope into the store (never buffered whole). Its header is parsed from the first bytes, so plaintext
  // or garbage is refused before anything is stored. It counts against the uploader's quota and is collected unless
  // announced within UPLOAD_TTL_SECONDS. An upload refused once some of it is stored counts against the quota too,
  // until it expires (see Uploads.refused): refusing it does not take its blocks back out of the store.
  api.add(API.uploadRecord, async ({ req, res, session }) => {
    const upload = new EnvelopeUpload(req, config.maxRecordBytes, {
      bytes: uploads.remainingQuota(session.address),
      refusal: () => uploads.quotaRefusal(session.address),
    });
    let recorded = false;
    try {
      upload.checkRequest();
      uploads.checkQuota(session.address, upload.declaredLength ?? 0);
      const { header } = await upload.readHeader();
      const cid = await upload.storeWith((body) => storeOrUnavailable(() => store.put(body)));
      upload.checkComplete();
      // Checked again and recorded with no await between: uploads of one wallet that ran side by side cannot all fit.
      uploads.checkQuota(session.address, upload.bytes);
      const expiresAt = uploads.stored(cid, session.address, upload.bytes);
      recorded = true;
      logger.info({ cid, bytes: upload.bytes, uploader: session.address }, "record stored");
      return {
        cid,
        bytes: upload.bytes,
        category: header.category,
        patient: (await headers.of(cid)).patient,
        expiresAt: new Date(expiresAt).toISOString(),
      };
    } catch (err) {
      if (!recorded) uploads.refused(session.address, upload.storedBytes);
      await upload.discard(res);
      throw err;
    }
  });

  // Relays the signed announcement that puts a stored record into its patient's vault on-chain. The content must be
  // in the store, be an envelope, and its header must name the announced patient, category and record id: the content
  // belongs to the patient its (authenticated) header names, and to no one else.
  api.add(API.announceRecord, async (input) => {
    const { body, session } = input;
    ensure(body.author === session.address, "FORBIDDEN", "body.author must be the signed-in wallet: you announce as yourself.");
    const header = await headers.of(body.cid);
    ensure(header.patient === body.patient, "FORBIDDEN", `This envelope is sealed for patient ${header.patient}, not ${body.patient}.`);
    ensure(
      header.category === body.category,
      "BAD_ENVELOPE",
      `This envelope is sealed as category ${header.category}, not ${body.category}.`,
    );
    ensure(
      body.recordId.toLowerCase() === header.recordId + "0".repeat(32),
      "BAD_ENVELOPE",
      "body.recordId must be the envelope's record id (16 bytes, left-aligned in 32).",
    );
    const cidBytes = cidToBytes(parseCanonicalCid(body.cid));
    const relayed = await relaySigned(services, input, "Announcing the record", services.chain.records.addRecordBySig, [
      body.patient,
      body.author,
      body.recordId,
      cidBytes,
      body.category,
    ]);
    await storeOrUnavailable(() => uploads.announced(body.cid));
    return relayed;
  });

  // Lists a vault from the event index: the whole vault to its patient, only the categories a live grant covers (and
  // the emergency summary during an open break-glass window) to anyone else — decided on the chain at the head.
  api.add(API.listRecords, async ({ query, session }) => {
    const view = await access.vaultView(query.patient, session.address);
    let categories = view.reader === "patient" ? undefined : view.categories;
    if (query.category !== undefined) {
      ensure(categories === undefined || categories.includes(query.category), "ACCESS_DENIED", "Your grant does not cover that category.", {
        reason: "not-covered",
      });
      categories = [query.category];
    }
    const page = await lists.vault(query.patient, categories, query);
    return { patient: query.patient, records: page.items, next: page.next, asOf: page.asOf };
  });

  // Releases a record's ciphertext: decided on the chain at the head, logged durably before the first byte is sent,
  // then streamed from the store (every block verified against its CID on the way).
  api.add(API.fetchRecord, async ({ params: { cid }, session, res }) => {
    const decision = await access.decideRecordRead(cid, session.address);
    // The first part is read from the store while the log entry is written and fsync'ed: reading releases nothing,
    // it holds one part at most, and the two waits overlap instead of adding up. Nothing is sent before the append.
    const parts = store.get(cid)[Symbol.asyncIterator]();
    const first = parts.next();
    first.catch(() => undefined); // awaited below; a failure that comes before then is not an unhandled rejection
    let entry;
    try {
      entry = await disclosures.append({ reader: session.address, cid, ...decision, release: "ciphertext", justification: "" });
    } catch (err) {
      // Not released: let the store read finish, then close it.
      void first.then(() => parts.return?.()).catch(() => undefined);
      throw err;
    }
    logger.info({ seq: entry.seq, cid, basis: decision.basis }, "record disclosed");
    res.set("Content-Type", "application/octet-stream");
    res.set("Cache-Control", "no-store");
    res.set("X-Disclosure-Seq", String(entry.seq));
    try {
      for (let part = await first; part.done !== true; part = await parts.next()) {
        if (!res.write(part.value)) await new Promise<void>((resolve) => res.once("drain", resolve));
      }
      res.end();
    } catch (err) {
      await parts.return?.()?.catch(() => undefined);
      // Headers are out: the client sees a cut-off body, which the envelope's final-chunk flag detects.
      logger.error({ cid, seq: entry.seq, err: (err as Error).message }, "record stream failed after the disclosure was logged");
      throw new ApiError("STORE_UNAVAILABLE", "The content store failed while sending the record.");
    }
  });
}
