import { API } from "../../lib/api";
import { auditExport, isAuditError, type AuditFormat } from "../../lib/audit";
import { AUDIT_MEDIA_TYPES } from "../../lib/audit/formats";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

/** File name of an export: what it is, whose, and when, so two downloads never overwrite each other. */
function exportFileName(format: AuditFormat, patient: string, at: Date): string {
  const kind = format.startsWith("accounting") ? "accounting-of-disclosures" : format === "fhir" ? "consents-fhir" : "consent-history";
  const extension =
    format === "accounting-html"
      ? "html"
      : format === "csv" || format === "accounting-csv"
        ? "csv"
        : format === "ndjson"
          ? "ndjson"
          : "json";
  const stamp = at.toISOString().replace(/[:.]/g, "").slice(0, 15);
  return `${kind}-${patient.slice(0, 10)}-${stamp}Z.${extension}`;
}

/**
 * The audit API: the same reconstruction the `npm run audit` CLI makes from the chain alone (paged under the gateway's
 * eth_getLogs range cap), plus this gateway's disclosure log verified against its anchored roots; and compliance alerts
 * kept up to date incrementally by the event index. Auditors may query any patient; a patient their own history.
 */
export function auditRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, disclosures, config, roles, rpc, alerts } = services;

  api.add(API.auditExport, async ({ query, session, res }) => {
    if (query.patient !== session.address && !(await roles.isAuditor(session.address))) {
      throw new ApiError("FORBIDDEN", "Only the patient themself or an account with the registry's auditor role may export this history.");
    }
    const gateway = services.relayerAddress;
    const chunks = auditExport(rpc, chain.deployment, {
      ...query,
      log: await disclosures.readFromDisk(),
      gateway,
      pageSize: config.chainLogRange,
    });
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
    res.set("Content-Type", AUDIT_MEDIA_TYPES[query.format]);
    res.set("Content-Disposition", `attachment; filename="${exportFileName(query.format, query.patient, new Date())}"`);
    res.set("Cache-Control", "no-store");
    if (!first.done) res.write(first.value);
    for await (const chunk of chunks) res.write(chunk);
    res.end();
  });

  api.add(API.auditAlerts, async ({ session }) => {
    if (!(await roles.isAuditor(session.address)))
      throw new ApiError("FORBIDDEN", "Compliance alerts are for accounts with the registry's auditor role.");
    return alerts.current();
  });
}
