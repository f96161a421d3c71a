import { HDNodeWallet, Mnemonic } from "ethers";
import { DEMO_ACCOUNTS, DEV_MNEMONIC, devAccountPath, type DemoAccount } from "../../../lib/demo/accounts";

/** Demo accounts the development wallet offers (the operator account is the gateway's, not a person's). */
export const DEV_WALLET_ACCOUNTS: readonly DemoAccount[] = DEMO_ACCOUNTS.filter((a) => a.role !== "operator");

/**
 * The built-in development wallet: Hardhat's public test keys, held in the page. Only for the local chain —
 * anyone can read these keys, so the app refuses to use them on any other chain.
 */
export function devWallet(account: DemoAccount): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), devAccountPath(account.index));
}

/** The demo name of an address, when it is one of the development accounts. */
export function demoName(address: string): string | undefined {
  return DEV_WALLET_ACCOUNTS.find((a) => devWallet(a).address.toLowerCase() === address.toLowerCase())?.name;
}
