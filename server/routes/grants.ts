import { getAddress } from "ethers";
import { z } from "zod";
import { ApiError } from "../errors";
import { grantViewSchema, txSchema } from "../apiSchemas";
import type { ApiRoutes } from "../routing";
import { addressSchema, bytes32Schema, scopeSchema, signatureSchema, unixSecondsSchema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";

const grantBody = z.object({
  patient: addressSchema,
  grantee: addressSchema,
  scope: scopeSchema,
  purpose: z.coerce.number().int().min(1).max(255),
  expiresAt: unixSecondsSchema,
  keyBundle: bytes32Schema,
  deadline: unixSecondsSchema,
  signature: signatureSchema,
});

const revokeBody = z.object({ patient: addressSchema, grantee: addressSchema, deadline: unixSecondsSchema, signature: signatureSchema });
const revokeAllBody = z.object({ patient: addressSchema, deadline: unixSecondsSchema, signature: signatureSchema });

const listQuery = z.object({ patient: addressSchema.optional(), grantee: addressSchema.optional() });

const RELAY_ERRORS = ["BAD_REQUEST", "TRANSACTION_REVERTED", "CHAIN_UNAVAILABLE", "FORBIDDEN"] as const;

/** Grants: relay signed grant/revoke so patients need no ether, and list grants for a patient or a grantee. */
export function grantRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain } = services;

  api.add(
    {
      method: "post",
      path: "/api/grants",
      summary: "Relay a patient-signed grant (EIP-712 Grant) to ConsentLedger.grantBySig",
      tag: "grants",
      auth: true,
      body: grantBody,
      responses: { 201: { description: "Mined", schema: txSchema } },
      errors: [...RELAY_ERRORS],
    },
    async ({ body: b, res }) => {
      const args = [b.patient, b.grantee, b.scope, b.purpose, b.expiresAt, b.keyBundle, b.deadline, b.signature] as const;
      const txHash = await chain.relay(
        "The grant",
        () => chain.ledger.grantBySig(...args),
        () => chain.ledger.grantBySig.staticCall(...args),
      );
      res.status(201).json({ txHash });
    },
  );

  api.add(
    {
      method: "post",
      path: "/api/grants/revoke",
      summary: "Relay a patient-signed revocation (EIP-712 Revoke) to ConsentLedger.revokeBySig",
      tag: "grants",
      auth: true,
      body: revokeBody,
      responses: { 201: { description: "Mined", schema: txSchema } },
      errors: [...RELAY_ERRORS],
    },
    async ({ body: b, res }) => {
      const args = [b.patient, b.grantee, b.deadline, b.signature] as const;
      const txHash = await chain.relay(
        "The revocation",
        () => chain.ledger.revokeBySig(...args),
        () => chain.ledger.revokeBySig.staticCall(...args),
      );
      res.status(201).json({ txHash });
    },
  );

  api.add(
    {
      method: "post",
      path: "/api/grants/revoke-all",
      summary: "Relay a patient-signed revoke-everything (EIP-712 RevokeAll): the panic button",
      tag: "grants",
      auth: true,
      body: revokeAllBody,
      responses: { 201: { description: "Mined", schema: txSchema } },
      errors: [...RELAY_ERRORS],
    },
    async ({ body: b, res }) => {
      const args = [b.patient, b.deadline, b.signature] as const;
      const txHash = await chain.relay(
        "Revoking every grant",
        () => chain.ledger.revokeAllBySig(...args),
        () => chain.ledger.revokeAllBySig.staticCall(...args),
      );
      res.status(201).json({ txHash });
    },
  );

  // Current grants between a patient and providers, from AccessGranted events and the live grant slots.
  api.add(
    {
      method: "get",
      path: "/api/grants",
      summary: "List grants you issued (patient=you) or hold (grantee=you)",
      tag: "grants",
      auth: true,
      query: listQuery,
      responses: {
        200: {
          description: "Grants with their live state at the chain head",
          schema: z.object({ now: z.number().int(), grants: z.array(grantViewSchema) }),
        },
      },
      errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE"],
    },
    async ({ query: q, session, res }) => {
      if (q.patient === undefined && q.grantee === undefined)
        throw new ApiError("BAD_REQUEST", "query.patient or query.grantee is required", { field: "query.patient" });
      const me = session.address;
      if (q.patient !== me && q.grantee !== me) {
        throw new ApiError("FORBIDDEN", "You may list only grants you issued (patient) or hold (grantee).");
      }
      const head = await chain.head();
      const at = { blockTag: head };
      const from = chain.deployment.contracts.ConsentLedger.blockNumber;
      const events = await chain.read(() => chain.ledger.queryFilter(chain.ledger.filters.AccessGranted(q.patient, q.grantee), from, head));
      // The latest grant event per pair carries the key bundle of the grant now in force.
      const latest = new Map<string, (typeof events)[number]>();
      for (const e of events) latest.set(`${e.args.patient}/${e.args.grantee}`, e);
      const now = (await chain.read(() => chain.provider.getBlock(head)))?.timestamp ?? 0;
      const grants = [];
      for (const e of latest.values()) {
        const patient = getAddress(e.args.patient);
        const grantee = getAddress(e.args.grantee);
        const [slot, epoch, active] = await chain.read(() =>
          Promise.all([
            chain.ledger.grantOf(patient, grantee, at),
            chain.ledger.epochOf(patient, at),
            chain.registry.isActive(grantee, at),
          ]),
        );
        const expiresAt = Number(slot.expiresAt);
        const live = expiresAt > now && slot.epoch === epoch && active;
        grants.push({
          patient,
          grantee,
          scope: Number(slot.scope),
          purpose: Number(slot.purpose),
          expiresAt,
          keyBundle: e.args.keyBundle,
          live,
          grantedInTx: e.transactionHash,
        });
      }
      res.json({ now, grants });
    },
  );
}
