import { z } from "zod";
import { rangeProblem, readDate } from "../../audit/args";
import { AUDIT_FORMATS, AUDIT_MEDIA_TYPES } from "../../audit/formats";
import { addressSchema } from "../primitives";
import { route } from "../route";
import { alertView } from "../views";

/**
 * A date of the export's range, read as `npm run audit` reads --from/--to (lib/audit/args): `YYYY-MM-DD` (UTC) or an
 * ISO 8601 date-time with a zone; a date-only `to` includes that whole day.
 */
function dateSchema(endOfDay: boolean) {
  return z.string().transform((v, ctx) => {
    const read = readDate(v, endOfDay);
    if ("seconds" in read) return read.seconds;
    ctx.addIssue({ code: "custom", message: read.problem });
    return z.NEVER;
  });
}

/** The audit API: the reconstruction `npm run audit` makes from the chain alone, and compliance alerts. */
export const auditRoutes = {
  auditExport: route({
    method: "get",
    path: "/api/audit/export",
    summary: "A patient's reconstructed consent history and disclosures as CSV, JSON, NDJSON, FHIR R4 or HIPAA accounting",
    tag: "audit",
    auth: true,
    query: z
      .object({
        patient: addressSchema,
        provider: addressSchema.optional(),
        from: dateSchema(false).optional(),
        to: dateSchema(true).optional(),
        format: z.enum(AUDIT_FORMATS).default("json"),
      })
      .superRefine((q, ctx) => {
        const problem = rangeProblem(q.from, q.to, "query.from");
        if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["to"], message: problem });
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
