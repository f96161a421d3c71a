import { FetchRequest, HDNodeWallet, JsonRpcProvider, Mnemonic } from "ethers";
import { activeSessionToken } from "../api";
import { DEMO_ACCOUNTS, DEV_MNEMONIC, devAccountPath, type DemoAccount } from "../../../lib/demo/accounts";

/** Demo accounts the development wallet offers (relayers are gateways' accounts and the administrator only manages roles: neither is a person using the app). */
export const DEV_WALLET_ACCOUNTS: readonly DemoAccount[] = DEMO_ACCOUNTS.filter((a) => a.role !== "relayer" && a.role !== "admin");

/**
 * The built-in development wallet: Hardhat's public test keys, held in the page. Only for the local chain —
 * anyone can read these keys, so the app refuses to use them on any other chain.
 */
export function devWallet(account: DemoAccount): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), devAccountPath(account.index));
}

/**
 * The development wallet connected to the chain through the gateway's JSON-RPC pass-through (it has no node of its
 * own), for the few transactions a wallet sends itself. The pass-through takes single requests only, not batches,
 * and runs contract calls only for a signed-in wallet: each request carries the tab's session token.
 */
export function devChainSigner(account: DemoAccount, chainId: number, origin: string = window.location.origin): HDNodeWallet {
  const request = new FetchRequest(`${origin}/api/rpc`);
  request.preflightFunc = async (req) => {
    const token = activeSessionToken();
    if (token !== undefined) req.setHeader("authorization", `Bearer ${token}`);
    return req;
  };
  // The pass-through runs a bounded number of contract calls at once for everyone and answers 503 BUSY beyond it:
  // a busy answer is retried after a pause (ethers' own throttling), so a page opening many records still completes.
  request.processFunc = async (_req, response) => {
    if (response.statusCode === 503 && response.bodyText.includes('"BUSY"'))
      response.throwThrottleError("the gateway is busy", BUSY_RETRY_MS);
    return response;
  };
  request.setThrottleParams({ maxAttempts: BUSY_MAX_ATTEMPTS });
  const provider = new JsonRpcProvider(request, chainId, { staticNetwork: true, batchMaxCount: 1 });
  return devWallet(account).connect(provider);
}

/** Pause before retrying a call the pass-through answered BUSY, and how many attempts in all. */
const BUSY_RETRY_MS = 150;
const BUSY_MAX_ATTEMPTS = 20;

// Deriving an HD key runs PBKDF2; do it once per account, not on every render.
let demoAddresses: Map<string, DemoAccount> | undefined;

function demoAccount(address: string): DemoAccount | undefined {
  demoAddresses ??= new Map(DEV_WALLET_ACCOUNTS.map((a) => [devWallet(a).address.toLowerCase(), a]));
  return demoAddresses.get(address.toLowerCase());
}

/** The demo name of an address, when it is one of the development accounts. */
export function demoName(address: string): string | undefined {
  return demoAccount(address)?.name;
}

/** The organization a demo provider works for (the registry stores no organization; the demo cast does). */
export function demoOrganization(address: string): string | undefined {
  return demoAccount(address)?.organization;
}
