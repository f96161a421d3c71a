import http from "node:http";
import type { AddressInfo } from "node:net";

/** What a default Besu node allows one `eth_getLogs` call (`--rpc-max-logs-range`). */
export const BESU_MAX_LOGS_RANGE = 5000;

interface RpcRequest {
  id: unknown;
  method: string;
  params?: unknown[];
}

/** A running proxy: its URL, and how many calls of each method went through it. */
export interface BesuLikeProxy {
  url: string;
  calls: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A JSON-RPC proxy in front of a test chain that behaves like a default Besu node where it matters to the gateway:
 * `eth_getLogs` over more than 5,000 blocks is refused with Besu's error, whatever the node behind would do.
 * Single calls and batches are both forwarded; it counts calls per method so a test can show a cost is flat.
 */
export async function startBesuLikeProxy(upstream: string): Promise<BesuLikeProxy> {
  const calls = new Map<string, number>();
  const refuse = (request: RpcRequest): unknown => {
    if (request.method !== "eth_getLogs") return undefined;
    const filter = (request.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
    const from = filter.fromBlock?.startsWith("0x") ? Number(filter.fromBlock) : 0;
    const to = filter.toBlock?.startsWith("0x") ? Number(filter.toBlock) : Number.MAX_SAFE_INTEGER;
    if (to - from + 1 <= BESU_MAX_LOGS_RANGE) return undefined;
    return { jsonrpc: "2.0", id: request.id, error: { code: -32005, message: `Requested max range exceeded: ${BESU_MAX_LOGS_RANGE}` } };
  };
  const forward = async (body: unknown): Promise<unknown> => {
    const response = await fetch(upstream, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return response.json();
  };
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (d: Buffer) => (text += d.toString()));
    req.on("end", () => {
      void (async () => {
        const body = JSON.parse(text) as RpcRequest | RpcRequest[];
        const requests = Array.isArray(body) ? body : [body];
        for (const r of requests) calls.set(r.method, (calls.get(r.method) ?? 0) + 1);
        const answers = await Promise.all(requests.map(async (r) => refuse(r) ?? forward(r)));
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
      })().catch((err: Error) => {
        res.statusCode = 502;
        res.end(err.message);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
