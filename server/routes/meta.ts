import { Router } from "express";
import { LOCAL_CHAIN_ID } from "../../lib/deployment/deployment";
import type { GatewayServices } from "../services/gatewayServices";

/** Health, readiness and the deployment (addresses + ABIs) the web app works from. */
export function metaRoutes(services: GatewayServices): Router {
  const router = Router();
  const { chain, store } = services;

  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  router.get("/readyz", async (_req, res) => {
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
  });

  router.get("/api/deployment", (_req, res) => {
    res.json({ ...chain.deployment, local: chain.chainId === LOCAL_CHAIN_ID });
  });

  return router;
}
