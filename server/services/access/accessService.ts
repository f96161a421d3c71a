import { getAddress, ZeroAddress } from "ethers";
import { categoryLabel, EMERGENCY_CATEGORY, PURPOSE, scopeCovers } from "../../../lib/consent/codes";
import { decisionTime, grantState, type GrantState } from "../../../lib/consent/grantState";
import { cidDigestHex, parseCanonicalCid } from "../../../lib/ids/cid";
import { ApiError } from "../../errors";
import type { ChainService, Head } from "../chain";
import type { RecordHeaders } from "./recordHeaders";

/** Why a reader may receive a record, as decided at one head block. */
export interface AccessDecision {
  patient: string;
  category: number;
  basis: "patient" | "grant" | "emergency";
  /** HL7 PurposeOfUse code of the grant (or the break-glass reason); 0 for the patient's own reads. */
  purpose: number;
  /** Expiry of the grant or emergency window it was released under (0 for the patient). */
  grantExpiresAt: number;
  /** Head block the decision was read at. */
  block: number;
  /** Time the decision was judged at: the later of the head's timestamp and the gateway's clock. */
  decidedAt: number;
}

/** The grant between a patient and a grantee at one block, judged by the ledger. */
export interface GrantStatus {
  state: GrantState;
  scope: number;
  purpose: number;
  expiresAt: number;
}

/** What a reader may see of a patient's vault: everything (the patient) or the categories a live grant covers. */
export type VaultView = { reader: "patient" } | { reader: "grantee"; categories: number[] };

/** Latest signature deadline the gateway relays, in seconds past the chain head's time. */
export const MAX_RELAY_DEADLINE_SECONDS = 3600;

/** Decisions kept for one head block at most; past this many the cache starts over (memory stays bounded). */
const MAX_CACHED_DECISIONS = 10_000;

/**
 * The one access rule of the gateway. Whether a reader may see a patient's records — read one, list them, receive the
 * emergency summary's key — is decided here, on the ConsentLedger's own views (`hasAccess`, `grantOf`,
 * `emergencyAccessUntil`) read at the chain head, and judged at the later of the head's time and the gateway's clock
 * (so access never outlives an expiry because no block was mined). Every route asks this service; none decides alone.
 * Any failure to read the chain is CHAIN_UNAVAILABLE: access fails closed.
 */
export class AccessService {
  private headHash = "";
  private readonly decisions = new Map<string, Promise<Omit<AccessDecision, "decidedAt">>>();

  constructor(
    private readonly chain: ChainService,
    private readonly headers: RecordHeaders,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * May `reader` receive the record stored under `cid`, now? The record's patient is the one its envelope header names;
   * the record must be announced in that patient's vault with the same category. Reused within one head block (a
   * block's state never changes); a refusal for want of the chain is never cached.
   */
  async decideRecordRead(cid: string, reader: string): Promise<AccessDecision> {
    return this.atHead((head) => this.decideRecordReadAt(cid, reader, head));
  }

  private async decideRecordReadAt(cid: string, reader: string, head: Head): Promise<AccessDecision> {
    if (head.hash !== this.headHash || this.decisions.size >= MAX_CACHED_DECISIONS) {
      this.headHash = head.hash;
      this.decisions.clear();
    }
    const now = decisionTime(head.timestamp, this.clock());
    // The clock is part of the key: a decision made before an expiry must not be reused after it.
    const key = `${cid}/${reader}`;
    let decision = this.decisions.get(key);
    if (decision !== undefined) {
      const cached = await decision.catch(() => undefined);
      if (cached !== undefined && cached.basis !== "patient" && cached.grantExpiresAt <= now) decision = undefined;
    }
    if (decision === undefined) {
      const fresh = this.decideAt(cid, reader, head, now);
      this.decisions.set(key, fresh);
      fresh.catch((err: unknown) => {
        if (!isRefusal(err) && this.decisions.get(key) === fresh) this.decisions.delete(key);
      });
      decision = fresh;
    }
    return { ...(await decision), decidedAt: now };
  }

  /**
   * What `reader` may see of `patient`'s vault at the head: everything for the patient, the categories of a live grant
   * (plus the emergency summary during an open break-glass window) for anyone else; ACCESS_DENIED otherwise, with why.
   */
  async vaultView(patient: string, reader: string): Promise<VaultView & { head: Head }> {
    return this.atHead((head) => this.vaultViewAt(patient, reader, head));
  }

  /**
   * `judge` at the current head; a refusal is judged once more at a newer head when there is one (a grant given a
   * moment ago may sit in a block the first read missed). A failure to reach the chain is not retried here.
   */
  private async atHead<T>(judge: (head: Head) => Promise<T>): Promise<T> {
    const head = await this.chain.currentHead();
    try {
      return await judge(head);
    } catch (err) {
      const newer = isRefusal(err) ? await this.chain.newerHead(head) : undefined;
      if (newer === undefined) throw err;
      return judge(newer);
    }
  }

  private async vaultViewAt(patient: string, reader: string, head: Head): Promise<VaultView & { head: Head }> {
    if (getAddress(patient) === getAddress(reader)) return { reader: "patient", head };
    const now = decisionTime(head.timestamp, this.clock());
    const [grant, emergency] = await Promise.all([
      this.grantStatus(patient, reader, head, now),
      this.emergencyUntil(patient, reader, head, now),
    ]);
    const categories: number[] = [];
    if (grant.state === "live")
      for (let c = 0; c <= 31; c++) if (scopeCovers(grant.scope, c) && c <= EMERGENCY_CATEGORY) categories.push(c);
    if (emergency > now && !categories.includes(EMERGENCY_CATEGORY)) categories.push(EMERGENCY_CATEGORY);
    if (categories.length === 0) throw denied(patient, grant, undefined);
    return { reader: "grantee", categories, head };
  }

  /** The end of `reader`'s open break-glass window on `patient` (0 when none is open), judged now. */
  async emergencyWindow(patient: string, reader: string): Promise<{ until: number; head: Head; now: number }> {
    let head = await this.chain.currentHead();
    let now = decisionTime(head.timestamp, this.clock());
    let until = await this.emergencyUntil(patient, reader, head, now);
    const newer = until === 0 ? await this.chain.newerHead(head) : undefined;
    if (newer !== undefined) {
      head = newer;
      now = decisionTime(head.timestamp, this.clock());
      until = await this.emergencyUntil(patient, reader, head, now);
    }
    return { until, head, now };
  }

  /**
   * Refuses (403 FORBIDDEN) unless `actor` may act on `patient`'s consents: the patient, or the guardian the patient
   * appointed on the ledger. The gateway relays (and pays for) consent changes only for them.
   */
  async requireActingFor(actor: string, patient: string): Promise<void> {
    if (getAddress(actor) === getAddress(patient)) return;
    const isGuardianAt = async (head: Head): Promise<boolean> => {
      const guardian = await this.chain.read(() => this.chain.ledger.guardianOf(patient, { blockTag: head.number }));
      return guardian !== ZeroAddress && getAddress(guardian) === getAddress(actor);
    };
    const head = await this.chain.currentHead();
    if (await isGuardianAt(head)) return;
    // Like an access refusal, judged again at the head read now: a guardian appointed a moment ago is one.
    const newer = await this.chain.newerHead(head);
    if (newer !== undefined && (await isGuardianAt(newer))) return;
    throw new ApiError(
      "FORBIDDEN",
      `You may relay consent changes only for yourself or a patient who made you their guardian, not for ${patient}.`,
    );
  }

  /** Refuses (400) a signature deadline further than {@link MAX_RELAY_DEADLINE_SECONDS} ahead of chain time. */
  async checkDeadline(deadline: number): Promise<void> {
    let head = await this.chain.currentHead();
    // The wallet signed against a head it just read: judge against one at least as new before refusing.
    if (deadline > head.timestamp + MAX_RELAY_DEADLINE_SECONDS) head = (await this.chain.newerHead(head)) ?? head;
    if (deadline > head.timestamp + MAX_RELAY_DEADLINE_SECONDS) {
      throw new ApiError(
        "BAD_REQUEST",
        `body.deadline is more than ${MAX_RELAY_DEADLINE_SECONDS / 60} minutes ahead of chain time (${head.timestamp}); sign with a nearer deadline.`,
        { field: "body.deadline" },
      );
    }
  }

  /** The grant of `patient` to `grantee` at `head`, judged by the ledger's `hasAccess` (and the clock for expiry). */
  async grantStatus(patient: string, grantee: string, head: Head, now: number): Promise<GrantStatus> {
    const at = { blockTag: head.number };
    const slot = await this.chain.read(() => this.chain.ledger.grantOf(patient, grantee, at));
    const view = { scope: Number(slot.scope), purpose: Number(slot.purpose), expiresAt: Number(slot.expiresAt) };
    if (view.expiresAt === 0) return { state: "revoked", ...view };
    const probe = lowestCategory(view.scope);
    const liveOnChain = probe !== undefined && (await this.chain.read(() => this.chain.ledger.hasAccess(patient, grantee, probe, at)));
    if (liveOnChain && view.expiresAt > now) return { state: "live", ...view };
    // Not live: ask the ledger's views why, for the words of the refusal (the decision itself is made above).
    const [epoch, [active, generation]] = await this.chain.read(() =>
      Promise.all([this.chain.ledger.epochOf(patient, at), this.chain.registry.statusOf(grantee, at)]),
    );
    const state = grantState(
      { ...view, epoch: Number(slot.epoch), providerGeneration: Number(slot.providerGeneration) },
      { patientEpoch: Number(epoch), provider: { active, generation: Number(generation) }, now },
    );
    return { state: state === "live" ? "expired" : state, ...view };
  }

  private async decideAt(cid: string, reader: string, head: Head, now: number): Promise<Omit<AccessDecision, "decidedAt">> {
    const block = head.number;
    const at = { blockTag: block };
    const header = await this.headers.of(cid);
    const digest = cidDigestHex(parseCanonicalCid(cid));
    const record = await this.chain.read(() => this.chain.records.recordOf(header.patient, digest, at));
    if (record.patient === ZeroAddress) {
      throw new ApiError("RECORD_NOT_FOUND", `${cid} is not announced in the vault of the patient its envelope names.`);
    }
    const patient = header.patient;
    const category = Number(record.category);
    if (category !== header.category) {
      // Announced under another category than the envelope's: whatever was meant, grants of either must not open it.
      throw new ApiError(
        "RECORD_NOT_FOUND",
        `${cid} was announced as ${categoryLabel(category)} but is sealed as ${categoryLabel(header.category)}.`,
      );
    }
    if (patient === getAddress(reader)) return { patient, category, basis: "patient", purpose: 0, grantExpiresAt: 0, block };
    const grant = await this.grantStatus(patient, reader, head, now);
    if (grant.state === "live" && scopeCovers(grant.scope, category)) {
      return { patient, category, basis: "grant", purpose: grant.purpose, grantExpiresAt: grant.expiresAt, block };
    }
    if (category === EMERGENCY_CATEGORY) {
      const until = await this.emergencyUntil(patient, reader, head, now);
      if (until > now) {
        const reason = await this.chain.breakGlassReason(patient, reader, head.number);
        return { patient, category, basis: "emergency", purpose: reason ?? PURPOSE.ETREAT, grantExpiresAt: until, block };
      }
    }
    throw denied(patient, grant, category);
  }

  private async emergencyUntil(patient: string, reader: string, head: Head, now: number): Promise<number> {
    const at = { blockTag: head.number };
    const until = Number(await this.chain.read(() => this.chain.ledger.emergencyAccessUntil(patient, reader, at)));
    if (until <= now) return 0;
    const open = await this.chain.read(() => this.chain.ledger.hasAccess(patient, reader, EMERGENCY_CATEGORY, at));
    return open ? until : 0;
  }
}

/** A refusal the ledger's state answered (not a failure to reach it). */
function isRefusal(err: unknown): boolean {
  return err instanceof ApiError && (err.code === "ACCESS_DENIED" || err.code === "RECORD_NOT_FOUND");
}

function lowestCategory(scope: number): number | undefined {
  for (let c = 0; c <= EMERGENCY_CATEGORY; c++) if (scopeCovers(scope, c)) return c;
  return undefined;
}

function denied(patient: string, grant: GrantStatus, category: number | undefined): ApiError {
  const reason = grant.state === "live" ? "not-covered" : grant.state;
  return new ApiError("ACCESS_DENIED", refusal(patient, grant, category), { reason });
}

/** The words of a refusal: what the reader lacks, never more about the patient than they already know. */
function refusal(patient: string, grant: GrantStatus, category: number | undefined): string {
  const what = category === undefined ? `the records of patient ${patient}` : `${categoryLabel(category)} records of patient ${patient}`;
  switch (grant.state) {
    case "revoked":
      return `You hold no grant for ${what}: it was never granted or has been revoked.`;
    case "expired":
      return `Your grant for ${what} expired at ${new Date(grant.expiresAt * 1000).toISOString()}.`;
    case "revoked-all":
      return `The patient ended every grant, including yours, for ${what}.`;
    case "provider-inactive":
      return `Your provider registration is not active (or was reinstated after the grant), so your grant for ${what} no longer counts.`;
    case "live":
      return `Your grant does not cover ${category === undefined ? "these" : categoryLabel(category)} records.`;
  }
}
