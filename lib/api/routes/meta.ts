import { z } from "zod";
import { route } from "../route";
import { deploymentView } from "../views";

const readiness = z.object({ chain: z.string(), store: z.string(), index: z.string() });

/** Health, readiness and the deployment (addresses + ABIs) the web app works from. */
export const metaRoutes = {
  health: route({
    method: "get",
    path: "/healthz",
    summary: "The process is up",
    tag: "operations",
    auth: false,
    status: 200,
    response: { description: "Up", schema: z.object({ status: z.literal("ok") }) },
    errors: [],
  }),
  ready: route({
    method: "get",
    path: "/readyz",
    summary: "The chain, the content store and the event index answer (503 otherwise)",
    tag: "operations",
    auth: false,
    status: 200,
    response: { description: "Ready", schema: readiness },
    otherResponses: { 503: { description: "Not ready: the body names which engine is down", schema: readiness } },
    errors: [],
  }),
  deployment: route({
    method: "get",
    path: "/api/deployment",
    summary: "Chain id, contract addresses and ABIs of the ledger this gateway serves, and this gateway's organization",
    tag: "operations",
    auth: false,
    status: 200,
    response: { description: "The deployment", schema: deploymentView },
    errors: [],
  }),
};
