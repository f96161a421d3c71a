import type { z } from "zod";
import type { alertView } from "../../../lib/api/views";

/** One compliance alert. */
export type AlertItem = z.output<typeof alertView>;

/** Compliance alerts over the ledger's events and this gateway's disclosure log, kept up to date incrementally. */
export interface Alerts {
  /** Every alert found so far, and the block the evaluation reached. */
  current(): Promise<{ throughBlock: number; alerts: AlertItem[] }>;
}
