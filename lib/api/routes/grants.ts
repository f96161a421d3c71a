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
import { relayRoute, route } from "../route";
import { grantView, pageFields } from "../views";

/** Grants: relay patient-signed grants and revocations (patients need no ether), list grants. */
export const grantRoutes = {
  relayGrant: relayRoute({
    path: "/api/grants",
    summary: "Relay a grant signed by the patient or their guardian (EIP-712 Grant) to ConsentLedger.grantBySig",
    tag: "grants",
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
  }),
  relayRevoke: relayRoute({
    path: "/api/grants/revoke",
    summary: "Relay a revocation signed by the patient or their guardian (EIP-712 Revoke)",
    tag: "grants",
    body: z.object({ patient: addressSchema, grantee: addressSchema, deadline: unixSecondsSchema, signature: signatureSchema }),
  }),
  relayRevokeAll: relayRoute({
    path: "/api/grants/revoke-all",
    summary: "Relay a signed revoke-everything (EIP-712 RevokeAll): ends every grant and emergency window of the patient",
    tag: "grants",
    body: z.object({ patient: addressSchema, deadline: unixSecondsSchema, signature: signatureSchema }),
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
