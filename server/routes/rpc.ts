import { Transaction, getAddress, isAddress } from "ethers";
import type { Request } from "express";
import { API } from "../../lib/api";
import { ApiError } from "../errors";
import { bearerToken, type ApiRoutes } from "../routing";
import type { GatewayServices } from "../services/gatewayServices";

/** Cheap reads anyone may make: they cost the node nothing worth limiting. */
const OPEN_READS = new Set([
  "eth_chainId",
  "net_version",
  "eth_blockNumber",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_feeHistory",
  "eth_getBalance",
  "eth_getTransactionCount",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
]);
/** Methods that run code (bounded: the ledger's contracts only, a gas cap, a concurrency cap) — signed-in wallets only. */
const CALLS = new Set(["eth_call", "eth_estimateGas"]);
const SEND = "eth_sendRawTransaction";
/** Largest calldata forwarded: far more than any ledger call needs. */
const MAX_CALLDATA_HEX = 2 + 2 * 16 * 1024;

/**
 * A narrow JSON-RPC pass-through to the ledger's chain for wallets with no RPC of their own (the development wallet).
 * It forwards only what such a wallet needs, so it holds no authority and costs the node little:
 * - cheap reads, to anyone;
 * - `eth_call` / `eth_estimateGas` only to the ledger's own contracts, with the gas capped (RPC_GAS_CAP), no state
 *   overrides, and at most RPC_MAX_CONCURRENT running at once (503 BUSY beyond), for signed-in wallets;
 * - `eth_sendRawTransaction` of a transaction signed by the signed-in wallet itself to one of the ledger's contracts
 *   (journaled, so a local chain that loses its last second replays it);
 * - nothing that signs, unlocks, administers or scans a node (no eth_getLogs: lists come from the gateway's index).
 */
export function rpcRoutes(api: ApiRoutes, services: GatewayServices): void {
  const { config, chain, journal, sessions } = services;
  const contracts = new Set(Object.values(chain.deployment.contracts).map((c) => getAddress(c.address)));
  let running = 0;

  async function requireSession(req: Request, method: string): Promise<string> {
    try {
      return (await sessions.authenticate(bearerToken(req))).address;
    } catch (err) {
      if (err instanceof ApiError) throw new ApiError(err.code, `${method} through this gateway needs a signed-in wallet: ${err.message}`);
      throw err;
    }
  }

  function checkCall(params: unknown[]): unknown[] {
    const [call, blockTag, ...rest] = params;
    if (rest.length > 0) throw bad("body.params", "takes a call and a block tag only (no state overrides)");
    if (typeof call !== "object" || call === null || Array.isArray(call)) throw bad("body.params.0", "must be a call object");
    const c = call as Record<string, unknown>;
    if (typeof c.to !== "string" || !isAddress(c.to) || !contracts.has(getAddress(c.to))) {
      throw new ApiError("FORBIDDEN", "body.params.0.to must be one of the ledger's contracts: this gateway runs no other code.", {
        field: "body.params.0.to",
      });
    }
    const data = c.data ?? c.input;
    if (data !== undefined && (typeof data !== "string" || !/^0x[0-9a-fA-F]*$/.test(data) || data.length > MAX_CALLDATA_HEX)) {
      throw bad("body.params.0.data", `must be 0x-hex of at most ${(MAX_CALLDATA_HEX - 2) / 2} bytes`);
    }
    const asked = typeof c.gas === "string" && /^0x[0-9a-fA-F]+$/.test(c.gas) ? BigInt(c.gas) : BigInt(config.rpcGasCap);
    const gas = asked < BigInt(config.rpcGasCap) ? asked : BigInt(config.rpcGasCap);
    if (blockTag !== undefined && typeof blockTag !== "string") throw bad("body.params.1", "must be a block tag or number");
    const forwarded = { from: c.from, to: c.to, data, value: c.value, gas: "0x" + gas.toString(16) };
    return blockTag === undefined ? [forwarded] : [forwarded, blockTag];
  }

  api.add(API.rpc, async ({ body, req }) => {
    let params = body.params as unknown[];
    let release = (): void => undefined;
    if (body.method === "eth_getBlockByNumber" || body.method === "eth_getBlockByHash") {
      if (params[1] === true) throw bad("body.params.1", "must be false: whole transactions are not forwarded");
    } else if (CALLS.has(body.method)) {
      await requireSession(req, body.method);
      params = checkCall(params);
      if (running >= config.rpcMaxConcurrent)
        throw new ApiError("BUSY", "The gateway is running as many chain calls as it allows; retry in a moment.");
      running++;
      release = () => void running--;
    } else if (body.method === SEND) {
      const wallet = await requireSession(req, body.method);
      const raw = params[0];
      if (params.length !== 1 || typeof raw !== "string") throw bad("body.params", "must be [signed raw transaction]");
      let tx: Transaction;
      try {
        tx = Transaction.from(raw);
      } catch {
        throw bad("body.params.0", "is not a signed raw transaction");
      }
      if (tx.from === null || getAddress(tx.from) !== wallet) {
        throw new ApiError("FORBIDDEN", "Send only transactions signed by the signed-in wallet.", { field: "body.params.0" });
      }
      if (tx.to === null || !contracts.has(getAddress(tx.to))) {
        throw new ApiError("FORBIDDEN", "Send only transactions to the ledger's contracts through this gateway.", {
          field: "body.params.0",
        });
      }
      journal.record(raw, "wallet transaction");
    } else if (!OPEN_READS.has(body.method)) {
      throw new ApiError("FORBIDDEN", `body.method ${body.method} is not forwarded by this gateway.`, { field: "body.method" });
    }
    try {
      // Forwarded as JSON-RPC, not through ethers: the node's own answers (bad params, reverts) go back to the wallet
      // unchanged, and only a node that cannot be reached becomes 503.
      return await fetch(config.chainRpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: body.id, method: body.method, params }),
        signal: AbortSignal.timeout(10_000),
      })
        .then((r) => r.json() as Promise<{ jsonrpc: string; id: unknown }>)
        .catch((err: Error) => {
          throw new ApiError("CHAIN_UNAVAILABLE", `The chain did not answer (${err.message}).`);
        });
    } finally {
      release();
    }
  });
}

function bad(field: string, problem: string): ApiError {
  return new ApiError("BAD_REQUEST", `${field} ${problem}`, { field });
}
