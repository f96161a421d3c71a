import { expect } from "chai";
import { ClientError, GatewayClient } from "../../lib/client/gatewayClient";
import { demoWallet } from "../../scripts/seed";
import { useStack } from "../support/stack";
import { patientKeyDirectory } from "../../lib/client";
import { directoryEntry } from "../../lib/crypto";
import { sealPatientRecord } from "../../lib/records/recordCrypto";
import { readyActor } from "../support/actors";
import { API } from "../../lib/api";

/** Sends a raw request and returns status + parsed error body. */
async function send(
  url: string,
  init: RequestInit & { token?: string } = {},
): Promise<{ status: number; code?: string; message?: string; field?: string }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  const response = await fetch(url, { ...init, headers });
  const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string; field?: string } };
  return { status: response.status, code: body.error?.code, message: body.error?.message, field: body.error?.field };
}

/** The ClientError `promise` fails with (a test failure when it succeeds). */
function refusal(promise: Promise<unknown>): Promise<ClientError> {
  return promise.then(
    () => Promise.reject(new Error("expected a refusal")),
    (err: ClientError) => err,
  );
}

/** POSTs `body` typed as `contentType` (JSON unless said otherwise), with `token` when given. */
function post(url: string, body: string, token?: string, contentType = "application/json"): ReturnType<typeof send> {
  return send(url, { method: "POST", token, headers: { "content-type": contentType }, body });
}

describe("gateway input validation: clear 4xx, never 500", function () {
  let token: string;

  const stack = useStack();

  before(async function () {
    const client = new GatewayClient(stack.url);
    token = await client.signIn(demoWallet(1, stack.provider), stack.deployment.chainId);
  });

  it("refuses to sign in before the wallet signs when the gateway names another origin or chain", async function () {
    const wallet = demoWallet(1, stack.provider);
    let signed = 0;
    const counting = {
      getAddress: () => wallet.getAddress(),
      signTypedData: wallet.signTypedData.bind(wallet),
      signMessage: (m: string) => (signed++, wallet.signMessage(m)),
    };
    // The same gateway by another spelling of its address: it signs people in as its PUBLIC_ORIGIN only.
    const otherSpelling = stack.url.replace("127.0.0.1", "localhost");
    const byOtherName = await refusal(new GatewayClient(otherSpelling).signIn(counting, stack.deployment.chainId));
    expect([byOtherName.code, byOtherName.message]).to.deep.equal([
      "WRONG_ORIGIN",
      `The gateway at ${otherSpelling} signs people in as ${stack.url}: connect to it by that URL (its PUBLIC_ORIGIN).`,
    ]);
    const otherChain = await refusal(new GatewayClient(stack.url).signIn(counting, 1));
    expect(otherChain.code).to.equal("WRONG_CHAIN");
    expect(signed, "the wallet was never asked to sign").to.equal(0);
  });

  it("answers 400 BAD_REQUEST naming the problem for malformed JSON", async function () {
    const r = await post(`${stack.url}/api/grants`, "{not json", token);
    expect([r.status, r.code]).to.deep.equal([400, "BAD_REQUEST"]);
    expect(r.message).to.match(/not valid JSON/);
  });

  it("reads no body before authentication: an anonymous client's malformed or oversized JSON gets 401, not a parse", async function () {
    const malformed = await post(`${stack.url}/api/grants`, "{not json");
    const oversized = await post(`${stack.url}/api/grants`, JSON.stringify({ pad: "x".repeat(200_000) }));
    expect([malformed.status, malformed.code]).to.deep.equal([401, "UNAUTHENTICATED"]);
    expect([oversized.status, oversized.code]).to.deep.equal([401, "UNAUTHENTICATED"]);
    // Routes open to anyone (sign-in) still read and check their JSON body.
    const signIn = await post(`${stack.url}/api/auth/verify`, "{not json");
    expect([signIn.status, signIn.code]).to.deep.equal([400, "BAD_REQUEST"]);
  });

  it("answers 400 naming the field for a CID that is not one", async function () {
    const r = await send(`${stack.url}/api/records/not-a-cid`, { token });
    expect([r.status, r.code]).to.deep.equal([400, "BAD_REQUEST"]);
    expect(r.message).to.match(/^path\.cid is not a canonical CID/);
  });

  it("takes a request number in one spelling: decimal digits without leading zeros", async function () {
    for (const spelling of ["07", "00", "0x7", "7a"]) {
      const r = await post(`${stack.url}/api/requests/${spelling}/deny`, "{}", token);
      expect([r.status, r.code, r.message], spelling).to.deep.equal([
        400,
        "BAD_REQUEST",
        "path.requestId must be a request number: decimal digits, no leading zeros",
      ]);
    }
  });

  it("answers 401 UNAUTHENTICATED without a token, and for an unknown token", async function () {
    const missing = await send(`${stack.url}/api/records?patient=${demoWallet(1, stack.provider).address}`);
    expect([missing.status, missing.code]).to.deep.equal([401, "UNAUTHENTICATED"]);
    expect(missing.message).to.match(/Authorization: Bearer/);
    const unknown = await send(`${stack.url}/api/records?patient=${demoWallet(1, stack.provider).address}`, { token: "forged" });
    expect([unknown.status, unknown.code]).to.deep.equal([401, "UNAUTHENTICATED"]);
  });

  it("names a missing or malformed body field", async function () {
    const missing = await post(`${stack.url}/api/grants/revoke`, "{}", token);
    expect([missing.status, missing.code, missing.message]).to.deep.equal([400, "BAD_REQUEST", "body.patient is required"]);
    const badAddress = await post(
      `${stack.url}/api/grants/revoke`,
      JSON.stringify({ patient: "0x1234", grantee: "0x1234", deadline: 1, signature: "0x00" }),
      token,
    );
    expect([badAddress.status, badAddress.message]).to.deep.equal([
      400,
      "body.patient must be a 0x-prefixed 20-byte Ethereum address (lower-case or EIP-55 checksummed)",
    ]);
    // Present with the wrong type is not "missing": the message says what the field must be.
    const wrongType = await post(`${stack.url}/api/auth/verify`, JSON.stringify({ message: 42, signature: "0x00" }));
    expect([wrongType.status, wrongType.message]).to.deep.equal([400, "body.message must be a string"]);
  });

  it("refuses an upload that is not a record envelope, and one with the wrong content type", async function () {
    const plaintext = await post(`${stack.url}/api/records`, '{"resourceType":"Condition"}', token, "application/octet-stream");
    expect([plaintext.status, plaintext.code]).to.deep.equal([400, "BAD_ENVELOPE"]);
    const wrongType = await post(`${stack.url}/api/records`, "hello", token, "text/plain");
    expect([wrongType.status, wrongType.code]).to.deep.equal([415, "UNSUPPORTED_MEDIA_TYPE"]);
  });

  it("answers 404 CONTENT_NOT_FOUND for a well-formed CID this organization's store does not hold", async function () {
    const r = await send(`${stack.url}/api/records/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy`, { token });
    expect([r.status, r.code]).to.deep.equal([404, "CONTENT_NOT_FOUND"]);
  });

  it("answers 404 with a code for an unknown API route", async function () {
    const r = await send(`${stack.url}/api/nothing-here`);
    expect([r.status, r.code]).to.deep.equal([404, "NOT_FOUND"]);
  });

  it("refuses a replayed sign-in message (single-use nonce)", async function () {
    const wallet = demoWallet(2, stack.provider);
    const { nonce } = (await (await fetch(`${stack.url}/api/auth/nonce`, { method: "POST" })).json()) as { nonce: string };
    const { SiweMessage } = await import("siwe");
    const message = new SiweMessage({
      domain: new URL(stack.url).host,
      address: wallet.address,
      uri: stack.url,
      version: "1",
      chainId: 31337,
      nonce,
    }).prepareMessage();
    const signature = await wallet.signMessage(message);
    const body = JSON.stringify({ message, signature });
    const post = () => send(`${stack.url}/api/auth/verify`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect((await post()).status).to.equal(200);
    const replay = await post();
    expect([replay.status, replay.code]).to.deep.equal([401, "NONCE_INVALID"]);
  });

  it("answers an oversized upload with 413 PAYLOAD_TOO_LARGE that the client sees (declared length over the limit)", async function () {
    const tooBig = new Uint8Array(65 * 1024 * 1024).fill(7);
    const declared = await send(`${stack.url}/api/records`, {
      method: "POST",
      token,
      headers: { "content-type": "application/octet-stream" },
      body: tooBig, // fetch declares its Content-Length
    });
    expect([declared.status, declared.code]).to.deep.equal([413, "PAYLOAD_TOO_LARGE"]);
  });

  it("answers a chunked upload (no declared length) that runs past the limit with a 413 the client reads", async function () {
    const jane = await readyActor(stack, 1);
    const categoryKey = directoryEntry(await patientKeyDirectory(jane, jane.address), 1);
    // A real envelope, so the header is accepted and the size limit is what refuses it.
    const { envelope } = sealPatientRecord(new Uint8Array(65 * 1024 * 1024), {
      patient: jane.address,
      patientPublicKey: jane.keys.publicKey,
      categoryKey,
    });
    const pieces = (async function* () {
      for (let i = 0; i < envelope.length; i += 1024 * 1024) yield envelope.subarray(i, i + 1024 * 1024);
    })();
    const chunked = await send(`${stack.url}/api/records`, {
      method: "POST",
      token: jane.client.sessionToken,
      headers: { "content-type": "application/octet-stream" },
      body: pieces as unknown as BodyInit,
      duplex: "half",
    } as RequestInit & { token?: string });
    expect([chunked.status, chunked.code]).to.deep.equal([413, "PAYLOAD_TOO_LARGE"]);
  });

  it("reads a number in a query only as plain decimal digits, naming the field and the form", async function () {
    const patient = demoWallet(1, stack.provider).address;
    const records = (q: string) => send(`${stack.url}/api/records?patient=${patient}&${q}`, { token });
    const form = "decimal digits (no sign, spaces or leading zeros)";
    // Each of these was once read as category 0 or 4 (z.coerce): now none has a second reading.
    for (const value of ["", "%20", "0x4", "0b100", "4.0", "04", "%204%20", "-1", "+4", "1e0", "4abc"]) {
      const r = await records(`category=${value}`);
      expect([r.status, r.code, r.field], value).to.deep.equal([400, "BAD_REQUEST", "query.category"]);
      expect(r.message, value).to.equal(`query.category must be a category number: ${form} for a number from 0 to 12`);
    }
    for (const value of ["050", "0x10", "%2050", "5.0"]) {
      const r = await records(`limit=${value}`);
      expect([r.status, r.field], value).to.deep.equal([400, "query.limit"]);
    }
    expect((await records("category=4&limit=50")).status).to.equal(200);
    expect((await records("category=0")).status).to.equal(200);
  });

  it("reads a number in a JSON body only as a JSON integer, never null, a string or a fraction", async function () {
    const patient = demoWallet(1, stack.provider).address;
    const announce = {
      patient,
      author: patient,
      recordId: `0x${"11".repeat(32)}`,
      cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
      category: 4,
      deadline: 1,
      signature: `0x${"00".repeat(65)}`,
    };
    for (const [field, value, what] of [
      ["category", null, "a category number: a JSON integer from 0 to 12"],
      ["category", "4", "a category number: a JSON integer from 0 to 12"],
      ["category", 4.5, "a category number: a JSON integer from 0 to 12"],
      ["deadline", null, `unix seconds: a JSON integer from 0 to ${2 ** 53 - 1}`],
      ["deadline", "1", `unix seconds: a JSON integer from 0 to ${2 ** 53 - 1}`],
    ] as const) {
      const r = await post(`${stack.url}/api/records/announce`, JSON.stringify({ ...announce, [field]: value }), token);
      expect([r.status, r.field, r.message], `${field}: ${JSON.stringify(value)}`).to.deep.equal([
        400,
        `body.${field}`,
        `body.${field} must be ${what}`,
      ]);
    }
  });

  it("takes an address only as 0x and 40 hex digits, lower-case or EIP-55, naming the field otherwise", async function () {
    const patient = demoWallet(1, stack.provider).address;
    const hex = patient.slice(2);
    for (const spelling of [hex, `0x${hex.toUpperCase()}`, `0X${hex}`, `0x${hex.toLowerCase()}%20`, `%200x${hex.toLowerCase()}`]) {
      const r = await send(`${stack.url}/api/records?patient=${spelling}`, { token });
      expect([r.status, r.field, r.message], spelling).to.deep.equal([
        400,
        "query.patient",
        "query.patient must be a 0x-prefixed 20-byte Ethereum address (lower-case or EIP-55 checksummed)",
      ]);
    }
    const lower = (await (
      await fetch(`${stack.url}/api/records?patient=${patient.toLowerCase()}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { patient: string };
    expect(lower.patient, "answered in EIP-55 form").to.equal(patient);
  });

  it("refuses a disclosure-list page token the gateway never issued, as every other list does", async function () {
    const patient = demoWallet(1, stack.provider).address;
    for (const next of ["5abc", "0x10", "05", "-1"]) {
      const r = await send(`${stack.url}/api/disclosures?patient=${patient}&next=${next}`, { token });
      expect([r.status, r.code, r.field], next).to.deep.equal([400, "BAD_REQUEST", "query.next"]);
    }
    expect((await send(`${stack.url}/api/disclosures?patient=${patient}&next=5`, { token })).status).to.equal(200);
  });

  it("names `since` and its form for a bad live-update cursor", async function () {
    for (const since of ["abc.1", "-1.0", "0x10.0", "1", "01.1"]) {
      const r = await send(`${stack.url}/api/events?since=${since}`, { token });
      expect([r.status, r.code, r.field, r.message], since).to.deep.equal([
        400,
        "BAD_REQUEST",
        "query.since",
        "query.since must be the id of the last event received: two decimal numbers joined by a dot, e.g. 42.7",
      ]);
    }
  });

  it("answers 415 naming application/json for a JSON-body route given another media type", async function () {
    const body = JSON.stringify({ patient: demoWallet(1, stack.provider).address, deadline: 1, signature: "0x00" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
      const r = await post(`${stack.url}/api/grants/revoke-all`, body, token, type);
      expect([r.status, r.code], type).to.deep.equal([415, "UNSUPPORTED_MEDIA_TYPE"]);
      expect(r.message, type).to.include("application/json");
    }
    // A body-less route still answers without any body or media type.
    const nonce = await send(`${stack.url}/api/auth/nonce`, { method: "POST" });
    expect(nonce.status).to.equal(200);
  });

  it("forwards eth_feeHistory with its reward percentiles (an array of numbers) through /api/rpc", async function () {
    const call = (params: unknown[]) =>
      fetch(`${stack.url}/api/rpc`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_feeHistory", params }),
      });
    const answer = await call(["0x4", "latest", [25, 75]]);
    expect(answer.status).to.equal(200);
    const body = (await answer.json()) as { result?: { reward?: unknown[] } };
    expect(body.result?.reward, "the node's answer, with rewards per percentile").to.be.an("array");
    const tooMany = await call(["0x4", "latest", Array.from({ length: 101 }, () => 50)]);
    expect(tooMany.status).to.equal(400);
  });

  it("reads audit-export dates as `npm run audit` does: strict forms, a date-only `to` includes its day, from before to", async function () {
    const patient = demoWallet(1, stack.provider).address;
    const exportQuery = API.auditExport.query;
    if (exportQuery === undefined) throw new Error("the export route declares its query");
    const parsed = exportQuery.parse({ patient, from: "2026-11-29", to: "2026-11-29" });
    expect([parsed.from, parsed.to]).to.deep.equal([Date.UTC(2026, 10, 29) / 1000, Date.UTC(2026, 10, 30) / 1000]);
    expect(exportQuery.parse({ patient, to: "2026-11-29T12:00:00Z" }).to).to.equal(Date.UTC(2026, 10, 29, 12) / 1000);
    const audit = (q: string) => send(`${stack.url}/api/audit/export?patient=${patient}&${q}`, { token });
    for (const from of ["-1", "1", "Sun%20Nov%2029%202026", "2026-02-30", "2026-11-29%2000:00", "2026-11-29T00:00:00"]) {
      const r = await audit(`from=${from}`);
      expect([r.status, r.code, r.field], from).to.deep.equal([400, "BAD_REQUEST", "query.from"]);
      expect(r.message, from).to.match(/^query\.from is not a (calendar )?date/);
    }
    const backwards = await audit("from=2030-01-01&to=2020-01-01");
    expect([backwards.status, backwards.field, backwards.message]).to.deep.equal([
      400,
      "query.to",
      "query.to (2020-01-02T00:00:00Z) must be after query.from (2030-01-01T00:00:00Z).",
    ]);
    expect((await audit("from=2026-11-29&to=2026-11-29")).status).to.equal(200);
  });
});
