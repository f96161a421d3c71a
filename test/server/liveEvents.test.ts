import { expect } from "chai";
import { GatewayClient, parseEventStream, readEventStream, requestAccess, type LiveEvent } from "../../lib/client";
import { formatSiweMessage } from "../../lib/client/siweMessage";
import { demoWallet } from "../../scripts/seed";
import { grantedScene, readyActor, signedInActor } from "../support/actors";
import { listen, type OpenStream } from "../support/liveStream";
import { useStack } from "../support/stack";
import { until } from "../support/until";

/** "ended" once `stream` has ended (the gateway closed it), or "open" if it is still open after `ms`. */
function endedWithin(stream: OpenStream, ms: number): Promise<"ended" | "open"> {
  let timer: NodeJS.Timeout | undefined;
  const open = new Promise<"open">((resolve) => (timer = setTimeout(() => resolve("open"), ms)));
  return Promise.race([stream.ended.then(() => "ended" as const), open]).finally(() => clearTimeout(timer));
}

/** What a stream that cannot be opened is refused with: [status, code]. */
function refusalOf(client: GatewayClient): Promise<unknown> {
  return readEventStream(client, { onEvent: () => undefined }).then(
    () => undefined,
    (err: { status?: number; code?: string }) => [err.status, err.code],
  );
}

/** A client that sends `token` as its session on every request, as a client holding it after sign-in would. */
function clientWithToken(url: string, token: string): GatewayClient {
  return new GatewayClient(url, (input, init) =>
    fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${token}` } }),
  );
}

describe("the SDK's live-update reader (GET /api/events over fetch)", function () {
  const stack = useStack();

  /**
   * Signs demo wallet `index` in with a message whose Expiration Time is `seconds` ahead (the SDK signs for 8 hours): a
   * session that short. Answers a client holding its token and the second the token expires at.
   */
  async function shortSession(index: number, seconds: number): Promise<{ client: GatewayClient; expiresAt: number }> {
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const response = await fetch(`${stack.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status, path).to.equal(200);
      return (await response.json()) as Record<string, unknown>;
    };
    const { nonce, domain, uri, chainId } = (await post("/api/auth/nonce", {})) as {
      nonce: string;
      domain: string;
      uri: string;
      chainId: number;
    };
    const wallet = demoWallet(index, stack.provider);
    const now = Date.now();
    const message = formatSiweMessage({
      domain,
      address: wallet.address,
      statement: "A short session, for a test.",
      uri,
      chainId,
      nonce,
      issuedAt: new Date(now).toISOString(),
      expirationTime: new Date(now + seconds * 1000).toISOString(),
    });
    const { token } = (await post("/api/auth/verify", { message, signature: await wallet.signMessage(message) })) as { token: string };
    const { exp } = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()) as { exp: number };
    return { client: clientWithToken(stack.url, token), expiresAt: exp };
  }

  it("parses messages split across reads, drops heartbeats and keeps the unfinished tail", function () {
    const first = parseEventStream(': keep-alive\n\nid: 3.0\nevent: ledger\ndata: {"kind":"revoke"}\n\nid: 4.0\nevent: led');
    expect(first.events).to.deep.equal([{ type: "ledger", id: "3.0", event: { kind: "revoke" } }]);
    const second = parseEventStream(`${first.rest}ger\ndata: {"kind":"grant"}\n\nevent: ready\ndata: {}\n\n`);
    expect(second.events).to.deep.equal([{ type: "ledger", id: "4.0", event: { kind: "grant" } }, { type: "ready" }]);
    expect(second.rest).to.equal("");
  });

  it("pushes a provider's request to the patient as it is indexed, and resumes after the last id", async function () {
    const patient = await readyActor(stack, 1);
    const doctor = await readyActor(stack, 2);
    const controller = new AbortController();
    const seen: LiveEvent[] = [];
    let ready!: () => void;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    let requested!: () => void;
    const gotRequest = new Promise<void>((resolve) => (requested = resolve));
    const reading = readEventStream(patient.client, {
      signal: controller.signal,
      onEvent: (e) => {
        seen.push(e);
        if (e.type === "ready") ready();
        if (e.type === "ledger" && e.event.kind === "request") requested();
      },
    });
    await isReady;
    await requestAccess(doctor, { patient: patient.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    await gotRequest;
    controller.abort();
    const last = await reading;
    const request = seen.find((e) => e.type === "ledger" && e.event.kind === "request");
    expect(request && request.type === "ledger" && request.event).to.include({ kind: "request", provider: doctor.address });
    expect(last).to.equal(request && "id" in request ? request.id : "none");

    // Resuming after that id replays nothing older: the stream is caught up at once.
    const replay: LiveEvent[] = [];
    const again = new AbortController();
    await readEventStream(patient.client, {
      since: last,
      signal: again.signal,
      onEvent: (e) => (replay.push(e), e.type === "ready" && again.abort()),
    });
    expect(replay.filter((e) => e.type === "ledger" && e.event.kind === "request")).to.deep.equal([]);
  });

  it("ends a stream at its session's sign-out, before the next event: the disclosure reaches only a live session", async function () {
    const { patient, doctor, cid } = await grantedScene(stack);
    // Jane signed in twice (two tabs): one session signs out, the other stays.
    const stillSignedIn = await listen(await signedInActor(stack, 1));
    const signedOut = await listen(patient);
    await patient.client.signOut();
    await doctor.client.fetchRecord(cid);

    const disclosed = (e: LiveEvent): boolean => e.type === "disclosure" && e.entry.reader === doctor.address;
    await until(() => stillSignedIn.events.some(disclosed), Boolean, "the disclosure on the signed-in session's stream");
    expect(await endedWithin(signedOut, 2000)).to.equal("ended");
    expect(signedOut.events.filter(disclosed)).to.deep.equal([]);
    await stillSignedIn.close();
  });

  it("ends an idle stream within seconds of its session's sign-out, and refuses the old token's reconnect (401)", async function () {
    const patient = await readyActor(stack, 1);
    const token = patient.client.sessionToken!;
    const stream = await listen(patient);
    await patient.client.signOut();
    // No event is written meanwhile: the stream's own timer finds the sign-out (every 5 s).
    expect(await endedWithin(stream, 7000)).to.equal("ended");
    expect(await refusalOf(clientWithToken(stack.url, token))).to.deep.equal([401, "UNAUTHENTICATED"]);
  });

  it("ends a stream when its session expires, and refuses the reconnect (401 SESSION_EXPIRED)", async function () {
    const { client, expiresAt } = await shortSession(1, 3);
    const stream = await listen({ client });
    expect(await endedWithin(stream, 10_000)).to.equal("ended");
    // At the expiry, not at a later periodic check.
    expect(Date.now()).to.be.within(expiresAt * 1000, expiresAt * 1000 + 1000);
    expect(await refusalOf(client)).to.deep.equal([401, "SESSION_EXPIRED"]);
  });

  it("refuses a stream without a session (401), before any event", async function () {
    const patient = await readyActor(stack, 1);
    await patient.client.signOut();
    const refusal = await readEventStream(patient.client, { onEvent: () => undefined }).then(
      () => undefined,
      (err: { status?: number; code?: string }) => [err.status, err.code],
    );
    expect(refusal).to.deep.equal([401, "UNAUTHENTICATED"]);
  });
});
