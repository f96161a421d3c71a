import type { LedgerEvent } from "../../../lib/audit/events";

/** A page of one address's ledger activity after a cursor. */
export interface FeedPage {
  events: Array<LedgerEvent & { seq: number }>;
  cursor: string;
  more: boolean;
}

/** The ledger activity behind live updates, read from the event index. */
export interface ActivityFeed {
  /** A cursor at the newest indexed event: a feed from now on. */
  cursorNow(): string;
  /**
   * Events concerning `address` after `cursor`, oldest first (a bad cursor throws BAD_REQUEST); with `null`, every
   * event (for auditors: the caller checks the role).
   */
  since(address: string | null, cursor: string): FeedPage;
  /** Calls `listener` after each change the index commits; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}
