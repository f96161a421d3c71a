import { configFromEnv } from "./config";
import { closeGateway, listen, openGateway } from "./gateway";

/** Starts the gateway from environment variables (see README) and stops it cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const gateway = await openGateway(config);
  const { server, url } = await listen(gateway);
  gateway.services.logger.info({ url, chainId: gateway.services.chain.chainId, store: gateway.services.store.kind }, "gateway listening");
  const stop = (): void => {
    server.close(() => void closeGateway(gateway).then(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
