import { HDNodeWallet, Mnemonic, NonceManager, keccak256, toUtf8Bytes, type Provider } from "ethers";
import { ProviderRegistry__factory, ConsentLedger__factory } from "../typechain-types";
import { deriveEncryptionKeyPair, bytesToHex } from "../lib/crypto";
import { DEMO_ACCOUNTS, DEV_MNEMONIC, devAccountPath, type DemoAccount } from "../lib/demo/accounts";
import type { Deployment } from "../lib/deployment/deployment";

/** A development-mnemonic wallet for a demo account, connected to `provider`. */
export function demoWallet(account: DemoAccount | number, provider: Provider): HDNodeWallet {
  const index = typeof account === "number" ? account : account.index;
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), devAccountPath(index)).connect(provider);
}

/** The X25519 public key a wallet derives with the same signature-based derivation the web app uses. */
export async function walletEncryptionKey(wallet: HDNodeWallet): Promise<string> {
  const pair = await deriveEncryptionKeyPair(wallet.address, (domain, types, message) => wallet.signTypedData(domain, types, message));
  return bytesToHex(pair.publicKey);
}

/**
 * Seeds the local demo with synthetic people only: registers the demo doctors (with their wallet-derived
 * encryption keys), gives the auditor its role and publishes the demo patients' encryption keys.
 */
export async function seedDemo(deployment: Deployment, provider: Provider, log: (line: string) => void = () => undefined): Promise<void> {
  const operator = new NonceManager(demoWallet(0, provider));
  const registry = ProviderRegistry__factory.connect(deployment.contracts.ProviderRegistry.address, operator);
  for (const account of DEMO_ACCOUNTS) {
    const wallet = demoWallet(account, provider);
    if (account.role === "doctor") {
      const key = await walletEncryptionKey(wallet);
      const licence = keccak256(toUtf8Bytes(`DEMO-LICENCE-${account.index}`));
      await (await registry.verifyProvider(wallet.address, licence, account.name, key, account.emergencyCapable ?? false)).wait();
      log(`verified provider ${account.name} (${wallet.address})`);
    } else if (account.role === "auditor") {
      await (await registry.grantRole(await registry.AUDITOR_ROLE(), wallet.address)).wait();
      log(`auditor role for ${account.name} (${wallet.address})`);
    } else if (account.role === "patient") {
      const ledger = ConsentLedger__factory.connect(deployment.contracts.ConsentLedger.address, wallet);
      await (await ledger.setEncryptionKey(await walletEncryptionKey(wallet))).wait();
      log(`patient ${account.name} (${wallet.address}) published an encryption key`);
    }
  }
}
