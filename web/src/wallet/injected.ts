import { BrowserProvider, type Eip1193Provider, type JsonRpcSigner } from "ethers";

/** A browser wallet announced through EIP-6963. */
export interface InjectedWallet {
  uuid: string;
  name: string;
  icon: string;
  provider: Eip1193Provider;
}

interface AnnounceEvent extends Event {
  detail: { info: { uuid: string; name: string; icon: string; rdns: string }; provider: Eip1193Provider };
}

/**
 * Discovers injected wallets by EIP-6963 (every EIP-1193 wallet that announces itself), calling `onWallet`
 * for each. Returns a function that stops listening.
 */
export function discoverWallets(onWallet: (wallet: InjectedWallet) => void): () => void {
  const listener = (event: Event): void => {
    const { info, provider } = (event as AnnounceEvent).detail;
    onWallet({ uuid: info.uuid, name: info.name, icon: info.icon, provider });
  };
  window.addEventListener("eip6963:announceProvider", listener);
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  return () => window.removeEventListener("eip6963:announceProvider", listener);
}

/** Thrown when the wallet is on another chain than the ledger's. */
export class WrongNetworkError extends Error {
  constructor(
    readonly walletChainId: number,
    readonly ledgerChainId: number,
  ) {
    super(`Your wallet is on chain ${walletChainId}; the ledger is on chain ${ledgerChainId}. Switch networks in your wallet.`);
  }
}

/** Connects to an injected wallet and checks it is on the ledger's chain. */
export async function connectInjected(wallet: InjectedWallet, chainId: number): Promise<JsonRpcSigner> {
  const provider = new BrowserProvider(wallet.provider);
  await provider.send("eth_requestAccounts", []);
  const network = await provider.getNetwork();
  if (Number(network.chainId) !== chainId) throw new WrongNetworkError(Number(network.chainId), chainId);
  return provider.getSigner();
}

/** Asks the wallet to switch to the ledger's chain (EIP-3326). */
export async function switchChain(wallet: InjectedWallet, chainId: number): Promise<void> {
  await wallet.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x" + chainId.toString(16) }] });
}

/**
 * Calls `onChange` when the wallet switches account or network (EIP-1193 `accountsChanged` / `chainChanged`), so a
 * session signed by one account on one chain is not used for another. Returns a function that stops listening.
 */
export function watchWallet(wallet: InjectedWallet, onChange: (what: "account" | "network") => void): () => void {
  const events = wallet.provider as Eip1193Provider & {
    on?: (event: string, listener: (...args: unknown[]) => void) => void;
    removeListener?: (event: string, listener: (...args: unknown[]) => void) => void;
  };
  if (typeof events.on !== "function") return () => undefined;
  const onAccounts = (): void => onChange("account");
  const onChain = (): void => onChange("network");
  events.on("accountsChanged", onAccounts);
  events.on("chainChanged", onChain);
  return () => {
    events.removeListener?.("accountsChanged", onAccounts);
    events.removeListener?.("chainChanged", onChain);
  };
}
