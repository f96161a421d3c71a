import { categoriesOf, WRITE_BIT } from "../consent/codes";
import { ProviderDirectory } from "./directory";
import { compareEvents, refOf, type EventRef, type LedgerEvent } from "./events";
import { EMERGENCY_CATEGORY } from "./filters";

export { ProviderDirectory } from "./directory";
export type { ProviderHistory, ProviderStatusChange } from "./directory";

const ZERO_BYTES32 = "0x" + "0".repeat(64);

/** Why a grant stopped before its expiry. */
/**
 * Why a grant stopped before its expiry. `providerDeactivated`: the registrar deactivated the grantee, which moves
 * its registry generation on; the ledger never counts that grant again, even if the provider is verified anew.
 */
export type ConsentEndReason = "revoked" | "revokedAll" | "superseded" | "providerDeactivated";

/** The event that ended a grant before it expired. */
export interface ConsentEnd {
  reason: ConsentEndReason;
  at: EventRef;
  /** Who acted (the patient or guardian; the patient for a superseding grant's actor). */
  actor: string;
}

/** A stretch of a grant during which its grantee was deactivated in the registry (the grant gave no access). */
export interface Suspension {
  from: EventRef;
  /** The re-verification; absent while still deactivated. */
  to?: EventRef;
}

/** One grant, from the event that wrote it to the moment it stopped (or will stop) giving access. */
export interface ConsentPeriod {
  /** `<block>-<logIndex>` of the AccessGranted event: unique on one chain. */
  id: string;
  patient: string;
  grantee: string;
  /** The patient or their guardian. */
  actor: string;
  scope: number;
  categories: number[];
  /** Whether the grantee may add records to the patient's vault. */
  write: boolean;
  purpose: number;
  /** Unix seconds at which access ends by expiry. */
  expiresAt: number;
  /** sha2-256 digest of the key bundle block issued with the grant (absent when none). */
  keyBundle?: string;
  /** The access request this grant approved, if any. */
  requestId?: number;
  granted: EventRef;
  /** The revoke, revokeAll or newer grant that ended it before expiry. */
  ended?: ConsentEnd;
  /** Unix seconds at which access ended or will end: the earlier of `ended` and `expiresAt`. */
  until: number;
  suspensions: Suspension[];
}

/** Every grant one patient ever gave one grantee, oldest first. */
export interface ConsentHistory {
  patient: string;
  grantee: string;
  periods: ConsentPeriod[];
}

/** An access request and its answer. */
export interface AccessRequestRecord {
  requestId: number;
  patient: string;
  provider: string;
  scope: number;
  categories: number[];
  purpose: number;
  duration: number;
  requested: EventRef;
  status: "pending" | "approved" | "denied";
  answered?: EventRef;
  /** The grant the approval wrote. */
  grantId?: string;
}

/** One break-glass window. */
export interface EmergencyWindowRecord {
  /** `<block>-<logIndex>` of the EmergencyAccess event. */
  id: string;
  patient: string;
  provider: string;
  /** ETREAT (2) or BTG (3). */
  reasonCode: number;
  opened: EventRef;
  expiresAt: number;
  summaryCid: string;
  /** A revokeAll or a restart by the same provider that closed it before expiry. */
  ended?: { reason: "revokedAll" | "restarted" | "providerDeactivated"; at: EventRef };
  until: number;
}

/** One break-glass policy a patient set, until the next one replaced it. */
export interface EmergencyPolicyRecord {
  id: string;
  patient: string;
  enabled: boolean;
  maxWindow: number;
  summaryCid: string;
  set: EventRef;
  replaced?: EventRef;
}

/** Everything consent-related an event stream says, folded. */
export interface ConsentReconstruction {
  /** Per (patient, grantee), ordered by patient then grantee address. */
  consents: ConsentHistory[];
  requests: AccessRequestRecord[];
  emergencies: EmergencyWindowRecord[];
  policies: EmergencyPolicyRecord[];
  providers: ProviderDirectory;
}

/** Where on the chain and when an access decision is judged: the state after block `block`, whose time is `time`. */
export interface ChainMoment {
  block: number;
  /** Unix seconds of that block. */
  time: number;
}

/** Result of checking one access against the reconstructed history. */
export interface AccessCheck {
  allowed: boolean;
  basis?: "grant" | "emergency";
  period?: ConsentPeriod;
  window?: EmergencyWindowRecord;
  /** Why not, for alerts and reports. */
  reason?: string;
}

/**
 * Folds an event stream (any order; it is sorted by block and log index) into the consent history per
 * (patient, grantee), with the requests, break-glass windows and emergency policies alongside.
 *
 * Semantics follow ConsentLedger exactly: a grant is live while `time < expiresAt`, it ends early on revoke, on
 * revokeAll (the patient's epoch moves on) or when a newer grant to the same grantee overwrites it; a provider's
 * deactivation suspends its grants without ending them.
 *
 * @example
 * const { consents } = reconstructConsents(events);
 * for (const h of consents) for (const p of h.periods) console.log(h.grantee, p.categories, p.until, p.ended?.reason);
 */
export function reconstructConsents(events: readonly LedgerEvent[]): ConsentReconstruction {
  const ordered = isOrdered(events) ? events : [...events].sort(compareEvents);
  const histories = new Map<string, ConsentHistory>();
  const openByPatient = new Map<string, Set<ConsentPeriod>>();
  const requests = new Map<number, AccessRequestRecord>();
  const emergencies: EmergencyWindowRecord[] = [];
  const openWindows = new Map<string, EmergencyWindowRecord>();
  const policies: EmergencyPolicyRecord[] = [];
  const currentPolicy = new Map<string, EmergencyPolicyRecord>();
  const approvalInTx = new Map<string, AccessRequestRecord>();

  const end = (period: ConsentPeriod, reason: ConsentEndReason, at: EventRef, actor: string): void => {
    if (at.timestamp < period.expiresAt) {
      period.ended = { reason, at, actor };
      period.until = at.timestamp;
    }
    openByPatient.get(period.patient.toLowerCase())?.delete(period);
  };

  for (const event of ordered) {
    switch (event.kind) {
      case "grant": {
        const key = pairKey(event.patient, event.grantee);
        let history = histories.get(key);
        if (history === undefined) histories.set(key, (history = { patient: event.patient, grantee: event.grantee, periods: [] }));
        const previous = history.periods.at(-1);
        if (previous !== undefined && previous.ended === undefined) end(previous, "superseded", refOf(event), event.actor);
        const approval = approvalInTx.get(event.txHash);
        const period: ConsentPeriod = {
          id: eventId(event),
          patient: event.patient,
          grantee: event.grantee,
          actor: event.actor,
          scope: event.scope,
          categories: categoriesOf(event.scope),
          write: (event.scope & WRITE_BIT) !== 0,
          purpose: event.purpose,
          expiresAt: event.expiresAt,
          keyBundle: event.keyBundle === ZERO_BYTES32 ? undefined : event.keyBundle,
          granted: refOf(event),
          until: event.expiresAt,
          suspensions: [],
        };
        if (approval !== undefined && sameAddr(approval.provider, event.grantee) && sameAddr(approval.patient, event.patient)) {
          period.requestId = approval.requestId;
          approval.grantId = period.id;
          approvalInTx.delete(event.txHash);
        }
        history.periods.push(period);
        let open = openByPatient.get(event.patient.toLowerCase());
        if (open === undefined) openByPatient.set(event.patient.toLowerCase(), (open = new Set()));
        open.add(period);
        break;
      }
      case "revoke": {
        const period = histories.get(pairKey(event.patient, event.grantee))?.periods.at(-1);
        if (period !== undefined && period.ended === undefined) end(period, "revoked", refOf(event), event.actor);
        break;
      }
      case "revokeAll": {
        for (const period of [...(openByPatient.get(event.patient.toLowerCase()) ?? [])])
          end(period, "revokedAll", refOf(event), event.actor);
        for (const window of openWindows.values()) {
          if (sameAddr(window.patient, event.patient)) closeWindow(window, "revokedAll", refOf(event));
        }
        break;
      }
      case "providerDeactivated": {
        for (const open of openByPatient.values()) {
          for (const period of [...open])
            if (sameAddr(period.grantee, event.provider)) end(period, "providerDeactivated", refOf(event), event.registrar);
        }
        for (const window of [...openWindows.values()]) {
          if (sameAddr(window.provider, event.provider)) closeWindow(window, "providerDeactivated", refOf(event));
        }
        break;
      }
      case "request":
        requests.set(event.requestId, {
          requestId: event.requestId,
          patient: event.patient,
          provider: event.provider,
          scope: event.scope,
          categories: categoriesOf(event.scope),
          purpose: event.purpose,
          duration: event.duration,
          requested: refOf(event),
          status: "pending",
        });
        break;
      case "approve":
      case "deny": {
        const request = requests.get(event.requestId);
        if (request === undefined) break;
        request.status = event.kind === "approve" ? "approved" : "denied";
        request.answered = refOf(event);
        if (event.kind === "approve") approvalInTx.set(event.txHash, request);
        break;
      }
      case "emergency": {
        const key = pairKey(event.patient, event.provider);
        const previous = openWindows.get(key);
        if (previous !== undefined) closeWindow(previous, "restarted", refOf(event));
        const window: EmergencyWindowRecord = {
          id: eventId(event),
          patient: event.patient,
          provider: event.provider,
          reasonCode: event.reasonCode,
          opened: refOf(event),
          expiresAt: event.expiresAt,
          summaryCid: event.summaryCid,
          until: event.expiresAt,
        };
        emergencies.push(window);
        openWindows.set(key, window);
        break;
      }
      case "emergencyPolicy": {
        const key = event.patient.toLowerCase();
        const previous = currentPolicy.get(key);
        if (previous !== undefined) previous.replaced = refOf(event);
        const policy: EmergencyPolicyRecord = {
          id: eventId(event),
          patient: event.patient,
          enabled: event.enabled,
          maxWindow: event.maxWindow,
          summaryCid: event.summaryCid,
          set: refOf(event),
        };
        policies.push(policy);
        currentPolicy.set(key, policy);
        break;
      }
      default:
        break;
    }
  }

  function closeWindow(window: EmergencyWindowRecord, reason: "revokedAll" | "restarted" | "providerDeactivated", at: EventRef): void {
    if (at.timestamp < window.expiresAt) {
      window.ended = { reason, at };
      window.until = at.timestamp;
    }
    openWindows.delete(pairKey(window.patient, window.provider));
  }

  const providers = ProviderDirectory.fromEvents(ordered);
  const consents = [...histories.values()].sort((a, b) => a.patient.localeCompare(b.patient) || a.grantee.localeCompare(b.grantee));
  for (const history of consents) for (const period of history.periods) period.suspensions = suspensionsOf(period, providers);
  return { consents, requests: [...requests.values()], emergencies, policies, providers };
}

/** The history of one (patient, grantee) pair, if any. */
export function historyOf(rec: ConsentReconstruction, patient: string, grantee: string): ConsentHistory | undefined {
  return rec.consents.find((h) => sameAddr(h.patient, patient) && sameAddr(h.grantee, grantee));
}

/** The grant of `patient` to `grantee` in force after block `block` (the latest written by then), live or not. */
export function periodAt(rec: ConsentReconstruction, patient: string, grantee: string, block: number): ConsentPeriod | undefined {
  const periods = historyOf(rec, patient, grantee)?.periods ?? [];
  let found: ConsentPeriod | undefined;
  for (const period of periods) {
    if (period.granted.blockNumber > block) break;
    found = period;
  }
  return found;
}

/**
 * Whether `reader` could read `patient`'s records of `category` at a moment, by the same rule as
 * `ConsentLedger.hasAccess`: a live grant covering the category while the grantee is active; otherwise, for the
 * emergency summary only, a live break-glass window of an emergency-capable provider.
 */
export function accessAt(rec: ConsentReconstruction, patient: string, reader: string, category: number, at: ChainMoment): AccessCheck {
  const period = periodAt(rec, patient, reader, at.block);
  const live = period !== undefined && (period.ended === undefined || period.ended.at.blockNumber > at.block) && at.time < period.expiresAt;
  if (live && ((period.scope >>> category) & 1) === 1) {
    if (rec.providers.isActiveAt(reader, at.block)) return { allowed: true, basis: "grant", period };
    return { allowed: false, period, reason: `the grant ${period.id} covers it but ${reader} was deactivated in the registry` };
  }
  if (category === EMERGENCY_CATEGORY) {
    const window = emergencyAt(rec, patient, reader, at);
    if (window !== undefined) {
      if (rec.providers.isEmergencyCapableAt(reader, at.block)) return { allowed: true, basis: "emergency", window };
      return { allowed: false, window, reason: `${reader} had a break-glass window but was not an active emergency-capable provider` };
    }
  }
  return { allowed: false, period, reason: denialReason(period, category, at) };
}

/** The break-glass window of `provider` on `patient` live at a moment, if any. */
export function emergencyAt(
  rec: ConsentReconstruction,
  patient: string,
  provider: string,
  at: ChainMoment,
): EmergencyWindowRecord | undefined {
  let found: EmergencyWindowRecord | undefined;
  for (const window of rec.emergencies) {
    if (window.opened.blockNumber > at.block) break;
    if (sameAddr(window.patient, patient) && sameAddr(window.provider, provider)) found = window;
  }
  if (found === undefined) return undefined;
  const cut = found.ended !== undefined && found.ended.at.blockNumber <= at.block;
  return !cut && at.time < found.expiresAt ? found : undefined;
}

function denialReason(period: ConsentPeriod | undefined, category: number, at: ChainMoment): string {
  if (period === undefined) return "no grant had been written by that block";
  if (period.ended !== undefined && period.ended.at.blockNumber <= at.block)
    return `the grant ${period.id} was ${period.ended.reason} in block ${period.ended.at.blockNumber}`;
  if (at.time >= period.expiresAt) return `the grant ${period.id} had expired at ${period.expiresAt}`;
  return `the grant ${period.id} does not cover category ${category}`;
}

function suspensionsOf(period: ConsentPeriod, providers: ProviderDirectory): Suspension[] {
  const changes = providers.historyOf(period.grantee)?.changes ?? [];
  const suspensions: Suspension[] = [];
  let open: Suspension | undefined;
  for (const change of changes) {
    if (compareEvents(change.at, period.granted) <= 0) {
      // The state at grant time matters only if the grantee was inactive then (the contract forbids it, but be exact).
      open = change.active ? undefined : { from: change.at };
      continue;
    }
    const stillRunning =
      period.ended !== undefined ? compareEvents(change.at, period.ended.at) < 0 : change.at.timestamp < period.expiresAt;
    if (!stillRunning) break;
    if (!change.active && open === undefined) open = { from: change.at };
    else if (change.active && open !== undefined) {
      suspensions.push({ ...open, to: change.at });
      open = undefined;
    }
  }
  if (open !== undefined) suspensions.push(open);
  return suspensions;
}

function isOrdered(events: readonly LedgerEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if (compareEvents(events[i - 1], events[i]) > 0) return false;
  return true;
}

function pairKey(a: string, b: string): string {
  return `${a.toLowerCase()}:${b.toLowerCase()}`;
}

function sameAddr(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `<block>-<logIndex>`: a short, FHIR-id-safe identifier of an event on one chain. */
export function eventId(event: EventRef): string {
  return `${event.blockNumber}-${event.logIndex}`;
}
