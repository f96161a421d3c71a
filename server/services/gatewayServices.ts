import type { Logger } from "pino";
import type { BatchRpc } from "../../lib/audit/rpc";
import type { GatewayConfig } from "../config";
import type { AccessService } from "./access/accessService";
import type { RecordHeaders } from "./access/recordHeaders";
import type { Alerts } from "./lists/alerts";
import type { ActivityFeed } from "./lists/feed";
import type { Lists } from "./lists/lists";
import type { Anchorer } from "./anchorer";
import type { ChainService } from "./chain";
import type { DisclosureLog } from "./disclosureLog";
import type { LogVerifier } from "./logVerifier";
import type { Relayer } from "./relay/relayer";
import type { TxJournal } from "./relay/txJournal";
import type { Roles } from "./roles";
import type { EscrowKey } from "./secrets";
import type { SessionService } from "./sessions";
import type { StateDb } from "./state/stateDb";
import type { ContentStore } from "./store/contentStore";
import type { Uploads } from "./uploads";

/** Everything a route needs, built once by the gateway factory and handed to `createApp`. */
export interface GatewayServices {
  config: GatewayConfig;
  logger: Logger;
  chain: ChainService;
  /** The audit library's lean JSON-RPC client (exports page through eth_getLogs with it). */
  rpc: BatchRpc;
  /** The one access rule: every route that shows or releases a patient's data asks it. */
  access: AccessService;
  headers: RecordHeaders;
  roles: Roles;
  store: ContentStore;
  uploads: Uploads;
  disclosures: DisclosureLog;
  logVerifier: LogVerifier;
  anchorer?: Anchorer;
  /** Lists served from the event index. */
  lists: Lists;
  alerts: Alerts;
  /** Ledger activity per address, for live updates. */
  feed: ActivityFeed;
  sessions: SessionService;
  /** This organization's relayer; throws FORBIDDEN when the gateway has none. */
  relayer(): Relayer;
  /** The relayer's address, when there is one (the gateway's identity on the ledger). */
  relayerAddress?: string;
  journal: TxJournal;
  escrow?: EscrowKey;
  state: StateDb;
}
