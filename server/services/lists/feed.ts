import type { LedgerEvent } from "../../../lib/audit/events";

/**
 * One item of an address's live feed: a ledger event that names it, or a content-free note that the vault of a
 * patient it may list under a live grant changed (a record was added in a category the grant covers).
 */
export type FeedItem = { type: "ledger"; seq: number; event: LedgerEvent } | { type: "vault"; seq: number; patient: string };

/** A page of one address's live feed after a cursor. */
export interface FeedPage {
  items: FeedItem[];
  cursor: string;
  more: boolean;
}

/** The ledger activity behind live updates, read from the event index. */
export interface ActivityFeed {
  /** A cursor at the newest indexed event: a feed from now on. */
  cursorNow(): string;
  /**
   * The feed of `address` after `cursor`, oldest first (a bad cursor throws BAD_REQUEST); with `null`, every ledger
   * event (for auditors: the caller checks the role).
   */
  since(address: string | null, cursor: string): FeedPage;
  /** Calls `listener` after each change the index commits; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}
