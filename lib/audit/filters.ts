import type { LedgerEvent } from "./events";

/** EMERGENCY_SUMMARY: the one category break-glass opens (see `ConsentCodes`). */
export const EMERGENCY_CATEGORY = 12;

/** What an auditor narrows a history to. Every field is optional; all given fields must match. */
export interface EventFilter {
  /** Only events about this patient. */
  patient?: string;
  /** Only events involving this provider (as grantee, requester, break-glass user, record author, registry subject). */
  provider?: string;
  /** Only events that concern this record category (grants and requests whose scope covers it, records of it, break-glass for 12). */
  category?: number;
  /** Only events at or after this time (unix seconds). */
  from?: number;
  /** Only events before this time (unix seconds, exclusive). */
  to?: number;
  /** Only events of these kinds. */
  kinds?: readonly LedgerEvent["kind"][];
}

/** The patient an event is about, if any (checksummed as decoded). */
export function patientOf(event: LedgerEvent): string | undefined {
  return "patient" in event ? event.patient : undefined;
}

/** The provider (or other counterparty) an event involves, if any. */
export function providerOf(event: LedgerEvent): string | undefined {
  switch (event.kind) {
    case "grant":
    case "revoke":
      return event.grantee;
    case "request":
    case "approve":
    case "deny":
    case "emergency":
    case "providerVerified":
    case "providerDeactivated":
      return event.provider;
    case "record":
      return event.author === event.patient ? undefined : event.author;
    case "guardian":
      return event.guardian;
    default:
      return undefined;
  }
}

/** Whether an event concerns a record category. Events without a category (revokes, registry, …) never do. */
export function concernsCategory(event: LedgerEvent, category: number): boolean {
  switch (event.kind) {
    case "grant":
    case "request":
      return ((event.scope >>> category) & 1) === 1;
    case "record":
      return event.category === category;
    case "emergency":
    case "emergencyPolicy":
      return category === EMERGENCY_CATEGORY;
    default:
      return false;
  }
}

/** Same address, whatever the letter case. */
export function sameAddress(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/**
 * A predicate for {@link EventFilter}. Registry and anchor events name no patient, so a patient filter drops them:
 * resolve names and deactivations from the unfiltered stream (see `ProviderDirectory`).
 *
 * @example
 * const janeOnly = eventMatcher({ patient: jane, from: Date.parse("2026-01-01") / 1000 });
 * const rows = events.filter(janeOnly);
 */
export function eventMatcher(filter: EventFilter): (event: LedgerEvent) => boolean {
  const patient = filter.patient?.toLowerCase();
  const provider = filter.provider?.toLowerCase();
  const kinds = filter.kinds === undefined ? undefined : new Set(filter.kinds);
  return (event) => {
    if (kinds !== undefined && !kinds.has(event.kind)) return false;
    if (filter.from !== undefined && event.timestamp < filter.from) return false;
    if (filter.to !== undefined && event.timestamp >= filter.to) return false;
    if (patient !== undefined && patientOf(event)?.toLowerCase() !== patient) return false;
    if (provider !== undefined && providerOf(event)?.toLowerCase() !== provider) return false;
    if (filter.category !== undefined && !concernsCategory(event, filter.category)) return false;
    return true;
  };
}

/** The events that match a filter, in their original order. */
export function filterEvents(events: readonly LedgerEvent[], filter: EventFilter): LedgerEvent[] {
  return events.filter(eventMatcher(filter));
}

/** Streams only the events that match a filter. */
export async function* filterStream(events: AsyncIterable<LedgerEvent>, filter: EventFilter): AsyncGenerator<LedgerEvent> {
  const matches = eventMatcher(filter);
  for await (const event of events) if (matches(event)) yield event;
}
