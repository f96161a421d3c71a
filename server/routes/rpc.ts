import { z } from "zod";
import { ApiError } from "../errors";
import type { ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

/**
 * Methods a wallet needs to read the ledger and submit transactions it signed itself. Nothing that signs,
 * unlocks or administers a node is forwarded, so the proxy holds no authority of its own.
 */
const FORWARDED = new Set([
  "eth_chainId",
  "net_version",
  "eth_blockNumber",
  "eth_call",
  "eth_estimateGas",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_feeHistory",
  "eth_getBalance",
  "eth_getCode",
  "eth_getTransactionCount",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getLogs",
  "eth_sendRawTransaction",
]);

const rpcBody = z.object({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string().max(64), z.number().int()]),
  method: z.string().max(64),
  params: z.array(z.unknown()).max(8).default([]),
});

/** A narrow JSON-RPC pass-through to the ledger's chain, for wallets (like the development wallet) that have no RPC of their own. */
export function rpcRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { chain } = services;

  api.add(
    {
      method: "post",
      path: "/api/rpc",
      summary: "Forward one read or one signed raw transaction to the ledger's chain (a fixed list of eth_ methods)",
      tag: "chain",
      auth: false,
      body: rpcBody,
      responses: { 200: { description: "The node's JSON-RPC answer", schema: z.object({ jsonrpc: z.string(), id: z.unknown(), result: z.unknown().optional(), error: z.unknown().optional() }) } },
      errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE"],
    },
    async ({ body, res }) => {
      if (!FORWARDED.has(body.method)) throw new ApiError("FORBIDDEN", `body.method ${body.method} is not forwarded by this gateway.`, { field: "body.method" });
      try {
        const result: unknown = await chain.read(() => chain.provider.send(body.method, body.params));
        res.json({ jsonrpc: "2.0", id: body.id, result });
      } catch (err) {
        if (err instanceof ApiError) throw err;
        // The node refused the call (a revert, a bad nonce): pass its error through as JSON-RPC does.
        const e = err as { error?: { code?: number; message?: string; data?: unknown }; shortMessage?: string };
        res.json({ jsonrpc: "2.0", id: body.id, error: { code: e.error?.code ?? -32000, message: e.error?.message ?? e.shortMessage ?? "call failed", data: e.error?.data } });
      }
    },
  );
}
