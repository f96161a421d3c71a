import { z } from "zod";
import { addressSchema, limitSchema, pageTokenSchema } from "../primitives";
import { route } from "../route";
import { disclosureView, logVerificationView } from "../views";

/** The disclosure log: each patient's own accounting, the auditor's view, and verification against anchored roots. */
export const disclosureRoutes = {
  disclosures: route({
    method: "get",
    path: "/api/disclosures",
    summary: "Disclosures of a patient's records by this gateway (the patient's own, or any patient's for an auditor)",
    tag: "disclosures",
    auth: true,
    query: z.object({
      patient: addressSchema.optional(),
      reader: addressSchema.optional(),
      limit: limitSchema,
      next: pageTokenSchema.optional(),
    }),
    status: 200,
    response: {
      description: "Log entries, newest first",
      schema: z.object({ disclosures: z.array(disclosureView), next: z.string().nullable() }),
    },
    errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE"],
  }),
  verifyDisclosures: route({
    method: "get",
    path: "/api/disclosures/verify",
    summary: "Check this gateway's log: hash chain and every root anchored on-chain (auditors and gateway operators)",
    tag: "disclosures",
    auth: true,
    status: 200,
    response: { description: "Verification result", schema: logVerificationView },
    errors: ["FORBIDDEN", "CHAIN_UNAVAILABLE", "INTERNAL"],
  }),
};
