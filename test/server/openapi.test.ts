import { expect } from "chai";
import { useStack } from "../support/stack";

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown; parameters?: unknown[] }>>;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every (method, path) the Express app actually serves, walked from its router stack. */
function servedRoutes(stack: Layer[]): string[] {
  const found: string[] = [];
  for (const layer of stack) {
    if (layer.route) for (const method of Object.keys(layer.route.methods)) found.push(`${method} ${layer.route.path}`);
    if (layer.handle?.stack) found.push(...servedRoutes(layer.handle.stack));
  }
  return found;
}

describe("/openapi.json", function () {
  let doc: OpenApiDoc;

  const stack = useStack();

  before(async function () {
    doc = (await (await fetch(`${stack.url}/openapi.json`)).json()) as OpenApiDoc;
  });

  it("documents every route the gateway serves, and nothing it does not", async function () {
    const app = stack.gateway.app as unknown as { router: { stack: Layer[] } };
    const served = servedRoutes(app.router.stack)
      // The peer exchange (/ipfs/…) speaks the IPFS Trustless Gateway protocol to other organizations, not this API.
      .filter((r) => r !== "get /openapi.json" && !r.startsWith("get /^") && !r.includes(" /ipfs"))
      .map((r) => r.replace(/:(\w+)/g, "{$1}"))
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`))
      .sort();
    expect(documented).to.deep.equal(served);
    expect(documented).to.include.members([
      "post /api/records",
      "get /api/records/{cid}",
      "post /api/grants",
      "get /api/disclosures/verify",
    ]);
  });

  it("gives every route an error response with the Error schema and every body route a request body", function () {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // The liveness probe answers 200 or nothing at all (no limiter, no input): it has no error to document.
        if (path !== "/healthz")
          expect(
            Object.keys(op.responses).some((s) => Number(s) >= 400),
            `${method} ${path} documents its errors`,
          ).to.equal(true);
        if (method === "post" && path !== "/api/auth/nonce" && path !== "/api/auth/sign-out")
          expect(op.requestBody, `${method} ${path} documents its body`).to.not.equal(undefined);
      }
    }
  });

  it("types body numbers as integers (never null) and query numbers as decimal-digit strings", function () {
    type Schema = { type?: unknown; pattern?: string; properties?: Record<string, { type?: unknown }> };
    const announce = (doc.paths["/api/records/announce"].post.requestBody as { content: Record<string, { schema: Schema }> }).content[
      "application/json"
    ].schema;
    expect(announce.properties?.category?.type).to.equal("integer");
    expect(announce.properties?.deadline?.type).to.equal("integer");
    const params = doc.paths["/api/records"].get.parameters as { name: string; schema: Schema }[];
    const category = params.find((p) => p.name === "category")?.schema;
    expect([category?.type, category?.pattern]).to.deep.equal(["string", "^(0|[1-9][0-9]{0,15})$"]);
  });

  it("answers every documented path with its declared statuses, not with a 404 for an unknown route", async function () {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const url = stack.url + path.replace(/\{\w+\}/g, "x");
        const response = await fetch(url, { method: method.toUpperCase() });
        const body = (await response.json().catch(() => ({}))) as { error?: { code: string } };
        expect(body.error?.code, `${method} ${path}`).to.not.equal("NOT_FOUND");
        expect(response.status, `${method} ${path}`).to.be.lessThan(500);
      }
    }
  });
});
