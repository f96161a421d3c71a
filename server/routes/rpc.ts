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
  const { config } = services;

  api.add(
    {
      method: "post",
      path: "/api/rpc",
      summary: "Forward one read or one signed raw transaction to the ledger's chain (a fixed list of eth_ methods)",
      tag: "chain",
      auth: false,
      body: rpcBody,
      responses: {
        200: {
          description: "The node's JSON-RPC answer",
          schema: z.object({ jsonrpc: z.string(), id: z.unknown(), result: z.unknown().optional(), error: z.unknown().optional() }),
        },
      },
      errors: ["BAD_REQUEST", "FORBIDDEN", "CHAIN_UNAVAILABLE"],
    },
    async ({ body, res }) => {
      if (!FORWARDED.has(body.method))
        throw new ApiError("FORBIDDEN", `body.method ${body.method} is not forwarded by this gateway.`, { field: "body.method" });
      // Forwarded as JSON-RPC, not through ethers: the node's own error answers (bad params, reverts) go back to the
      // wallet unchanged, and only a node that cannot be reached becomes 503.
      const answer = await fetch(config.chainRpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: body.id, method: body.method, params: body.params }),
        signal: AbortSignal.timeout(10_000),
      })
        .then((r) => r.json() as Promise<unknown>)
        .catch((err: Error) => {
          throw new ApiError("CHAIN_UNAVAILABLE", `The chain did not answer (${err.message}).`);
        });
      res.json(answer);
    },
  );
}
