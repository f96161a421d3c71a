import { accountRoutes } from "./routes/accounts";
import { auditRoutes } from "./routes/audit";
import { authRoutes } from "./routes/auth";
import { chainRoutes } from "./routes/chain";
import { disclosureRoutes } from "./routes/disclosures";
import { emergencyRoutes } from "./routes/emergency";
import { eventRoutes } from "./routes/events";
import { grantRoutes } from "./routes/grants";
import { keyRoutes } from "./routes/keys";
import { metaRoutes } from "./routes/meta";
import { recordRoutes } from "./routes/records";
import { requestRoutes } from "./routes/requests";

/**
 * The gateway's whole HTTP API, one entry per operation. The gateway serves exactly these (a test checks it), the
 * OpenAPI document is generated from them, and `lib/client` calls them by name.
 */
export const API = {
  ...metaRoutes,
  ...authRoutes,
  ...recordRoutes,
  ...grantRoutes,
  ...requestRoutes,
  ...keyRoutes,
  ...accountRoutes,
  ...disclosureRoutes,
  ...emergencyRoutes,
  ...auditRoutes,
  ...eventRoutes,
  ...chainRoutes,
} as const;

/** The name of one operation of the API. */
export type Operation = keyof typeof API;

export * from "./errors";
export * from "./route";
export * from "./views";
export * from "./primitives";
