import { z } from "zod";
import {
  addressSchema,
  bytes32Schema,
  limitSchema,
  pageTokenSchema,
  requestIdSchema,
  signatureSchema,
  unixSecondsSchema,
} from "../primitives";
import { relayRoute, route } from "../route";
import { accessRequestView, pageFields } from "../views";

/**
 * Access requests: providers ask on-chain (ConsentLedger.requestAccess, from their own wallet); patients answer with
 * signed approvals (carrying the key bundle) or denials, relayed here.
 */
export const requestRoutes = {
  listRequests: route({
    method: "get",
    path: "/api/requests",
    summary: "Access requests addressed to you (patient=you) or made by you (provider=you), with their status",
    tag: "requests",
    auth: true,
    query: z.object({
      patient: addressSchema.optional(),
      provider: addressSchema.optional(),
      status: z.enum(["pending", "approved", "denied"]).optional(),
      limit: limitSchema,
      next: pageTokenSchema.optional(),
    }),
    status: 200,
    response: { description: "Requests, newest first", schema: z.object({ requests: z.array(accessRequestView), ...pageFields }) },
    errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE"],
  }),
  approveRequest: relayRoute({
    path: "/api/requests/{requestId}/approve",
    summary: "Relay a signed approval (EIP-712 Approve); the grant it creates carries the key bundle digest",
    tag: "requests",
    params: z.object({ requestId: requestIdSchema }),
    body: z.object({ keyBundle: bytes32Schema, deadline: unixSecondsSchema, signature: signatureSchema }),
    errors: ["NOT_FOUND"],
  }),
  denyRequest: relayRoute({
    path: "/api/requests/{requestId}/deny",
    summary: "Relay a signed denial (EIP-712 Deny)",
    tag: "requests",
    params: z.object({ requestId: requestIdSchema }),
    body: z.object({ deadline: unixSecondsSchema, signature: signatureSchema }),
    errors: ["NOT_FOUND"],
  }),
};
