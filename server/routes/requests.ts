import { z } from "zod";
import { requestViewSchema, txSchema } from "../apiSchemas";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import { addressSchema, bytes32Schema, signatureSchema, unixSecondsSchema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";

const listQuery = z.object({ patient: addressSchema.optional(), provider: addressSchema.optional() });
const idParams = z.object({ requestId: z.string().regex(/^\d{1,30}$/, "must be a request number") });
const approveBody = z.object({ keyBundle: bytes32Schema, deadline: unixSecondsSchema, signature: signatureSchema });
const denyBody = z.object({ deadline: unixSecondsSchema, signature: signatureSchema });

const STATUS = ["pending", "approved", "denied"] as const;

/**
 * Access requests: providers ask on-chain (ConsentLedger.requestAccess, sent from their own wallet); patients
 * answer with signed approvals (which carry the key bundle) or denials, relayed here so they need no ether.
 */
export function requestRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain } = services;

  api.add(
    {
      method: "get",
      path: "/api/requests",
      summary: "Access requests addressed to you (patient=you) or made by you (provider=you), with their status",
      tag: "requests",
      auth: true,
      query: listQuery,
      responses: { 200: { description: "Requests, oldest first", schema: z.object({ requests: z.array(requestViewSchema) }) } },
      errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE"],
    },
    async ({ query: q, session, res }) => {
      if (q.patient === undefined && q.provider === undefined)
        throw new ApiError("BAD_REQUEST", "query.patient or query.provider is required", { field: "query.patient" });
      if (q.patient !== session.address && q.provider !== session.address) {
        throw new ApiError("FORBIDDEN", "You may list only requests addressed to you or made by you.");
      }
      const head = await chain.head();
      const from = chain.deployment.contracts.ConsentLedger.blockNumber;
      const events = await chain.read(() =>
        chain.ledger.queryFilter(chain.ledger.filters.AccessRequested(undefined, q.patient, q.provider), from, head),
      );
      const states = await chain.read(() => Promise.all(events.map((e) => chain.ledger.requestOf(e.args.requestId, { blockTag: head }))));
      const requests = events.map((e, i) => ({
        requestId: e.args.requestId.toString(),
        patient: e.args.patient,
        provider: e.args.provider,
        scope: Number(e.args.scope),
        purpose: Number(e.args.purpose),
        duration: Number(e.args.duration),
        status: STATUS[Number(states[i].status)] ?? "pending",
        requestedInTx: e.transactionHash,
      }));
      res.json({ requests });
    },
  );

  api.add(
    {
      method: "post",
      path: "/api/requests/{requestId}/approve",
      summary: "Relay a patient-signed approval (EIP-712 Approve); the grant it creates carries the key bundle digest",
      tag: "requests",
      auth: true,
      params: idParams,
      body: approveBody,
      responses: { 201: { description: "Mined", schema: txSchema } },
      errors: ["BAD_REQUEST", "TRANSACTION_REVERTED", "CHAIN_UNAVAILABLE", "FORBIDDEN"],
    },
    async ({ params, body, res }) => {
      const args = [BigInt(params.requestId), body.keyBundle, body.deadline, body.signature] as const;
      const txHash = await chain.relay(
        "The approval",
        () => chain.ledger.approveBySig(...args),
        () => chain.ledger.approveBySig.staticCall(...args),
      );
      res.status(201).json({ txHash });
    },
  );

  api.add(
    {
      method: "post",
      path: "/api/requests/{requestId}/deny",
      summary: "Relay a patient-signed denial (EIP-712 Deny)",
      tag: "requests",
      auth: true,
      params: idParams,
      body: denyBody,
      responses: { 201: { description: "Mined", schema: txSchema } },
      errors: ["BAD_REQUEST", "TRANSACTION_REVERTED", "CHAIN_UNAVAILABLE", "FORBIDDEN"],
    },
    async ({ params, body, res }) => {
      const args = [BigInt(params.requestId), body.deadline, body.signature] as const;
      const txHash = await chain.relay(
        "The denial",
        () => chain.ledger.denyBySig(...args),
        () => chain.ledger.denyBySig.staticCall(...args),
      );
      res.status(201).json({ txHash });
    },
  );
}
