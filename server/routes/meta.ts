import { API } from "../../lib/api";
import { LOCAL_CHAIN_ID } from "../../lib/deployment/deployment";
import { Answer, type ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

/** Health, readiness and the deployment (addresses + ABIs) the web app works from. */
export function metaRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain, store, lists } = services;

  api.add(API.health, () => ({ status: "ok" as const }));

  api.add(API.ready, async () => {
    const up = (check: Promise<unknown>): Promise<boolean> =>
      check.then(
        () => true,
        () => false,
      );
    const [chainOk, storeOk, indexOk] = await Promise.all([up(chain.currentHead()), up(store.ping()), up(lists.ready())]);
    const body = {
      chain: chainOk ? "up" : "down",
      store: `${store.kind} ${storeOk ? "up" : "down"}`,
      index: indexOk ? "up" : "catching up",
    };
    return chainOk && storeOk && indexOk ? body : new Answer(503, body);
  });

  api.add(API.deployment, () => ({
    chainId: chain.chainId,
    local: chain.chainId === LOCAL_CHAIN_ID,
    contracts: Object.fromEntries(Object.entries(chain.deployment.contracts).map(([name, c]) => [name, { ...c, abi: [...c.abi] }])),
  }));
}
