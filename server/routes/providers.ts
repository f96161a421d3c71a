import { Router } from "express";
import type { GatewayServices } from "../services/gatewayServices";

/** The registry's verified providers, for the grant form's picker. */
export function providerRoutes(services: GatewayServices): Router {
  const router = Router();
  const { chain } = services;

  router.get("/providers", async (_req, res) => {
    const head = await chain.head();
    const at = { blockTag: head };
    const count = Number(await chain.read(() => chain.registry.providerCount(at)));
    const providers = [];
    for (let i = 0; i < count; i++) {
      const address = await chain.read(() => chain.registry.providerAt(i, at));
      const p = await chain.read(() => chain.registry.providerOf(address, at));
      providers.push({ address, name: p.name, active: p.active, emergencyCapable: p.emergencyCapable, encryptionKey: p.encryptionKey });
    }
    res.json({ providers });
  });

  return router;
}
