import type { z } from "zod";
import type { accessRequestView, grantView, providerView, vaultRecordView } from "../../../lib/api/views";

/** One page of a list, consistent as of one block. */
export interface Page<T> {
  items: T[];
  /** Token for the following page; null on the last page. */
  next: string | null;
  asOf: { block: number; time: number };
}

export type VaultRecordItem = z.output<typeof vaultRecordView>;
export type GrantItem = z.output<typeof grantView>;
export type RequestItem = z.output<typeof accessRequestView>;
export type ProviderItem = z.output<typeof providerView>;

/** Paging of a list call: at most `limit` items after the page `next` named. */
export interface PageQuery {
  limit: number;
  next?: string;
}

/**
 * The lists the gateway serves, read from an event index in time proportional to the page (never to the ledger's
 * history). Lists only show; they never decide a release (that is the access service's job, on the chain).
 */
export interface Lists {
  /** Resolves once the index has caught up with the chain head it last saw (for /readyz). */
  ready(): Promise<void>;
  /** A patient's records, newest first, limited to `categories` (all when undefined). */
  vault(patient: string, categories: readonly number[] | undefined, page: PageQuery): Promise<Page<VaultRecordItem>>;
  /** The grant in force per (patient, grantee) pair, newest first, with its state as of the page's block. */
  grants(filter: { patient?: string; grantee?: string; live?: boolean }, page: PageQuery): Promise<Page<GrantItem>>;
  /** Access requests, newest first. */
  requests(filter: { patient?: string; provider?: string; status?: RequestItem["status"] }, page: PageQuery): Promise<Page<RequestItem>>;
  /** Providers, by name. */
  providers(filter: { kind?: ProviderItem["kind"]; active?: boolean }, page: PageQuery): Promise<Page<ProviderItem>>;
}
