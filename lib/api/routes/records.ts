import { z } from "zod";
import {
  addressSchema,
  bytes32Schema,
  categoryQuerySchema,
  categorySchema,
  cidSchema,
  limitSchema,
  pageTokenSchema,
  signatureSchema,
  unixSecondsSchema,
} from "../primitives";
import { relayRoute, route } from "../route";
import { pageFields, vaultRecordView } from "../views";

/** Records: upload ciphertext, announce it on the ledger, list a vault, fetch under a live grant. */
export const recordRoutes = {
  uploadRecord: route({
    method: "post",
    path: "/api/records",
    summary: "Store a record envelope (ciphertext only), streamed into the content store; kept until announced or expired",
    tag: "records",
    auth: true,
    rawBody: { contentType: "application/octet-stream", description: "A record envelope (CLE1 v2), at most the gateway's maxRecordBytes" },
    status: 201,
    response: {
      description: "Stored (not yet announced: announce it before it expires)",
      schema: z.object({
        cid: z.string(),
        bytes: z.number().int(),
        category: z.number().int(),
        patient: z.string(),
        expiresAt: z.string(),
      }),
    },
    errors: ["BAD_ENVELOPE", "BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "QUOTA_EXCEEDED", "STORE_UNAVAILABLE"],
  }),
  announceRecord: relayRoute({
    path: "/api/records/announce",
    summary: "Relay a signed announcement (EIP-712 AddRecord) that indexes a stored record in its patient's vault",
    tag: "records",
    body: z.object({
      patient: addressSchema,
      author: addressSchema,
      recordId: bytes32Schema,
      cid: cidSchema,
      category: categorySchema,
      deadline: unixSecondsSchema,
      signature: signatureSchema,
    }),
    errors: ["BAD_ENVELOPE", "FORBIDDEN", "RECORD_NOT_FOUND", "CONTENT_NOT_FOUND", "STORE_UNAVAILABLE"],
  }),
  listRecords: route({
    method: "get",
    path: "/api/records",
    summary: "List a patient's vault: all of it to the patient, only the categories a live grant covers to a provider",
    tag: "records",
    auth: true,
    query: z.object({
      patient: addressSchema,
      category: categoryQuerySchema.optional(),
      limit: limitSchema,
      next: pageTokenSchema.optional(),
    }),
    status: 200,
    response: {
      description: "Records, newest first",
      schema: z.object({ patient: z.string(), records: z.array(vaultRecordView), ...pageFields }),
    },
    errors: ["BAD_REQUEST", "ACCESS_DENIED", "CHAIN_UNAVAILABLE"],
  }),
  fetchRecord: route({
    method: "get",
    path: "/api/records/{cid}",
    summary: "Fetch a record's ciphertext: released only under a live grant decided on the chain, logged before it is sent",
    tag: "records",
    auth: true,
    params: z.object({ cid: cidSchema }),
    status: 200,
    response: { description: "The envelope bytes; X-Disclosure-Seq names the log entry", contentType: "application/octet-stream" },
    errors: ["BAD_REQUEST", "RECORD_NOT_FOUND", "ACCESS_DENIED", "CONTENT_NOT_FOUND", "CHAIN_UNAVAILABLE", "STORE_UNAVAILABLE"],
  }),
};
