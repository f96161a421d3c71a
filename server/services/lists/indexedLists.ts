import type { Logger } from "pino";
import type { LedgerEvent, RecordEvent } from "../../../lib/audit/events";
import { anchorsOf } from "../../../lib/audit/disclosures";
import { evaluateRules } from "../../../lib/audit/monitor";
import { providerKindName, PROVIDER_KINDS } from "../../../lib/consent/codes";
import type { ChainService } from "../chain";
import type { DisclosureLog } from "../disclosureLog";
import type { GatewayConfig } from "../../config";
import { ApiError } from "../../errors";
import { httpRpc } from "../../../lib/audit/rpc";
import { EventIndex, type IndexedThrough } from "../index/eventIndex";
import type { AlertItem, Alerts } from "./alerts";
import type { ActivityFeed, FeedItem, FeedPage } from "./feed";
import { decodeToken } from "./pageToken";
import type { GrantItem, Lists, Page, PageQuery, ProviderItem, RequestItem, VaultRecordItem } from "./lists";

/** How long a list waits for the index to reach the head before answering as of the block it has. */
const FRESHNESS_WAIT_MS = 2_000;
/** Events one feed page carries. */
const FEED_PAGE = 100;

/** Options of {@link openIndexedLists}. */
export interface IndexedListsOptions {
  config: GatewayConfig;
  chain: ChainService;
  disclosures: DisclosureLog;
  /** The address this gateway anchors its disclosure log under (its relayer), for the anchor-gap rule. */
  gateway?: string;
  logger: Logger;
  pollIntervalMs?: number;
}

/**
 * The gateway's lists, alerts and live-update feed, all read from one {@link EventIndex}. A list first lets the index
 * reach the head (one `eth_blockNumber` call, plus the new blocks' logs when there are any), then answers from SQLite
 * with indexed queries: its cost grows with the page, not with the ledger's history.
 */
export async function openIndexedLists(
  options: IndexedListsOptions,
): Promise<{ lists: Lists; alerts: Alerts; feed: ActivityFeed; index: EventIndex }> {
  const index = EventIndex.open({
    rpc: httpRpc(options.config.chainRpcUrl, { timeoutMs: 30_000 }),
    deployment: options.chain.deployment,
    dataDir: options.config.dataDir,
    range: options.config.chainLogRange,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    log: options.logger,
  });
  return {
    lists: new IndexedLists(index),
    alerts: new IndexedAlerts(index, options.disclosures, options.gateway),
    feed: new IndexedFeed(index),
    index,
  };
}

/**
 * The state of a grant pair as SQL: the live rule of ConsentLedger._isLive over indexed state as of `@time` (the
 * index head's block time) — unexpired, not revoked, of the patient's epoch (no revoke-all since), provider active in
 * the generation it was granted in (no deactivation since). Needs `g` (grant_pairs), `e` (patient_epochs, LEFT JOIN on
 * the patient) and `p` (providers, LEFT JOIN on the grantee). One rule for the grant lists and the live feed.
 */
const GRANT_STATE = `CASE
  WHEN g.revoke_seq > g.grant_seq THEN 'revoked'
  WHEN COALESCE(e.revoke_all_seq, 0) > g.grant_seq THEN 'revoked-all'
  WHEN p.active IS NULL OR p.active = 0 OR p.deactivated_seq > g.grant_seq THEN 'provider-inactive'
  WHEN g.expires_at <= @time THEN 'expired'
  ELSE 'live' END`;

/**
 * A page of a keyset-paged list from up to `limit + 1` rows (the extra one only says there is more): the first `limit`
 * rows as items, and the sort key (column `key`) of the last one kept as the token of the next page.
 */
function pageOf<R, T>(rows: R[], limit: number, key: keyof R, asOf: IndexedThrough, itemOf: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(itemOf), next: more ? String(kept[kept.length - 1][key]) : null, asOf: { block: asOf.block, time: asOf.time } };
}

const lower = (address: string | undefined): string | undefined => address?.toLowerCase();

export class IndexedLists implements Lists {
  constructor(private readonly index: EventIndex) {}

  async ready(): Promise<void> {
    await this.index.sync();
    if (!this.index.caughtUp) throw new ApiError("BUSY", "The event index is still catching up with the chain.");
  }

  async vault(patient: string, categories: readonly number[] | undefined, page: PageQuery): Promise<Page<VaultRecordItem>> {
    const asOf = await this.fresh();
    const before = decodeToken(page.next) ?? Number.MAX_SAFE_INTEGER;
    if (categories !== undefined && categories.length === 0) return { items: [], next: null, asOf };
    const inCategories = categories === undefined ? "" : `AND category IN (${categories.map(() => "?").join(",")})`;
    const rows = this.index.db
      .prepare(`SELECT seq, body FROM events WHERE kind = 'record' AND a1 = ? AND seq < ? ${inCategories} ORDER BY seq DESC LIMIT ?`)
      .all(lower(patient), before, ...(categories ?? []), page.limit + 1) as Array<{ seq: number; body: string }>;
    return pageOf(rows, page.limit, "seq", asOf, (r) => {
      const e = JSON.parse(r.body) as RecordEvent;
      return {
        cid: e.cid,
        recordId: e.recordId,
        category: e.category,
        author: e.author,
        addedAt: new Date(e.timestamp * 1000).toISOString(),
        block: e.blockNumber,
        txHash: e.txHash,
      };
    });
  }

  async grants(filter: { patient?: string; grantee?: string; live?: boolean }, page: PageQuery): Promise<Page<GrantItem>> {
    const asOf = await this.fresh();
    const before = decodeToken(page.next) ?? Number.MAX_SAFE_INTEGER;
    const where = ["g.grant_seq < @before"];
    if (filter.patient !== undefined) where.push("g.patient = @patient");
    if (filter.grantee !== undefined) where.push("g.grantee = @grantee");
    if (filter.live !== undefined) where.push(filter.live ? `${GRANT_STATE} = 'live'` : `${GRANT_STATE} <> 'live'`);
    const rows = this.index.db
      .prepare(
        `SELECT g.*, ${GRANT_STATE} AS state, ev.body AS body FROM grant_pairs g
         LEFT JOIN patient_epochs e ON e.patient = g.patient
         LEFT JOIN providers p ON p.address = g.grantee
         JOIN events ev ON ev.seq = g.grant_seq
         WHERE ${where.join(" AND ")} ORDER BY g.grant_seq DESC LIMIT @limit`,
      )
      .all({ time: asOf.time, before, patient: lower(filter.patient), grantee: lower(filter.grantee), limit: page.limit + 1 }) as Array<{
      grant_seq: number;
      scope: number;
      purpose: number;
      expires_at: number;
      key_bundle: string;
      tx: string;
      block: number;
      state: GrantItem["state"];
      body: string;
    }>;
    return pageOf(rows, page.limit, "grant_seq", asOf, (r) => {
      const e = JSON.parse(r.body) as Extract<LedgerEvent, { kind: "grant" }>;
      return {
        patient: e.patient,
        grantee: e.grantee,
        scope: r.scope,
        purpose: r.purpose,
        expiresAt: r.expires_at,
        keyBundle: r.key_bundle,
        live: r.state === "live",
        state: r.state,
        grantedInTx: r.tx,
        grantedAtBlock: r.block,
      };
    });
  }

  async requests(
    filter: { patient?: string; provider?: string; status?: RequestItem["status"] },
    page: PageQuery,
  ): Promise<Page<RequestItem>> {
    const asOf = await this.fresh();
    const before = decodeToken(page.next) ?? Number.MAX_SAFE_INTEGER;
    const where = ["r.seq < @before"];
    if (filter.patient !== undefined) where.push("r.patient = @patient");
    if (filter.provider !== undefined) where.push("r.provider = @provider");
    if (filter.status !== undefined) where.push("r.status = @status");
    const rows = this.index.db
      .prepare(
        `SELECT r.*, ev.body AS body FROM requests r JOIN events ev ON ev.seq = r.seq WHERE ${where.join(" AND ")} ORDER BY r.seq DESC LIMIT @limit`,
      )
      .all({
        before,
        patient: lower(filter.patient),
        provider: lower(filter.provider),
        status: filter.status,
        limit: page.limit + 1,
      }) as Array<{
      seq: number;
      request_id: number;
      scope: number;
      purpose: number;
      duration: number;
      status: RequestItem["status"];
      tx: string;
      block: number;
      body: string;
    }>;
    return pageOf(rows, page.limit, "seq", asOf, (r) => {
      const e = JSON.parse(r.body) as Extract<LedgerEvent, { kind: "request" }>;
      return {
        requestId: String(r.request_id),
        patient: e.patient,
        provider: e.provider,
        scope: r.scope,
        purpose: r.purpose,
        duration: r.duration,
        status: r.status,
        requestedInTx: r.tx,
        requestedAtBlock: r.block,
      };
    });
  }

  async providers(filter: { kind?: ProviderItem["kind"]; active?: boolean }, page: PageQuery): Promise<Page<ProviderItem>> {
    const asOf = await this.fresh();
    // Providers sort by name; the token is the row's position in that order (a registry is small and rarely changes).
    const offset = decodeToken(page.next) ?? 0;
    const where = ["1 = 1"];
    if (filter.kind !== undefined) where.push("p.kind = @kind");
    if (filter.active !== undefined) where.push("p.active = @active");
    const rows = this.index.db
      .prepare(
        `SELECT p.*, k.key AS encryption_key FROM providers p LEFT JOIN account_keys k ON k.account = p.address
         WHERE ${where.join(" AND ")} ORDER BY p.name, p.address LIMIT @limit OFFSET @offset`,
      )
      .all({
        kind: PROVIDER_KINDS.find((k) => k.name === filter.kind)?.id,
        active: filter.active === undefined ? undefined : filter.active ? 1 : 0,
        limit: page.limit + 1,
        offset,
      }) as Array<{ checksummed: string; name: string; kind: number; emergency: number; active: number; encryption_key: string | null }>;
    const more = rows.length > page.limit;
    return {
      items: rows.slice(0, page.limit).map((r) => ({
        address: r.checksummed,
        name: r.name,
        kind: providerKindName(r.kind),
        active: r.active === 1,
        emergencyCapable: r.emergency === 1,
        encryptionKey: r.encryption_key,
      })),
      next: more ? String(offset + page.limit) : null,
      asOf: { block: asOf.block, time: asOf.time },
    };
  }

  /**
   * Lets the index reach the chain's head (so a client that just mined a transaction sees it), waiting at most
   * {@link FRESHNESS_WAIT_MS}; when the chain is slow or down, the list answers as of the block the index has.
   */
  private async fresh(): Promise<IndexedThrough> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.index.syncFresh().catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, FRESHNESS_WAIT_MS))),
    ]);
    clearTimeout(timer);
    return this.index.through;
  }
}

/**
 * Compliance alerts: the audit library's rules over the indexed events and this gateway's disclosure log, evaluated
 * again only when either has changed since the last answer (from the index in memory, never by re-reading the chain).
 */
class IndexedAlerts implements Alerts {
  private readonly events: LedgerEvent[] = [];
  private lastSeq = 0;
  private cached?: { key: string; answer: { throughBlock: number; alerts: AlertItem[] } };

  constructor(
    private readonly index: EventIndex,
    private readonly disclosures: DisclosureLog,
    private readonly gateway: string | undefined,
  ) {
    // A reorg removes events: start over from the index (rare, and still no chain read).
    index.onChange(() => {
      const stored = this.index.db.prepare("SELECT MAX(seq) AS seq FROM events").get() as { seq: number | null };
      if ((stored.seq ?? 0) < this.lastSeq) {
        this.events.length = 0;
        this.lastSeq = 0;
      }
    });
  }

  async current(): Promise<{ throughBlock: number; alerts: AlertItem[] }> {
    await this.index.syncFresh().catch(() => undefined);
    for (const { seq, event } of this.index.allEvents(this.lastSeq)) {
      this.events.push(event);
      this.lastSeq = Math.max(this.lastSeq, seq);
    }
    const through = this.index.through;
    const key = `${through.block}:${this.lastSeq}:${this.disclosures.count}`;
    if (this.cached?.key === key) return this.cached.answer;
    const entries = this.disclosures.list();
    const alerts = evaluateRules({
      events: this.events,
      throughBlock: through.block,
      entries,
      anchors: anchorsOf(this.events, this.gateway),
      now: Math.max(through.time, Math.floor(Date.now() / 1000)),
    }).map((a) => ({ severity: a.severity, ruleId: a.ruleId, message: a.message, evidence: { ...a.evidence }, time: a.time }));
    const answer = { throughBlock: through.block, alerts };
    this.cached = { key, answer };
    return answer;
  }
}

/**
 * One address's feed after a cursor (the index's event sequence number): the ledger events that name it, and a
 * content-free "this patient's vault changed" for each record added to a vault it may list under a grant.
 */
class IndexedFeed implements ActivityFeed {
  constructor(private readonly index: EventIndex) {}

  cursorNow(): string {
    const row = this.index.db.prepare("SELECT MAX(seq) AS seq FROM events").get() as { seq: number | null };
    return String(row.seq ?? 0);
  }

  since(address: string | null, cursor: string): FeedPage {
    if (!/^(0|[1-9][0-9]{0,14})$/.test(cursor))
      throw new ApiError("BAD_REQUEST", "query.since is not a live-update cursor this gateway issued.", { field: "query.since" });
    const after = Number(cursor);
    const who = address?.toLowerCase() ?? null;
    const rows = this.index.db
      .prepare("SELECT seq, body FROM events WHERE seq > ? AND (? IS NULL OR a1 = ? OR a2 = ?) ORDER BY seq LIMIT ?")
      .all(after, who, who, who, FEED_PAGE + 1) as Array<{ seq: number; body: string }>;
    const events: FeedItem[] = rows.map((r) => ({ type: "ledger", seq: r.seq, event: JSON.parse(r.body) as LedgerEvent }));
    // An auditor's feed already carries every record event.
    const nudges = who === null ? [] : this.vaultChanges(who, after);
    const items = [...events, ...nudges].sort((a, b) => a.seq - b.seq);
    const more = items.length > FEED_PAGE;
    const kept = more ? items.slice(0, FEED_PAGE) : items;
    // With nothing for this address, move the cursor to the newest event so the next read starts there.
    const last = kept.length > 0 ? kept[kept.length - 1].seq : Math.max(after, Number(this.cursorNow()));
    return { items: kept, cursor: String(last), more };
  }

  onChange(listener: () => void): () => void {
    return this.index.onChange(listener);
  }

  /**
   * Records added after `after` to the vault of a patient whose grant to `grantee` covers the record's category, as
   * "the vault changed" notes naming only the patient (the grantee lists the vault to learn more, which the gateway
   * authorizes on the chain). Fails closed: only the grant pair's current grant counts, and only when it was made
   * before the record (`grant_seq < seq`), covers its category (scope bit), and is live now by {@link GRANT_STATE} —
   * not revoked, no revoke-all, provider not deactivated since it was made, unexpired at the index head. Live now and
   * made before the record, it was live when the record was added too (nothing ended it between, and the head's time
   * is after the record's). A record the grantee wrote himself reaches him as its own ledger event instead.
   */
  private vaultChanges(grantee: string, after: number): FeedItem[] {
    const rows = this.index.db
      .prepare(
        `SELECT ev.seq AS seq, ev.body AS body FROM events ev
         JOIN grant_pairs g ON g.patient = ev.a1 AND g.grantee = @grantee
         LEFT JOIN patient_epochs e ON e.patient = g.patient
         LEFT JOIN providers p ON p.address = g.grantee
         WHERE ev.kind = 'record' AND ev.seq > @after AND ev.a2 <> @grantee
           AND g.grant_seq < ev.seq AND ((g.scope >> ev.category) & 1) = 1 AND ${GRANT_STATE} = 'live'
         ORDER BY ev.seq LIMIT @limit`,
      )
      .all({ grantee, after, time: this.index.through.time, limit: FEED_PAGE + 1 }) as Array<{ seq: number; body: string }>;
    return rows.map((r) => ({ type: "vault", seq: r.seq, patient: (JSON.parse(r.body) as RecordEvent).patient }));
  }
}
