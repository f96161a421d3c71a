import { API } from "../../lib/api";
import { ApiError } from "../errors";
import { decodeToken } from "../services/lists/pageToken";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

/** The disclosure log: each patient's own accounting, the auditor's view, and verification against anchored roots. */
export function disclosureRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { disclosures, roles, logVerifier } = services;

  api.add(API.disclosures, async ({ query, session }) => {
    const patient = query.patient;
    if (patient !== session.address && !(await roles.isAuditor(session.address))) {
      throw new ApiError(
        "FORBIDDEN",
        "Only the patient themself or an account with the registry's auditor role may read these disclosures.",
      );
    }
    // The same strict token as every other list: `5abc` or `0x10` is not a page this gateway handed out.
    const before = decodeToken(query.next);
    const { entries, next } = disclosures.page(
      (e) => (patient === undefined || e.patient === patient) && (query.reader === undefined || e.reader === query.reader),
      query.limit,
      before,
    );
    return { disclosures: entries, next: next === undefined ? null : String(next) };
  });

  api.add(API.verifyDisclosures, async ({ session }) => {
    const mine = await roles.of(session.address);
    if (!mine.auditor && !mine.gateway && !mine.registrar) {
      throw new ApiError("FORBIDDEN", "Verifying the log is for auditors and the ledger's operators; patients see their own disclosures.");
    }
    return logVerifier.verify();
  });
}
