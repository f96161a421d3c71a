import { z } from "zod";
import { verifyLogAgainstAnchors } from "../../lib/disclosure/anchoring";
import { disclosureSchema, verificationSchema } from "../apiSchemas";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import { addressSchema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";

const listQuery = z.object({ patient: addressSchema.optional(), reader: addressSchema.optional() });

/** The disclosure log: each patient's own accounting, the auditor's view, and verification against anchored roots. */
export function disclosureRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, disclosures, anchorer } = services;

  async function isAuditor(address: string): Promise<boolean> {
    const role = await chain.read(() => chain.registry.AUDITOR_ROLE());
    return chain.read(() => chain.registry.hasRole(role, address));
  }

  api.add(
    {
      method: "get",
      path: "/api/disclosures",
      summary: "Disclosures of a patient's records (the patient's own, or any patient's for an auditor)",
      tag: "disclosures",
      auth: true,
      query: listQuery,
      responses: { 200: { description: "Log entries, oldest first", schema: z.object({ disclosures: z.array(disclosureSchema) }) } },
      errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE"],
    },
    async ({ query, session, res }) => {
      const patient = query.patient;
      if (patient !== session.address && !(await isAuditor(session.address))) {
        throw new ApiError(
          "FORBIDDEN",
          "Only the patient themself or an account with the registry's auditor role may read these disclosures.",
        );
      }
      const list = disclosures.list(
        (e) => (patient === undefined || e.patient === patient) && (query.reader === undefined || e.reader === query.reader),
      );
      res.json({ disclosures: list });
    },
  );

  api.add(
    {
      method: "get",
      path: "/api/disclosures/verify",
      summary: "Recompute the log's hash chain and every root anchored on-chain; names the first entry that does not match",
      tag: "disclosures",
      auth: false,
      responses: { 200: { description: "Verification result", schema: verificationSchema } },
      errors: ["CHAIN_UNAVAILABLE"],
    },
    async ({ res }) => {
      const [entries, anchors] = await Promise.all([disclosures.readFromDisk(), anchorer.anchoredRoots()]);
      res.json(verifyLogAgainstAnchors(entries, anchors));
    },
  );
}
