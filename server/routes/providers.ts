import { z } from "zod";
import { providerViewSchema } from "../apiSchemas";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

/** The registry's providers, for the grant form's picker. */
export function providerRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain } = services;

  api.add(
    {
      method: "get",
      path: "/api/providers",
      summary: "Providers in the registry (verified and deactivated), with their encryption keys",
      tag: "providers",
      auth: false,
      responses: { 200: { description: "Providers", schema: z.object({ providers: z.array(providerViewSchema) }) } },
      errors: ["CHAIN_UNAVAILABLE"],
    },
    async ({ res }) => {
      const head = await chain.head();
      const at = { blockTag: head };
      const count = Number(await chain.read(() => chain.registry.providerCount(at)));
      const addresses = await chain.read(() => Promise.all(Array.from({ length: count }, (_, i) => chain.registry.providerAt(i, at))));
      const entries = await chain.read(() => Promise.all(addresses.map((a) => chain.registry.providerOf(a, at))));
      const providers = entries.map((p, i) => ({
        address: addresses[i],
        name: p.name,
        active: p.active,
        emergencyCapable: p.emergencyCapable,
        encryptionKey: p.encryptionKey,
      }));
      res.json({ providers });
    },
  );
}
