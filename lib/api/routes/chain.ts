import { z } from "zod";
import { route } from "../route";

/**
 * JSON-RPC request of the wallet pass-through (flat params: no nesting beyond what wallets send). A short array of
 * numbers is eth_feeHistory's reward percentiles (`["0x4", "latest", [25, 75]]`), which wallets send for EIP-1559 fees.
 */
const rpcParam = z.union([
  z.string().max(65_536),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.number()).max(100),
  z.record(z.string(), z.union([z.string().max(65_536), z.number(), z.boolean(), z.null()])),
]);

/** A narrow JSON-RPC pass-through to the ledger's chain, for wallets with no RPC of their own. */
export const chainRoutes = {
  rpc: route({
    method: "post",
    path: "/api/rpc",
    summary:
      "Forward one chain read or one signed raw transaction (fixed list of eth_ methods; calls only to the ledger's contracts, gas-capped)",
    tag: "chain",
    auth: false,
    body: z.object({
      jsonrpc: z.literal("2.0"),
      id: z.union([z.string().max(64), z.number().int()]),
      method: z.string().max(64),
      params: z.array(rpcParam).max(4).default([]),
    }),
    status: 200,
    response: {
      description: "The node's JSON-RPC answer",
      schema: z.object({ jsonrpc: z.string(), id: z.unknown(), result: z.unknown().optional(), error: z.unknown().optional() }),
    },
    errors: ["BAD_REQUEST", "FORBIDDEN", "UNAUTHENTICATED", "SESSION_EXPIRED", "BUSY", "CHAIN_UNAVAILABLE"],
  }),
};
