import { JsonRpcProvider, NonceManager, Wallet, getAddress, type Provider, type Signer } from "ethers";
import {
  ConsentLedger__factory,
  DisclosureAnchor__factory,
  ProviderRegistry__factory,
  RecordIndex__factory,
  type ProviderRegistry,
} from "../typechain-types";
import { CONTRACT_NAMES, type ContractName, type Deployment, type DeployedContract } from "../lib/deployment/deployment";
import { readDeployment, writeDeployment } from "../lib/deployment/deploymentFile";

/** Options for {@link deployAll}. */
export interface DeployOptions {
  /** Folder holding `<chainId>.json`. */
  deploymentsDir: string;
  /**
   * The registrar (a health authority) given the registry's REGISTRAR_ROLE. When it is not the deployer, the deployer
   * gives up the REGISTRAR_ROLE the registry's constructor gave it, so the administrator manages roles but verifies
   * no provider itself. Omitted: the deployer stays the registrar.
   */
  registrar?: string;
  /** Addresses given the registry's GATEWAY_ROLE (gateway relayers: they may anchor disclosure-log roots). */
  gateways?: string[];
  /** Log line sink; silent when omitted. */
  log?: (line: string) => void;
}

/**
 * Deploys and wires the four contracts, or reuses them when the deployments file of this chain names addresses that
 * all hold code (idempotent: running it twice deploys once). Then makes the configured roles true, sending a
 * transaction only for a role not held yet.
 */
export async function deployAll(signer: Signer, options: DeployOptions): Promise<Deployment> {
  // Several transactions go out back to back; count nonces locally rather than trust a cached pending count.
  const deployer = signer instanceof NonceManager ? signer : new NonceManager(signer);
  const provider = deployer.provider;
  if (provider === null) throw new Error("The deployer must be connected to a chain.");
  const log = options.log ?? (() => undefined);
  const chainId = Number((await provider.getNetwork()).chainId);

  const existing = await readDeployment(options.deploymentsDir, chainId);
  let deployment: Deployment;
  if (existing !== undefined && (await allHaveCode(existing, provider))) {
    log(`contracts already deployed on chain ${chainId}; reusing deployments/${chainId}.json`);
    deployment = existing;
  } else {
    deployment = await deployContracts(deployer, chainId, log);
    await writeDeployment(options.deploymentsDir, deployment);
  }
  const registry = ProviderRegistry__factory.connect(deployment.contracts.ProviderRegistry.address, deployer);
  await ensureRoles(registry, getAddress(await deployer.getAddress()), options, log);
  return deployment;
}

/** Whether every contract the deployments file names has code on the chain (a wiped chain has none). */
async function allHaveCode(deployment: Deployment, provider: Provider): Promise<boolean> {
  for (const name of CONTRACT_NAMES) {
    const entry = deployment.contracts[name] as DeployedContract | undefined;
    if (entry === undefined || (await provider.getCode(entry.address)) === "0x") return false;
  }
  return true;
}

/** Deploys the four contracts in order, each wired to the one before. */
async function deployContracts(deployer: NonceManager, chainId: number, log: (line: string) => void): Promise<Deployment> {
  const admin = await deployer.getAddress();
  const registry = await new ProviderRegistry__factory(deployer).deploy(admin);
  await registry.waitForDeployment();
  const ledger = await new ConsentLedger__factory(deployer).deploy(await registry.getAddress());
  await ledger.waitForDeployment();
  const records = await new RecordIndex__factory(deployer).deploy(await ledger.getAddress());
  await records.waitForDeployment();
  const anchor = await new DisclosureAnchor__factory(deployer).deploy(await registry.getAddress());
  await anchor.waitForDeployment();

  const deployed = [registry, ledger, records, anchor];
  const abis = [ProviderRegistry__factory.abi, ConsentLedger__factory.abi, RecordIndex__factory.abi, DisclosureAnchor__factory.abi];
  const contracts = {} as Record<ContractName, DeployedContract>;
  for (const [i, name] of CONTRACT_NAMES.entries()) {
    const receipt = await deployed[i].deploymentTransaction()?.wait();
    contracts[name] = { address: await deployed[i].getAddress(), blockNumber: receipt?.blockNumber ?? 0, abi: abis[i] };
    log(`${name} deployed at ${contracts[name].address}`);
  }
  return { chainId, contracts };
}

/** Grants REGISTRAR_ROLE and GATEWAY_ROLE as configured (the registry connected as `deployer`), each only if not held yet. */
async function ensureRoles(
  registry: ProviderRegistry,
  deployer: string,
  options: DeployOptions,
  log: (line: string) => void,
): Promise<void> {
  if (options.registrar !== undefined) {
    const registrar = getAddress(options.registrar);
    const role = await registry.REGISTRAR_ROLE();
    if (!(await registry.hasRole(role, registrar))) {
      await (await registry.grantRole(role, registrar)).wait();
      log(`REGISTRAR_ROLE granted to ${registrar}`);
    }
    if (registrar !== deployer && (await registry.hasRole(role, deployer))) {
      await (await registry.renounceRole(role, deployer)).wait();
      log(`the deployer ${deployer} gave up REGISTRAR_ROLE (the registrar is ${registrar})`);
    }
  }
  const gatewayRole = await registry.GATEWAY_ROLE();
  for (const gateway of (options.gateways ?? []).map((a) => getAddress(a))) {
    if (!(await registry.hasRole(gatewayRole, gateway))) {
      await (await registry.grantRole(gatewayRole, gateway)).wait();
      log(`GATEWAY_ROLE granted to ${gateway}`);
    }
  }
}

/** Comma-separated addresses from an environment variable (empty entries ignored). */
function addressList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
}

/**
 * CLI: `CHAIN_RPC_URL=… DEPLOYER_PRIVATE_KEY=… [REGISTRAR_ADDRESS=0x…] [GATEWAY_ADDRESSES=0x…,0x…] npx ts-node
 * scripts/deploy.ts` deploys to any EVM JSON-RPC endpoint.
 */
async function main(): Promise<void> {
  const rpcUrl = process.env.CHAIN_RPC_URL;
  const key = process.env.DEPLOYER_PRIVATE_KEY;
  if (!rpcUrl || !key) {
    console.error("Set CHAIN_RPC_URL (the JSON-RPC endpoint) and DEPLOYER_PRIVATE_KEY (a funded account) to deploy.");
    process.exit(2);
  }
  const deployer = new Wallet(key, new JsonRpcProvider(rpcUrl));
  await deployAll(deployer, {
    deploymentsDir: process.env.DEPLOYMENTS_DIR ?? "deployments",
    registrar: process.env.REGISTRAR_ADDRESS || undefined,
    gateways: addressList(process.env.GATEWAY_ADDRESSES),
    log: console.log,
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
