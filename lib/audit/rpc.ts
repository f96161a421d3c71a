/**
 * A lean JSON-RPC client over `fetch` (browsers and Node 18+ alike) for the audit scanner.
 *
 * Why not ethers' `JsonRpcProvider`: in Node, ethers v6 grows a response body by copying it whole for every chunk
 * received, which is quadratic in the body size; one `eth_getLogs` page of a few thousand logs (megabytes of JSON)
 * then takes seconds instead of milliseconds. Anything with `send` still works with the scanner.
 */

/** A JSON-RPC error answered by the node: `message` and `code` as the node sent them. */
export class RpcError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

/** One call of a batch. */
export interface RpcCall {
  method: string;
  params: unknown[];
}

/** A JSON-RPC connection that can also send several calls in one HTTP request. */
export interface BatchRpc {
  send(method: string, params: unknown[]): Promise<unknown>;
  /** Sends calls as one JSON-RPC batch; answers in call order, each an error or a result. */
  batch(calls: readonly RpcCall[]): Promise<Array<{ result?: unknown; error?: RpcError }>>;
}

/** Options of {@link httpRpc}. */
export interface HttpRpcOptions {
  /** Milliseconds before a call counts as failed (default 60 s: a large `eth_getLogs` page can take a while). */
  timeoutMs?: number;
  /** Extra headers (an API key, basic auth). */
  headers?: Record<string, string>;
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * A JSON-RPC client for an HTTP(S) endpoint.
 *
 * @example
 * const rpc = httpRpc("http://127.0.0.1:8545");
 * const head = Number(await rpc.send("eth_blockNumber", []));
 */
export function httpRpc(url: string, options: HttpRpcOptions = {}): BatchRpc {
  let nextId = 1;
  const post = async (body: unknown): Promise<unknown> => {
    // A timer we clear ourselves: AbortSignal.timeout() would keep each request (and its response) reachable until
    // the timeout fires, which for a scan of many large pages is a lot of memory held for nothing.
    const abort = new AbortController();
    const timer = setTimeout(
      () => abort.abort(new Error(`no answer within ${options.timeoutMs ?? 60_000} ms`)),
      options.timeoutMs ?? 60_000,
    );
    try {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...options.headers },
          body: JSON.stringify(body),
          signal: abort.signal,
        });
      } catch (err) {
        throw new Error(`${url} is not reachable: ${(err as Error).message}`, { cause: err });
      }
      const text = await response.text();
      if (!response.ok) throw new RpcError(`HTTP ${response.status} from ${url}: ${text.slice(0, 200)}`, response.status);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new RpcError(`${url} answered with something that is not JSON: ${text.slice(0, 200)}`, -32700);
      }
    } finally {
      clearTimeout(timer);
    }
  };
  const toError = (e: NonNullable<RpcResponse["error"]>): RpcError => new RpcError(e.message, e.code, e.data);
  return {
    async send(method, params) {
      const answer = (await post({ jsonrpc: "2.0", id: nextId++, method, params })) as RpcResponse;
      if (answer.error !== undefined) throw toError(answer.error);
      return answer.result;
    },
    async batch(calls) {
      if (calls.length === 0) return [];
      const first = nextId;
      nextId += calls.length;
      const answers = await post(calls.map((c, i) => ({ jsonrpc: "2.0", id: first + i, method: c.method, params: c.params })));
      if (!Array.isArray(answers)) {
        const single = answers as RpcResponse;
        throw single.error !== undefined ? toError(single.error) : new RpcError(`${url} does not accept JSON-RPC batches`, -32600);
      }
      const byId = new Map((answers as RpcResponse[]).map((a) => [a.id, a]));
      return calls.map((_, i) => {
        const a = byId.get(first + i);
        if (a === undefined) return { error: new RpcError("no answer to this call of the batch", -32603) };
        return a.error !== undefined ? { error: toError(a.error) } : { result: a.result };
      });
    },
  };
}
