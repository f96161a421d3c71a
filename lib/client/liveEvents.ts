import type { LedgerEvent } from "../audit/events";
import type { DisclosureEntry } from "../disclosure/entries";
import { ClientError } from "./errors";
import type { GatewayClient } from "./gatewayClient";

/** One message of the gateway's live-update stream, as GET /api/events declares it. */
export type LiveEvent =
  /** `seq`: the event's place in the gateway's event index (the stream's resume point is `id`). */
  | { type: "ledger"; id: string; event: LedgerEvent & { seq: number } }
  | { type: "disclosure"; id: string; entry: DisclosureEntry }
  /** A record was added to this patient's vault in a category the reader's live grant covers: list it again to see it. */
  | { type: "vault"; id: string; patient: string }
  | { type: "ready" };

/**
 * Splits Server-Sent Events text into messages. Returns the complete messages and the unfinished tail, which the
 * caller prepends to the next chunk (a message may arrive split across network reads). Comments (heartbeats) and
 * unknown event types are dropped.
 */
export function parseEventStream(text: string): { events: LiveEvent[]; rest: string } {
  const blocks = text.replace(/\r\n?/g, "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  const events: LiveEvent[] = [];
  for (const block of blocks) {
    let type = "message";
    let id = "";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      const colon = line.indexOf(":");
      if (colon === 0) continue;
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") type = value;
      else if (field === "id") id = value;
      else if (field === "data") data.push(value);
    }
    if (type === "ready") events.push({ type: "ready" });
    else if (type === "ledger") events.push({ type, id, event: JSON.parse(data.join("\n")) as LedgerEvent & { seq: number } });
    else if (type === "disclosure") events.push({ type, id, entry: JSON.parse(data.join("\n")) as DisclosureEntry });
    else if (type === "vault") events.push({ type, id, patient: (JSON.parse(data.join("\n")) as { patient: string }).patient });
  }
  return { events, rest };
}

/**
 * Reads the signed-in wallet's live updates until the stream ends or `signal` aborts, calling `onEvent` for each;
 * resolves with the last event id seen (pass it as `since` to resume without losing events). A closed stream is the
 * caller's cue to reconnect; the gateway also closes it when the session ends (sign-out, expiry), and the reconnect
 * then rejects with a 401 GatewayError (UNAUTHENTICATED or SESSION_EXPIRED): sign in again rather than retry.
 *
 * @example
 * const controller = new AbortController();
 * let since = await readEventStream(actor.client, { signal: controller.signal, onEvent: (e) => console.log(e) });
 */
export async function readEventStream(
  client: GatewayClient,
  options: { since?: string; signal?: AbortSignal; onEvent: (event: LiveEvent) => void },
): Promise<string | undefined> {
  const response = await client.openEventStream(options.since, options.signal);
  if (response.body === null) throw new ClientError("BAD_RESPONSE", "The gateway's live-update stream has no body.");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let since = options.since;
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return since;
      const { events, rest } = parseEventStream(buffer + value);
      buffer = rest;
      for (const event of events) {
        if (event.type !== "ready") since = event.id;
        options.onEvent(event);
      }
    }
  } catch (err) {
    if (options.signal?.aborted) return since;
    throw err;
  } finally {
    reader.releaseLock();
  }
}
