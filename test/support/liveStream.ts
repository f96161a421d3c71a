import { readEventStream, type ActorContext, type LiveEvent } from "../../lib/client";

/** A live-update stream held open in a test: the events so far (filled as they arrive) and how to close it. */
export interface OpenStream {
  events: LiveEvent[];
  /** Settles when the stream ends: closed by the gateway, or by `close`. */
  ended: Promise<unknown>;
  close: () => Promise<unknown>;
}

/** Opens `actor`'s live stream (GET /api/events) and resolves once it is caught up; `events` fills as they arrive. */
export async function listen(actor: Pick<ActorContext, "client">): Promise<OpenStream> {
  const events: LiveEvent[] = [];
  const controller = new AbortController();
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const reading = readEventStream(actor.client, {
    signal: controller.signal,
    onEvent: (e) => (e.type === "ready" ? ready() : events.push(e)),
  });
  await isReady;
  return { events, ended: reading, close: () => (controller.abort(), reading) };
}
