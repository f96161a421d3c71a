import { z } from "zod";
import {
  addressSchema,
  bytes32Schema,
  limitSchema,
  pageTokenSchema,
  purposeSchema,
  scopeSchema,
  signatureSchema,
  unixSecondsSchema,
} from "../primitives";
import { route } from "../route";
import { grantView, pageFields, txView } from "../views";

const RELAY_ERRORS = ["BAD_REQUEST", "FORBIDDEN", "TRANSACTION_REVERTED", "RELAY_BUDGET_EXCEEDED", "CHAIN_UNAVAILABLE"] as const;

/** Grants: relay patient-signed grants and revocations (patients need no ether), list grants. */
export const grantRoutes = {
  relayGrant: route({
    method: "post",
    path: "/api/grants",
    summary: "Relay a grant signed by the patient or their guardian (EIP-712 Grant) to ConsentLedger.grantBySig",
    tag: "grants",
    auth: true,
    body: z.object({
      patient: addressSchema,
      grantee: addressSchema,
      scope: scopeSchema,
      purpose: purposeSchema,
      expiresAt: unixSecondsSchema,
      keyBundle: bytes32Schema,
      deadline: unixSecondsSchema,
      signature: signatureSchema,
    }),
    status: 201,
    response: { description: "Mined", schema: txView },
    errors: RELAY_ERRORS,
  }),
  relayRevoke: route({
    method: "post",
    path: "/api/grants/revoke",
    summary: "Relay a revocation signed by the patient or their guardian (EIP-712 Revoke)",
    tag: "grants",
    auth: true,
    body: z.object({ patient: addressSchema, grantee: addressSchema, deadline: unixSecondsSchema, signature: signatureSchema }),
    status: 201,
    response: { description: "Mined", schema: txView },
    errors: RELAY_ERRORS,
  }),
  relayRevokeAll: route({
    method: "post",
    path: "/api/grants/revoke-all",
    summary: "Relay a signed revoke-everything (EIP-712 RevokeAll): ends every grant and emergency window of the patient",
    tag: "grants",
    auth: true,
    body: z.object({ patient: addressSchema, deadline: unixSecondsSchema, signature: signatureSchema }),
    status: 201,
    response: { description: "Mined", schema: txView },
    errors: RELAY_ERRORS,
  }),
  listGrants: route({
    method: "get",
    path: "/api/grants",
    summary: "List grants you issued (patient=you, or a patient you are guardian of) or hold (grantee=you)",
    tag: "grants",
    auth: true,
    query: z.object({
      patient: addressSchema.optional(),
      grantee: addressSchema.optional(),
      live: z.enum(["true", "false"]).optional().meta({ description: "Only live grants (true) or only ended ones (false)" }),
      limit: limitSchema,
      next: pageTokenSchema.optional(),
    }),
    status: 200,
    response: {
      description: "The grant in force per (patient, grantee) pair, newest first, with its state as of the list's block",
      schema: z.object({ now: z.number().int(), grants: z.array(grantView), ...pageFields }),
    },
    errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE"],
  }),
};
