import { useEffect, useRef, useState } from "react";
import { GatewayError, readEventStream, type ActorContext, type LiveEvent } from "../../../lib/client";

/** Reconnect delays: 1 s, doubling to at most 30 s; back to 1 s once a stream has caught up. */
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/**
 * Whether the live-update stream is up: "connecting" until the gateway says it caught up, "retrying" after a drop,
 * "signedOut" once the gateway refuses the session (signed out or expired): retrying with that token cannot succeed.
 */
export type LiveState = "connecting" | "live" | "retrying" | "signedOut";

/**
 * Subscribes the signed-in wallet to the gateway's live updates (GET /api/events, read with fetch so the session
 * token rides in the Authorization header) for as long as the component is mounted. `onEvent` sees every ledger and
 * disclosure event; a dropped stream reconnects with backoff and resumes after the last event id, so nothing is lost.
 * The gateway ends the stream when the session ends; the reconnect is then refused 401, and the hook stops there.
 */
export function useLiveEvents(actor: ActorContext, onEvent: (event: LiveEvent) => void): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  // The latest handler, without resubscribing on every render.
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    const controller = new AbortController();
    let since: string | undefined;
    let delay = FIRST_DELAY_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const connect = async (): Promise<void> => {
      try {
        since = await readEventStream(actor.client, {
          since,
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === "ready") {
              delay = FIRST_DELAY_MS;
              setState("live");
            } else {
              since = event.id;
              handler.current(event);
            }
          },
        });
      } catch (err) {
        // The session ended (signed out, expired): only a new sign-in helps, so stop instead of retrying forever.
        if (err instanceof GatewayError && err.status === 401) return setState("signedOut");
        // Any other refused or failed stream (gateway restarting, network gone): retried below like a closed one.
      }
      if (controller.signal.aborted) return;
      setState("retrying");
      timer = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    };
    void connect();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [actor]);

  return state;
}
