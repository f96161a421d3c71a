import { expect } from "chai";
import fc from "fast-check";
import { GatewayClient } from "../../lib/client/gatewayClient";
import { demoWallet } from "../../scripts/seed";
import { readyActor } from "../support/actors";
import { useStack } from "../support/stack";

interface Operation {
  method: string;
  path: string;
}

interface FuzzRequest {
  op: Operation;
  pathValue: string;
  query: string;
  contentType: string | undefined;
  body: string | Uint8Array | undefined;
  auth: "none" | "valid" | "garbage";
}

const HOSTILE_STRINGS = [
  "../../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  "%00",
  "bafy" + "a".repeat(500),
  "0x" + "f".repeat(40),
  "0x" + "g".repeat(40),
  "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG",
  "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
  "-1",
  "1e309",
  "NaN",
  "__proto__",
  "constructor",
  "🩺",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
];

/** JSON nested `depth` levels deep: `{"a":{"a":…}}`. */
function deepJson(depth: number): string {
  return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

/** Bodies a confused or hostile client might send. */
const bodyArb: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record({
      patient: hostileString,
      grantee: hostileString,
      author: hostileString,
      cid: hostileString,
      scope: fc.oneof(fc.integer(), fc.double(), hostileString),
      purpose: fc.oneof(fc.integer(), hostileString),
      category: fc.oneof(fc.integer(), hostileString),
      expiresAt: fc.oneof(fc.integer(), fc.bigInt().map(String)),
      deadline: fc.oneof(fc.integer(), hostileString),
      keyBundle: hostileString,
      recordId: hostileString,
      signature: fc.oneof(
        hostileString,
        fc.uint8Array({ minLength: 65, maxLength: 65 }).map((b) => "0x" + Buffer.from(b).toString("hex")),
      ),
      message: hostileString,
      jsonrpc: fc.constantFrom("2.0", "1.0", 2),
      id: fc.oneof(fc.integer(), hostileString),
      method: fc.constantFrom(
        "eth_blockNumber",
        "eth_sendRawTransaction",
        "eth_call",
        "personal_sign",
        "eth_accounts",
        "debug_traceTransaction",
      ),
      params: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    })
    .map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 200 }),
  fc.integer({ min: 1, max: 5000 }).map(deepJson),
  fc.constant("x".repeat(70 * 1024)),
  fc.uint8Array({ maxLength: 2048 }),
);

const contentTypeArb = fc.constantFrom(
  undefined,
  "application/json",
  "application/octet-stream",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-7",
);

const queryArb = fc.oneof(
  fc.constant(""),
  fc
    .record({ patient: hostileString, grantee: hostileString, provider: hostileString, reader: hostileString }, { requiredKeys: [] })
    .map((q) => new URLSearchParams(q as Record<string, string>).toString()),
  fc.string({ maxLength: 120 }).map((s) => encodeURI(s)),
  fc.constant("patient=a&patient=b&patient[x]=1"),
);

describe("hostile input: a property-based fuzzer over every route in /openapi.json", function () {
  let operations: Operation[];
  let token: string;
  let sent = 0;

  const stack = useStack({ rateLimitPerIp: 1_000_000, rateLimitPerWallet: 1_000_000 });

  before(async function () {
    const doc = (await (await fetch(`${stack.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    token = await new GatewayClient(stack.url).signIn(demoWallet(1, stack.provider), stack.deployment.chainId);
  });

  async function send(r: FuzzRequest): Promise<void> {
    const path = r.op.path.replace(/\{\w+\}/g, encodeURIComponent(r.pathValue));
    const headers: Record<string, string> = {};
    if (r.contentType) headers["content-type"] = r.contentType;
    if (r.auth === "valid") headers.authorization = `Bearer ${token}`;
    if (r.auth === "garbage") headers.authorization = "Bearer \u00ff\u00fe garbage";
    const hasBody = r.op.method === "POST" && r.body !== undefined;
    const response = await fetch(`${stack.url}${path}${r.query ? "?" + r.query : ""}`, {
      method: r.op.method,
      headers,
      body: hasBody ? (r.body as BodyInit) : undefined,
    }).catch((err: Error & { cause?: Error }) => {
      throw new Error(`${r.op.method} ${path} failed at the transport: ${err.message} (${err.cause?.message ?? "no cause"})`);
    });
    sent++;
    if (response === undefined) return;
    if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
      // A live-update stream opened: it never ends by itself, so its status is the answer.
      expect(response.status).to.equal(200);
      await response.body?.cancel();
      return;
    }
    const text = await response.text();
    expect(response.status, `${r.op.method} ${path} answered ${response.status}: ${text.slice(0, 200)}`).to.be.lessThan(500);
    if (response.status >= 400) {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
      expect(body.error?.code, `${r.op.method} ${path} error has a code`).to.be.a("string");
      expect(body.error?.message, `${r.op.method} ${path} error has a message`).to.be.a("string");
    }
  }

  it("answers 10,000 malformed requests with zero 5xx, every 4xx carrying a code and a message", async function () {
    this.timeout(240_000);
    const requestArb = fc.record({
      op: fc.constantFrom(...operations),
      pathValue: hostileString.filter((s) => s.length > 0),
      query: queryArb,
      contentType: contentTypeArb,
      body: bodyArb,
      auth: fc.constantFrom("none" as const, "valid" as const, "valid" as const, "garbage" as const),
    });
    // 400 runs of 25 concurrent requests: 10,000 requests, shrunk to a minimal failing batch if one fails.
    await fc.assert(
      fc.asyncProperty(fc.array(requestArb, { minLength: 25, maxLength: 25 }), async (batch) => {
        await Promise.all(batch.map(send));
      }),
      { numRuns: 400 },
    );
    expect(sent).to.be.at.least(10_000);
    console.log(`      fuzzed ${sent} requests over ${operations.length} operations`);
  });

  it("answers hostile /api/rpc calls (caller-chosen code, nested params, huge gas) and other blocks' digests with 4xx, and stays up", async function () {
    this.timeout(120_000);
    const contracts = Object.values(stack.deployment.contracts).map((c) => c.address);
    // Jane's key directory (a document block) asked for as a key bundle.
    const jane = await readyActor(stack, 1);
    const digestOfOtherBlock = await jane.chain.ledger.keyDirectoryOf(jane.address);
    const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: [nested(depth - 1)] });
    const callArb = fc.record({
      to: fc.oneof(fc.constantFrom(...contracts), fc.constant(undefined), hostileString, fc.constant(nested(50))),
      data: fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((b) => "0x" + Buffer.from(b).toString("hex")),
        fc.constant("0x5b600056"),
        hostileString,
      ),
      gas: fc.oneof(
        fc.constant("0xffffffffffffffff"),
        fc.constant("0x" + "f".repeat(80)),
        fc.integer().map(String),
        fc.constant(undefined),
      ),
    });
    const rpcArb = fc.record({
      method: fc.constantFrom("eth_call", "eth_estimateGas", "eth_createAccessList", "eth_getLogs", "eth_call"),
      params: fc.oneof(
        fc.tuple(callArb, fc.constantFrom("latest", "pending", "0x0", nested(20))),
        fc.tuple(callArb, fc.constant("latest"), fc.record({ code: fc.constant("0x5b600056") })),
        fc.constant([nested(200)]),
        fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 6 }),
      ),
      auth: fc.boolean(),
    });
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rpcArb, { minLength: 10, maxLength: 10 }), async (batch) => {
        await Promise.all(
          batch.map(async (r) => {
            const response = await fetch(`${stack.url}/api/rpc`, {
              method: "POST",
              headers: { "content-type": "application/json", ...(r.auth ? { authorization: `Bearer ${token}` } : {}) },
              body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: r.method, params: r.params }),
            });
            answered++;
            expect(response.status, `${r.method} ${(await response.text()).slice(0, 200)}`).to.be.lessThan(500);
          }),
        );
      }),
      { numRuns: 40 },
    );
    for (const path of [`/api/key-bundles/${digestOfOtherBlock}`]) {
      const response = await fetch(stack.url + path, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, path).to.be.within(400, 499);
    }
    const emergency = await fetch(`${stack.url}/api/emergency/${demoWallet(1, stack.provider).address}/key`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ justification: "x".repeat(10_000) }),
    });
    expect(emergency.status).to.be.within(400, 499);
    expect(answered).to.equal(400);
    expect((await fetch(`${stack.url}/healthz`)).status).to.equal(200);
  });
});
