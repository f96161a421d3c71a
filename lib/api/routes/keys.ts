import { z } from "zod";
import { addressSchema, bytes32Schema, signatureSchema, unixSecondsSchema } from "../primitives";
import { relayRoute, route } from "../route";

const storedDocument = z.object({ cid: z.string(), digest: z.string() });

/**
 * Keys: key bundles (keys a patient hands one grantee, digest on the grant event), key directories (a patient's
 * per-category public keys, digest on the ledger) and the relayed publication of encryption keys and directories.
 */
export const keyRoutes = {
  uploadKeyBundle: route({
    method: "post",
    path: "/api/key-bundles",
    summary: "Store a key bundle (keys wrapped for one grantee); only its patient may store it",
    tag: "keys",
    auth: true,
    rawBody: { contentType: "application/octet-stream", description: "Canonical JSON of a KeyBundle (≤ 1 MiB)" },
    status: 201,
    response: { description: "Stored", schema: storedDocument },
    errors: ["BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "FORBIDDEN", "STORE_UNAVAILABLE"],
  }),
  fetchKeyBundle: route({
    method: "get",
    path: "/api/key-bundles/{digest}",
    summary: "Fetch a key bundle by the digest a grant event carries (its patient and grantee only)",
    tag: "keys",
    auth: true,
    params: z.object({ digest: bytes32Schema }),
    status: 200,
    response: { description: "The bundle bytes (hash them: their sha2-256 is the digest)", contentType: "application/octet-stream" },
    errors: ["BAD_REQUEST", "FORBIDDEN", "CONTENT_NOT_FOUND", "STORE_UNAVAILABLE"],
  }),
  uploadKeyDirectory: route({
    method: "post",
    path: "/api/key-directories",
    summary: "Store a key directory (a patient's per-category public keys); only its patient may store it",
    tag: "keys",
    auth: true,
    rawBody: { contentType: "application/octet-stream", description: "Canonical JSON of a KeyDirectory" },
    status: 201,
    response: { description: "Stored", schema: storedDocument },
    errors: ["BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "FORBIDDEN", "STORE_UNAVAILABLE"],
  }),
  fetchKeyDirectory: route({
    method: "get",
    path: "/api/key-directories/{digest}",
    summary: "Fetch a key directory by the digest the ledger holds for its patient (public keys only)",
    tag: "keys",
    auth: false,
    params: z.object({ digest: bytes32Schema }),
    status: 200,
    response: { description: "The directory bytes (hash them: their sha2-256 is the digest)", contentType: "application/octet-stream" },
    errors: ["BAD_REQUEST", "CONTENT_NOT_FOUND", "STORE_UNAVAILABLE"],
  }),
  relayEncryptionKey: relayRoute({
    path: "/api/accounts/encryption-key",
    summary: "Relay an account's own signed publication of its X25519 encryption key (EIP-712 SetEncryptionKey)",
    tag: "keys",
    body: z.object({ account: addressSchema, key: bytes32Schema, deadline: unixSecondsSchema, signature: signatureSchema }),
  }),
  relayKeyDirectory: relayRoute({
    path: "/api/accounts/key-directory",
    summary: "Relay a patient's own signed publication of their key directory digest (EIP-712 SetKeyDirectory)",
    tag: "keys",
    body: z.object({ patient: addressSchema, digest: bytes32Schema, deadline: unixSecondsSchema, signature: signatureSchema }),
  }),
};
