import { useCallback, useRef, useState } from "react";
import type { ActorContext, LiveEvent } from "../../../lib/client";
import { useLiveEvents, type LiveState } from "./useLiveEvents";

/** Ledger event kinds that change what the consent views list (requests, answers, grants, revocations, break-glass). */
export const CONSENT_EVENT_KINDS: ReadonlySet<string> = new Set([
  "request",
  "approve",
  "deny",
  "grant",
  "revoke",
  "revokeAll",
  "emergency",
  "guardian",
  "record",
]);

/** The patients whose vaults a burst of live events says changed (records added that the reader's grant covers). */
export function changedVaults(burst: readonly LiveEvent[]): string[] {
  return [...new Set(burst.flatMap((e) => (e.type === "vault" ? [e.patient.toLowerCase()] : [])))];
}

/** True when a live event changes a consent list: a consent ledger event or a disclosure of the wallet's records. */
export function touchesConsent(event: LiveEvent): boolean {
  return event.type === "disclosure" || (event.type === "ledger" && CONSENT_EVENT_KINDS.has(event.event.kind));
}

/**
 * Reloads a view's lists when a live event says they changed (one reload for a burst of events, which `reload` is
 * given so it can reload only what they touch), and counts the events that arrived since the person last cleared the
 * count, for a "new" badge.
 */
export function useLiveRefresh(
  actor: ActorContext,
  reload: (burst: readonly LiveEvent[]) => Promise<unknown>,
  relevant: (event: LiveEvent) => boolean = touchesConsent,
): { state: LiveState; fresh: LiveEvent[]; clear: () => void } {
  const [fresh, setFresh] = useState<LiveEvent[]>([]);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const burst = useRef<LiveEvent[]>([]);
  const state = useLiveEvents(actor, (event) => {
    if (!relevant(event)) return;
    setFresh((f) => [...f, event]);
    burst.current.push(event);
    // Events of one transaction arrive together: wait a beat so they cost one reload.
    clearTimeout(pending.current);
    pending.current = setTimeout(() => {
      const events = burst.current;
      burst.current = [];
      void reload(events);
    }, 150);
  });
  const clear = useCallback(() => setFresh([]), []);
  return { state, fresh, clear };
}
