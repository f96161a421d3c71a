import { API } from "../../lib/api";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";
import { relaySigned } from "./relaySigned";

/** Grants: relay patient-signed grants and revocations (patients need no ether), list grants from the event index. */
export function grantRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, access, lists } = services;

  api.add(API.relayGrant, async (input) => {
    const { body: b, session } = input;
    await access.requireActingFor(session.address, b.patient);
    return relaySigned(services, input, "The grant", chain.ledger.grantBySig, [
      b.patient,
      b.grantee,
      b.scope,
      b.purpose,
      b.expiresAt,
      b.keyBundle,
    ]);
  });

  api.add(API.relayRevoke, async (input) => {
    const { body: b, session } = input;
    await access.requireActingFor(session.address, b.patient);
    return relaySigned(services, input, "The revocation", chain.ledger.revokeBySig, [b.patient, b.grantee]);
  });

  api.add(API.relayRevokeAll, async (input) => {
    const { body: b, session } = input;
    await access.requireActingFor(session.address, b.patient);
    return relaySigned(services, input, "Revoking every grant", chain.ledger.revokeAllBySig, [b.patient]);
  });

  api.add(API.listGrants, async ({ query: q, session }) => {
    if (q.patient === undefined && q.grantee === undefined) {
      throw new ApiError("BAD_REQUEST", "query.patient or query.grantee is required", { field: "query.patient" });
    }
    const me = session.address;
    if (q.grantee !== me) {
      // Grants a patient issued: the patient, or their guardian, may list them.
      if (q.patient === undefined) throw new ApiError("FORBIDDEN", "You may list only grants you issued (patient) or hold (grantee).");
      await access.requireActingFor(me, q.patient).catch(() => {
        throw new ApiError(
          "FORBIDDEN",
          "You may list only grants you issued (patient), issued for a patient you are guardian of, or hold (grantee).",
        );
      });
    }
    const live = q.live === undefined ? undefined : q.live === "true";
    const page = await lists.grants({ patient: q.patient, grantee: q.grantee, live }, q);
    return { now: page.asOf.time, grants: page.items, next: page.next, asOf: page.asOf };
  });
}
