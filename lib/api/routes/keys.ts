import { z } from "zod";
import { addressSchema, bytes32Schema, signatureSchema, unixSecondsSchema } from "../primitives";
import { relayRoute, route } from "../route";

const storedDocument = z.object({ cid: z.string(), digest: z.string() });

/**
 * Upload and fetch of one kind of small document that a patient stores and the ledger names by its sha2-256 digest
 * (the raw IPFS block's): only the patient it names may store it; `fetchAuth` says whether reading it needs a session.
 */
function documentRoutes(def: { path: string; body: string; uploadSummary: string; fetchSummary: string; fetchAuth: boolean }) {
  return {
    upload: route({
      method: "post",
      path: def.path,
      summary: def.uploadSummary,
      tag: "keys",
      auth: true,
      rawBody: { contentType: "application/octet-stream", description: def.body },
      status: 201,
      response: { description: "Stored", schema: storedDocument },
      errors: ["BAD_REQUEST", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE", "FORBIDDEN", "QUOTA_EXCEEDED", "STORE_UNAVAILABLE"],
    }),
    fetch: route({
      method: "get",
      path: `${def.path}/{digest}`,
      summary: def.fetchSummary,
      tag: "keys",
      auth: def.fetchAuth,
      params: z.object({ digest: bytes32Schema }),
      status: 200,
      response: { description: "The document's bytes (hash them: their sha2-256 is the digest)", contentType: "application/octet-stream" },
      errors: def.fetchAuth
        ? ["BAD_REQUEST", "FORBIDDEN", "CONTENT_NOT_FOUND", "STORE_UNAVAILABLE"]
        : ["BAD_REQUEST", "CONTENT_NOT_FOUND", "STORE_UNAVAILABLE"],
    }),
  };
}

const keyBundles = documentRoutes({
  path: "/api/key-bundles",
  body: "Canonical JSON of a KeyBundle (≤ 1 MiB)",
  uploadSummary: "Store a key bundle (keys wrapped for one grantee); only its patient may store it",
  fetchSummary: "Fetch a key bundle by the digest a grant event carries (its patient and grantee only)",
  fetchAuth: true,
});

const keyDirectories = documentRoutes({
  path: "/api/key-directories",
  body: "Canonical JSON of a KeyDirectory",
  uploadSummary: "Store a key directory (a patient's per-category public keys); only its patient may store it",
  fetchSummary: "Fetch a key directory by the digest the ledger holds for its patient (public keys only)",
  fetchAuth: false,
});

/**
 * Keys: key bundles (keys a patient hands one grantee, digest on the grant event), key directories (a patient's
 * per-category public keys, digest on the ledger) and the relayed publication of encryption keys and directories.
 */
export const keyRoutes = {
  uploadKeyBundle: keyBundles.upload,
  fetchKeyBundle: keyBundles.fetch,
  uploadKeyDirectory: keyDirectories.upload,
  fetchKeyDirectory: keyDirectories.fetch,
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
