import type { Logger } from "pino";
import type { GatewayConfig } from "../config";
import type { AccessDecisions } from "./access";
import type { Anchorer } from "./anchorer";
import type { ChainService } from "./chain";
import type { DisclosureLog } from "./disclosureLog";
import type { EscrowKey } from "./escrow";
import type { SessionService } from "./sessions";
import type { ContentStore } from "./store/contentStore";

/** Everything a route needs, built once by the gateway factory and handed to `createApp`. */
export interface GatewayServices {
  config: GatewayConfig;
  chain: ChainService;
  access: AccessDecisions;
  store: ContentStore;
  disclosures: DisclosureLog;
  anchorer: Anchorer;
  escrow: EscrowKey;
  sessions: SessionService;
  logger: Logger;
}
