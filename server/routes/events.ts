import { API } from "../../lib/api";
import type { DisclosureEntry } from "../../lib/disclosure/entries";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

/** Open event streams one wallet may hold (tabs, devices); past this, 503 BUSY. */
const MAX_STREAMS_PER_WALLET = 8;
const HEARTBEAT_MS = 15_000;
/** How often a stream checks that its session still holds, so that an idle stream ends soon after a sign-out too. */
const SESSION_CHECK_MS = 5_000;
/** setTimeout's longest delay; a session that ends later is caught by the periodic check. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Live updates as Server-Sent Events: the ledger events that concern the signed-in wallet (from the event index, as
 * soon as it commits them), a content-free `vault` event ({ patient }) when a record is added to the vault of a patient
 * whose live grant to the wallet covers its category (see IndexedFeed), and the disclosures of the wallet's own
 * records (as soon as they are logged). Each event's
 * `id` resumes the stream after a reconnect. Clients send the session token in the Authorization header (a
 * fetch()-based reader), never in the URL. An auditor's stream carries every ledger event and every disclosure; the
 * role is read again before each of them is written, so a revoked auditor's stream ends at the next event.
 * The stream lasts no longer than its session: a sign-out (on any replica sharing the state database) or the session's
 * expiry ends it before the next write, and at the latest a few seconds later (at once on expiry) while it is idle.
 * The client's reconnect is then refused 401, which tells it to sign in again.
 */
export function eventRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { feed, disclosures, sessions } = services;
  const open = new Map<string, number>();

  api.add(API.events, async ({ query, session, req, res }) => {
    const wallet = session.address;
    if ((open.get(wallet) ?? 0) >= MAX_STREAMS_PER_WALLET)
      throw new ApiError("BUSY", "Too many live-update streams for this wallet; close one.");
    let cursor: string;
    let disclosureSeq: number;
    if (query.since !== undefined) {
      const dot = query.since.lastIndexOf(".");
      cursor = query.since.slice(0, dot);
      disclosureSeq = Number(query.since.slice(dot + 1));
      feed.since(wallet, cursor); // a bad cursor is a 400 before the stream starts
    } else {
      cursor = feed.cursorNow();
      disclosureSeq = disclosures.count;
    }
    const auditor = await services.roles.isAuditor(wallet);
    open.set(wallet, (open.get(wallet) ?? 0) + 1);
    res.status(200);
    res.set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
    res.flushHeaders();

    const id = (): string => `${cursor}.${disclosureSeq}`;
    // Ends the stream once its session has ended (fails closed: a failed check ends it too); true while it holds.
    const signedIn = (): boolean => {
      if (res.writableEnded) return false;
      try {
        sessions.ensureLive(session);
        return true;
      } catch {
        res.end();
        return false;
      }
    };
    // Every write, events and heartbeats alike, goes out only while the session holds.
    const write = (text: string): void => void (signedIn() && res.write(text));
    // An auditor's writes go one by one, each after the role is read again (fails closed: an error ends the stream).
    let queue = Promise.resolve();
    const send = (event: string, data: unknown): void => {
      const text = `id: ${id()}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      if (!auditor) return write(text);
      queue = queue
        .then(async () => {
          if (res.writableEnded) return;
          if (await services.roles.isAuditor(wallet)) write(text);
          else res.end();
        })
        .catch(() => void res.end());
    };
    let pumping = false;
    let again = false;
    const pump = (): void => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        for (;;) {
          const page = feed.since(auditor ? null : wallet, cursor);
          for (const item of page.items) {
            // Each item's own position, so a client that drops mid-page resumes right after what it received.
            cursor = String(item.seq);
            if (item.type === "ledger") send("ledger", { ...item.event, seq: item.seq });
            else send("vault", { patient: item.patient });
          }
          cursor = page.cursor;
          if (!page.more) break;
        }
      } catch (err) {
        services.logger.warn({ err: (err as Error).message }, "live-update feed failed");
      } finally {
        pumping = false;
      }
      if (again) {
        again = false;
        pump();
      }
    };
    const onDisclosure = (entry: DisclosureEntry): void => {
      disclosureSeq = entry.seq + 1;
      if (entry.patient === wallet || auditor) send("disclosure", entry);
    };
    // Disclosures logged while the client was away, then live ones.
    for (const entry of disclosures.since(disclosureSeq)) onDisclosure(entry);
    pump();
    // After the catch-up (queued behind it for an auditor), so "ready" means caught up.
    queue = queue.then(() => write(`event: ready\ndata: {}\n\n`));
    const unsubscribeFeed = feed.onChange(pump);
    const unsubscribeLog = disclosures.onAppend(onDisclosure);
    const heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
    // An idle stream checks its session too: every few seconds (a sign-out), and right after the session expires.
    const sessionCheck = setInterval(signedIn, SESSION_CHECK_MS);
    const atExpiry = setTimeout(signedIn, Math.min(Math.max(session.expiresAt - Date.now(), 0) + 1, MAX_TIMER_MS));
    for (const timer of [heartbeat, sessionCheck, atExpiry]) timer.unref();
    // The client went away, or the stream was ended here (its session ended, or an auditor lost the role).
    await new Promise<void>((resolve) => (req.once("close", resolve), res.once("close", resolve)));
    clearInterval(heartbeat);
    clearInterval(sessionCheck);
    clearTimeout(atExpiry);
    unsubscribeFeed();
    unsubscribeLog();
    open.set(wallet, (open.get(wallet) ?? 1) - 1);
  });
}
