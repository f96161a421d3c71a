import { Router } from "express";
import { getAddress } from "ethers";
import { z } from "zod";
import { ApiError } from "../errors";
import { parseInput, requireSession, sessionOf } from "../http";
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

const revokeBody = z.object({
  patient: addressSchema,
  grantee: addressSchema,
  deadline: unixSecondsSchema,
  signature: signatureSchema,
});

const listQuery = z
  .object({ patient: addressSchema.optional(), grantee: addressSchema.optional() })
  .refine((q) => q.patient !== undefined || q.grantee !== undefined, "needs patient or grantee");

/** Grants: relay signed grant/revoke so patients need no ether, and list grants for a patient or a grantee. */
export function grantRoutes(services: GatewayServices): Router {
  const router = Router();
  const { chain, sessions } = services;
  const auth = requireSession(sessions);

  router.post("/grants", auth, async (req, res) => {
    const b = parseInput(grantBody, req.body, "body");
    const args = [b.patient, b.grantee, b.scope, b.purpose, b.expiresAt, b.keyBundle, b.deadline, b.signature] as const;
    const txHash = await chain.relay(
      "The grant",
      () => chain.ledger.grantBySig(...args),
      () => chain.ledger.grantBySig.staticCall(...args),
    );
    res.status(201).json({ txHash });
  });

  router.post("/grants/revoke", auth, async (req, res) => {
    const b = parseInput(revokeBody, req.body, "body");
    const args = [b.patient, b.grantee, b.deadline, b.signature] as const;
    const txHash = await chain.relay(
      "The revocation",
      () => chain.ledger.revokeBySig(...args),
      () => chain.ledger.revokeBySig.staticCall(...args),
    );
    res.status(201).json({ txHash });
  });

  // Current grants between a patient and providers, from AccessGranted events and the live grant slots.
  router.get("/grants", auth, async (req, res) => {
    const q = parseInput(listQuery, req.query, "query");
    const me = sessionOf(res).address;
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
        Promise.all([chain.ledger.grantOf(patient, grantee, at), chain.ledger.epochOf(patient, at), chain.registry.isActive(grantee, at)]),
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
  });

  return router;
}
