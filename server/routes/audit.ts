import { z } from "zod";
import {
  AUDIT_FORMATS,
  auditExport,
  BlockTimes,
  collectEvents,
  evaluateRules,
  httpRpc,
  isAuditError,
  type AuditFormat,
} from "../../lib/audit";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import { addressSchema } from "../schemas";
import type { GatewayServices } from "../services/gatewayServices";

const dateSchema = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO 8601 date, e.g. 2026-01-31 or 2026-01-31T12:00:00Z")
  .transform((v) => Math.floor(Date.parse(v) / 1000));

const exportQuery = z.object({
  patient: addressSchema,
  provider: addressSchema.optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  format: z.enum(AUDIT_FORMATS).default("json"),
});

const alertSchema = z
  .object({
    severity: z.enum(["info", "warning", "critical"]),
    ruleId: z.string(),
    message: z.string(),
    evidence: z.record(z.string(), z.unknown()),
    time: z.string(),
  })
  .openapi("Alert");

const MEDIA: Record<AuditFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json",
  ndjson: "application/x-ndjson",
  fhir: "application/fhir+json",
  "accounting-csv": "text/csv; charset=utf-8",
  "accounting-html": "text/html; charset=utf-8",
};

/**
 * The audit API: the same reconstruction the `npm run audit` CLI makes from the chain alone, plus this gateway's
 * disclosure log verified against its anchored roots. Auditors (the registry's AUDITOR_ROLE) may query any patient;
 * a patient may query their own history (their accounting of disclosures).
 */
export function auditRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, disclosures, config, anchorer } = services;
  // The audit library's lean JSON-RPC client streams large eth_getLogs pages faster than ethers does.
  const rpc = httpRpc(config.chainRpcUrl);

  async function isAuditor(address: string): Promise<boolean> {
    const role = await chain.read(() => chain.registry.AUDITOR_ROLE());
    return chain.read(() => chain.registry.hasRole(role, address));
  }

  api.add(
    {
      method: "get",
      path: "/api/audit/export",
      summary: "A patient's reconstructed consent history and disclosures as CSV, JSON, NDJSON, FHIR R4 Bundle or HIPAA accounting",
      tag: "audit",
      auth: true,
      query: exportQuery,
      responses: { 200: { description: "The export in the requested format", contentType: "text/csv" } },
      errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE", "INTERNAL"],
    },
    async ({ query, session, res }) => {
      if (query.patient !== session.address && !(await isAuditor(session.address))) {
        throw new ApiError(
          "FORBIDDEN",
          "Only the patient themself or an account with the registry's auditor role may export this history.",
        );
      }
      const gateway = await chain.relayer?.getAddress();
      const chunks = auditExport(rpc, chain.deployment, { ...query, log: await disclosures.readFromDisk(), gateway });
      // Pull the first chunk before answering, so a tampered log or an unreachable chain is an error status, not a torn file.
      let first: IteratorResult<string>;
      try {
        first = await chunks.next();
      } catch (err) {
        if (isAuditError(err, "LOG_TAMPERED"))
          throw new ApiError("INTERNAL", `This gateway's disclosure log does not verify: ${err.message}`);
        if (isAuditError(err, "CHAIN_UNAVAILABLE")) throw new ApiError("CHAIN_UNAVAILABLE", err.message);
        if (isAuditError(err)) throw new ApiError("BAD_REQUEST", err.message);
        throw err;
      }
      const extension =
        query.format === "accounting-html" ? "html" : query.format.startsWith("accounting") || query.format === "csv" ? "csv" : "json";
      res.set("Content-Type", MEDIA[query.format]);
      res.set("Content-Disposition", `attachment; filename="audit-${query.patient}.${extension}"`);
      res.set("Cache-Control", "no-store");
      if (!first.done) res.write(first.value);
      for await (const chunk of chunks) res.write(chunk);
      res.end();
    },
  );

  api.add(
    {
      method: "get",
      path: "/api/audit/alerts",
      summary: "Compliance alerts over the chain's events and this gateway's disclosure log (auditors only)",
      tag: "audit",
      auth: true,
      responses: {
        200: { description: "Alerts, in rule order", schema: z.object({ throughBlock: z.number().int(), alerts: z.array(alertSchema) }) },
      },
      errors: ["FORBIDDEN", "CHAIN_UNAVAILABLE"],
    },
    async ({ session, res }) => {
      if (!(await isAuditor(session.address)))
        throw new ApiError("FORBIDDEN", "Compliance alerts are for accounts with the registry's auditor role.");
      const { events, toBlock } = await collectEvents(rpc, chain.deployment).catch((err: Error) => {
        throw new ApiError("CHAIN_UNAVAILABLE", `The chain could not be scanned: ${err.message}`);
      });
      const [entries, anchors] = await Promise.all([disclosures.readFromDisk(), anchorer.anchoredRoots()]);
      // Judge each release by the chain time of the block it was decided at, not by the gateway's clock.
      const times = new BlockTimes(rpc);
      const blockTimes = new Map<number, number>();
      for (const block of new Set(entries.map((e) => e.block).filter((b) => b <= toBlock))) blockTimes.set(block, await times.of(block));
      const alerts = evaluateRules({
        events,
        throughBlock: toBlock,
        entries,
        anchors,
        blockTimes,
        now: Math.floor(Date.now() / 1000),
        config: { anchorIntervalSeconds: config.anchorIntervalSeconds * 2 },
      });
      res.json({ throughBlock: toBlock, alerts });
    },
  );
}
