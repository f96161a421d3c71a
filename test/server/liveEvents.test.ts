import { expect } from "chai";
import { parseEventStream, readEventStream, requestAccess, type LiveEvent } from "../../lib/client";
import { readyActor } from "../support/actors";
import { useStack } from "../support/stack";

describe("the SDK's live-update reader (GET /api/events over fetch)", function () {
  const stack = useStack();

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
