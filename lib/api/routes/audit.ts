import { z } from "zod";
import { AUDIT_FORMATS, AUDIT_MEDIA_TYPES } from "../../audit/formats";
import { addressSchema } from "../primitives";
import { route } from "../route";
import { alertView } from "../views";

const dateSchema = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO 8601 date, e.g. 2026-01-31 or 2026-01-31T12:00:00Z")
  .transform((v) => Math.floor(Date.parse(v) / 1000));

/** The audit API: the reconstruction `npm run audit` makes from the chain alone, and compliance alerts. */
export const auditRoutes = {
  auditExport: route({
    method: "get",
    path: "/api/audit/export",
    summary: "A patient's reconstructed consent history and disclosures as CSV, JSON, NDJSON, FHIR R4 or HIPAA accounting",
    tag: "audit",
    auth: true,
    query: z.object({
      patient: addressSchema,
      provider: addressSchema.optional(),
      from: dateSchema.optional(),
      to: dateSchema.optional(),
      format: z.enum(AUDIT_FORMATS).default("json"),
    }),
    status: 200,
    response: {
      description: "The export in the requested format (json by default), as a file",
      contentType: [...new Set(Object.values(AUDIT_MEDIA_TYPES))],
    },
    errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE", "INTERNAL"],
  }),
  auditAlerts: route({
    method: "get",
    path: "/api/audit/alerts",
    summary: "Compliance alerts over the ledger's events and this gateway's disclosure log (auditors only)",
    tag: "audit",
    auth: true,
    status: 200,
    response: {
      description: "Alerts, in rule order",
      schema: z.object({ throughBlock: z.number().int(), alerts: z.array(alertView) }),
    },
    errors: ["FORBIDDEN", "CHAIN_UNAVAILABLE"],
  }),
};
