import { HDNodeWallet, Mnemonic, NonceManager, getAddress, keccak256, toUtf8Bytes, type Provider } from "ethers";
import { ConsentLedger__factory, ProviderRegistry__factory, type ProviderRegistry } from "../typechain-types";
import { deriveEncryptionKeyPair, bytesToHex } from "../lib/crypto";
import { DEMO_ACCOUNTS, DEV_MNEMONIC, demoAccountWithRole, devAccountPath, type DemoAccount } from "../lib/demo/accounts";
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

/** The synthetic licence hash the demo registrar records for a demo provider. */
export function demoLicenceHash(account: DemoAccount): string {
  return keccak256(toUtf8Bytes(`DEMO-LICENCE-${account.index}`));
}

/**
 * Seeds the local demo with synthetic people only, idempotently: every write is preceded by a read of the state it
 * would set, and skipped when the chain already says so, so seeding a persisted chain again sends no transaction.
 *
 * - the administrator (0) gives the registrar (6) REGISTRAR_ROLE, the auditor (4) AUDITOR_ROLE and the gateway
 *   relayers (7, 8) GATEWAY_ROLE;
 * - the registrar verifies each demo provider with its name, kind and emergency flag;
 * - each provider and each patient publishes its own wallet-derived encryption key from its own account (nobody
 *   else can: the registry holds no key).
 *
 * Patients' key directories are not published here.
 */
export async function seedDemo(deployment: Deployment, provider: Provider, log: (line: string) => void = () => undefined): Promise<void> {
  const admin = new NonceManager(demoWallet(demoAccountWithRole("admin"), provider));
  const registrarAccount = demoAccountWithRole("registrar");
  const registryAddress = deployment.contracts.ProviderRegistry.address;
  const asAdmin = ProviderRegistry__factory.connect(registryAddress, admin);

  await ensureRole(asAdmin, await asAdmin.REGISTRAR_ROLE(), registrarAccount, provider, log);
  await ensureRole(asAdmin, await asAdmin.AUDITOR_ROLE(), demoAccountWithRole("auditor"), provider, log);
  for (const relayer of DEMO_ACCOUNTS.filter((a) => a.role === "relayer")) {
    await ensureRole(asAdmin, await asAdmin.GATEWAY_ROLE(), relayer, provider, log);
  }

  const asRegistrar = ProviderRegistry__factory.connect(registryAddress, demoWallet(registrarAccount, provider));
  for (const account of DEMO_ACCOUNTS.filter((a) => a.role === "provider")) {
    await ensureVerified(asRegistrar, account, provider, log);
  }

  for (const account of DEMO_ACCOUNTS.filter((a) => a.role === "provider" || a.role === "patient")) {
    const wallet = demoWallet(account, provider);
    const ledger = ConsentLedger__factory.connect(deployment.contracts.ConsentLedger.address, wallet);
    const key = await walletEncryptionKey(wallet);
    if ((await ledger.encryptionKeyOf(wallet.address)) === key) continue;
    await (await ledger.setEncryptionKey(key)).wait();
    log(`${account.name} (${wallet.address}) published its encryption key`);
  }
}

/** Grants `role` to a demo account unless it holds it already. */
async function ensureRole(
  registry: ProviderRegistry,
  role: string,
  account: DemoAccount,
  provider: Provider,
  log: (line: string) => void,
): Promise<void> {
  const address = demoWallet(account, provider).address;
  if (await registry.hasRole(role, address)) return;
  await (await registry.grantRole(role, address)).wait();
  log(`${account.name} (${address}) given role ${role}`);
}

/** Verifies a demo provider unless the registry already holds it, active, exactly as the demo describes it. */
async function ensureVerified(registry: ProviderRegistry, account: DemoAccount, provider: Provider, log: (line: string) => void) {
  const address = getAddress(demoWallet(account, provider).address);
  const licence = demoLicenceHash(account);
  const kind = account.kind;
  if (kind === undefined) throw new Error(`Demo provider ${account.name} has no provider kind.`);
  const emergencyCapable = account.emergencyCapable ?? false;
  const current = await registry.providerOf(address);
  const upToDate =
    current.active &&
    current.name === account.name &&
    current.licenceHash === licence &&
    Number(current.kind) === kind &&
    current.emergencyCapable === emergencyCapable;
  if (upToDate) return;
  await (await registry.verifyProvider(address, licence, account.name, kind, emergencyCapable)).wait();
  log(`verified provider ${account.name} (${address})`);
}
