import type { Logger } from "pino";
import { ZeroAddress } from "ethers";
import { cidDigestHex, parseCanonicalCid } from "../../lib/ids/cid";
import { ApiError } from "../errors";
import type { RecordHeaders } from "./access/recordHeaders";
import type { ChainService } from "./chain";
import type { StateDb } from "./state/stateDb";
import type { ContentStore } from "./store/contentStore";

/** How often expired uploads are looked at and the store collected. */
const SWEEP_INTERVAL_MS = 60_000;

/** The bytes (and expiry) of everything an uploader holds unannounced and unexpired: (uploader, now) twice. */
const HELD_BY_UPLOADER =
  "SELECT bytes, expires_at FROM pending_uploads WHERE uploader = ? AND expires_at > ? " +
  "UNION ALL SELECT bytes, expires_at FROM refused_uploads WHERE uploader = ? AND expires_at > ?";

/**
 * Uploads that are stored but not yet announced on the ledger. Each is kept for a limited time (UPLOAD_TTL_SECONDS)
 * and counts against its uploader's quota (UPLOAD_QUOTA_BYTES) until it is announced (an upload refused after its
 * bytes were stored counts until it expires: see {@link Uploads.refused}); then the store keeps it (pinned)
 * for good. Expired uploads are collected — unless the chain shows they were announced after all (a crash between
 * the announcement and the pin), in which case they are pinned. So nobody can fill the store with content nobody
 * announces, and nothing announced is ever collected.
 */
export class Uploads {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<unknown>;

  constructor(
    private readonly db: StateDb,
    private readonly store: ContentStore,
    private readonly chain: ChainService,
    private readonly headers: RecordHeaders,
    private readonly options: { ttlSeconds: number; quotaBytes: number },
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bytes `uploader` may still upload before announcing what it already uploaded (refused uploads count too). */
  remainingQuota(uploader: string): number {
    return this.held(uploader).remaining;
  }

  /** Throws QUOTA_EXCEEDED when `bytes` more would not fit in `uploader`'s quota. */
  checkQuota(uploader: string, bytes: number): void {
    const held = this.held(uploader);
    if (bytes > held.remaining) throw this.refusalFor(held);
  }

  /** The QUOTA_EXCEEDED refusal for `uploader`, saying how much is left and when the oldest of its bytes come back. */
  quotaRefusal(uploader: string): ApiError {
    return this.refusalFor(this.held(uploader));
  }

  private refusalFor({ remaining, oldest }: { remaining: number; oldest: number | null }): ApiError {
    const refusal = new ApiError(
      "QUOTA_EXCEEDED",
      `You have ${remaining} bytes of upload quota left; announce (or let expire) what you uploaded before uploading more.`,
    );
    // Unannounced (or refused), the uploader's oldest upload gives its bytes back when it expires.
    return oldest === null ? refusal : refusal.retryAfter(oldest - this.now() / 1000);
  }

  /** What `uploader` holds against its quota, in one read: the bytes left, and when its oldest upload expires. */
  private held(uploader: string): { remaining: number; oldest: number | null } {
    const now = this.nowSeconds();
    const row = this.db
      .prepare<[string, number, string, number], { used: number | null; oldest: number | null }>(
        `SELECT SUM(bytes) AS used, MIN(expires_at) AS oldest FROM (${HELD_BY_UPLOADER})`,
      )
      .get(uploader, now, uploader, now);
    return { remaining: Math.max(0, this.options.quotaBytes - (row?.used ?? 0)), oldest: row?.oldest ?? null };
  }

  /** Records a stored upload awaiting announcement; returns when it expires (unix ms). */
  stored(cid: string, uploader: string, bytes: number): number {
    const expiresAt = this.nowSeconds() + this.options.ttlSeconds;
    this.db
      .prepare(
        "INSERT INTO pending_uploads (cid, uploader, bytes, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (cid, uploader) DO UPDATE SET bytes = excluded.bytes, expires_at = excluded.expires_at",
      )
      .run(cid, uploader, bytes, expiresAt);
    return expiresAt * 1000;
  }

  /**
   * Records the bytes of a refused upload that had reached the store (cut short, not an envelope after all, over the
   * quota or the size limit mid-stream, its client gone): they count against the uploader's quota until they expire,
   * like an upload awaiting announcement, and are not kept, so the sweep collects their blocks once they are older
   * than the upload lifetime, as it collects every unreachable block.
   *
   * Why counted rather than deleted at once: blocks are content-addressed, so a refused upload's blocks may be those of
   * another upload of the same bytes still in flight (written, not yet recorded, so no root of the store's reaches
   * them) that removing them would break; and an upload cut off mid-stream has no root to walk to its blocks at all.
   * The sweep's age bound is what keeps in-flight uploads safe, and counting is what keeps a wallet from parking more
   * than its quota in the meantime (before, these bytes counted against nothing until they were collected).
   */
  refused(uploader: string, bytes: number): void {
    if (bytes <= 0) return;
    this.db
      .prepare("INSERT INTO refused_uploads (uploader, bytes, expires_at) VALUES (?, ?, ?)")
      .run(uploader, bytes, this.nowSeconds() + this.options.ttlSeconds);
  }

  /** The record was announced: keep its content for good and release the uploaders' quota. */
  async announced(cid: string): Promise<void> {
    await this.store.pin(cid);
    this.db.prepare("DELETE FROM pending_uploads WHERE cid = ?").run(cid);
  }

  /** Starts the periodic sweep. */
  start(): void {
    this.timer = setInterval(
      () => void this.sweep().catch((err: Error) => this.logger.warn({ err: err.message }, "upload sweep failed")),
      SWEEP_INTERVAL_MS,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /**
   * Pins expired uploads the chain shows announced, forgets the others, and collects the store's unreachable blocks
   * older than the upload lifetime. Returns what was collected.
   */
  sweep(): Promise<{ pinned: number; expired: number; blocks: number; bytes: number }> {
    const run = (async () => {
      const now = this.nowSeconds();
      const expired = this.db
        .prepare<[number], { cid: string }>("SELECT DISTINCT cid FROM pending_uploads WHERE expires_at <= ?")
        .all(now)
        .map((r) => r.cid);
      let pinned = 0;
      for (const cid of expired) {
        if (await this.isAnnounced(cid)) {
          await this.store.pin(cid);
          pinned++;
        }
        this.db.prepare("DELETE FROM pending_uploads WHERE cid = ? AND expires_at <= ?").run(cid, now);
      }
      // Refused uploads are never kept: their blocks, unreachable, are collected below once old enough.
      this.db.prepare("DELETE FROM refused_uploads WHERE expires_at <= ?").run(now);
      const keep = this.db
        .prepare<[], { cid: string }>("SELECT DISTINCT cid FROM pending_uploads")
        .all()
        .map((r) => r.cid);
      const collected = await this.store.collectGarbage(keep, this.now() - this.options.ttlSeconds * 1000);
      if (collected.blocks > 0 || expired.length > 0) {
        this.logger.info({ pinned, expired: expired.length - pinned, ...collected }, "collected unannounced uploads");
      }
      return { pinned, expired: expired.length - pinned, ...collected };
    })();
    this.sweeping = run.catch(() => undefined);
    return run;
  }

  /** Whether the chain shows `cid` announced in the vault of the patient its envelope names; a chain failure throws. */
  private async isAnnounced(cid: string): Promise<boolean> {
    let patient: string;
    try {
      patient = (await this.headers.of(cid)).patient;
    } catch (err) {
      // Not an envelope, or gone from the store: it cannot have been announced.
      if (err instanceof ApiError && (err.code === "RECORD_NOT_FOUND" || err.code === "CONTENT_NOT_FOUND")) return false;
      throw err;
    }
    // A chain that cannot be read throws CHAIN_UNAVAILABLE: the sweep stops and collects nothing (fail safe).
    const record = await this.chain.read(() => this.chain.records.recordOf(patient, cidDigestHex(parseCanonicalCid(cid))));
    return record.patient !== ZeroAddress;
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}
