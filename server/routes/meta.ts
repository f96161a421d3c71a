import { z } from "zod";
import { LOCAL_CHAIN_ID } from "../../lib/deployment/deployment";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

const deploymentSchema = z
  .object({
    chainId: z.number().int(),
    local: z.boolean(),
    contracts: z.record(z.string(), z.object({ address: z.string(), blockNumber: z.number().int(), abi: z.array(z.unknown()) })),
  })
  .openapi("Deployment");

/** Health, readiness and the deployment (addresses + ABIs) the web app works from. */
export function metaRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, store } = services;

  api.add(
    {
      method: "get",
      path: "/healthz",
      summary: "The process is up",
      tag: "operations",
      auth: false,
      responses: { 200: { description: "Up", schema: z.object({ status: z.literal("ok") }) } },
      errors: [],
    },
    ({ res }) => void res.json({ status: "ok" }),
  );

  api.add(
    {
      method: "get",
      path: "/readyz",
      summary: "The chain and the content store answer (503 otherwise)",
      tag: "operations",
      auth: false,
      responses: {
        200: { description: "Ready", schema: z.object({ chain: z.string(), store: z.string() }) },
        503: { description: "Not ready: the body names which engine is down", schema: z.object({ chain: z.string(), store: z.string() }) },
      },
      errors: [],
    },
    async ({ res }) => {
      const [chainOk, storeOk] = await Promise.all([
        chain.head().then(
          () => true,
          () => false,
        ),
        store.ping().then(
          () => true,
          () => false,
        ),
      ]);
      res
        .status(chainOk && storeOk ? 200 : 503)
        .json({ chain: chainOk ? "up" : "down", store: storeOk ? `${store.kind} up` : `${store.kind} down` });
    },
  );

  api.add(
    {
      method: "get",
      path: "/api/deployment",
      summary: "Chain id, contract addresses and ABIs of the ledger this gateway serves",
      tag: "operations",
      auth: false,
      responses: { 200: { description: "The deployment", schema: deploymentSchema } },
      errors: [],
    },
    ({ res }) => void res.json({ ...chain.deployment, local: chain.chainId === LOCAL_CHAIN_ID }),
  );
}
