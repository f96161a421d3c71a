import { ZeroAddress } from "ethers";
import { API } from "../../lib/api";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";
import { relaySigned } from "./relaySigned";

/**
 * Access requests: providers ask on-chain (ConsentLedger.requestAccess, from their own wallet); patients (or their
 * guardians) answer with signed approvals, which carry the key bundle, or denials, relayed here.
 */
export function requestRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, access, lists } = services;

  /** The patient a request is addressed to (404 NOT_FOUND for an unknown request). */
  async function patientOf(requestId: string): Promise<string> {
    const request = await chain.read(() => chain.ledger.requestOf(BigInt(requestId)));
    if (request.patient === ZeroAddress) throw new ApiError("NOT_FOUND", `There is no access request ${requestId}.`);
    return request.patient;
  }

  api.add(API.listRequests, async ({ query: q, session }) => {
    if (q.patient === undefined && q.provider === undefined) {
      throw new ApiError("BAD_REQUEST", "query.patient or query.provider is required", { field: "query.patient" });
    }
    if (q.provider !== session.address) {
      if (q.patient === undefined) throw new ApiError("FORBIDDEN", "You may list only requests addressed to you or made by you.");
      await access.requireActingFor(session.address, q.patient).catch(() => {
        throw new ApiError("FORBIDDEN", "You may list only requests addressed to you (or a patient you are guardian of) or made by you.");
      });
    }
    const page = await lists.requests({ patient: q.patient, provider: q.provider, status: q.status }, q);
    return { requests: page.items, next: page.next, asOf: page.asOf };
  });

  api.add(API.approveRequest, async (input) => {
    const { params, body, session } = input;
    await access.requireActingFor(session.address, await patientOf(params.requestId));
    return relaySigned(services, input, "The approval", chain.ledger.approveBySig, [BigInt(params.requestId), body.keyBundle]);
  });

  api.add(API.denyRequest, async (input) => {
    const { params, session } = input;
    await access.requireActingFor(session.address, await patientOf(params.requestId));
    return relaySigned(services, input, "The denial", chain.ledger.denyBySig, [BigInt(params.requestId)]);
  });
}
