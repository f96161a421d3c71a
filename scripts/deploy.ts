import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { JsonRpcProvider, NonceManager, Wallet, type Signer } from "ethers";
import { ConsentLedger__factory, DisclosureAnchor__factory, ProviderRegistry__factory, RecordIndex__factory } from "../typechain-types";
import { CONTRACT_NAMES, type Deployment, type DeployedContract } from "../lib/deployment/deployment";

/** Options for {@link deployAll}. */
export interface DeployOptions {
  /** Folder holding `<chainId>.json`. */
  deploymentsDir: string;
  /** Addresses given the registry's GATEWAY_ROLE (they may anchor disclosure-log roots). */
  gateways?: string[];
  /** Log line sink; silent when omitted. */
  log?: (line: string) => void;
}

/** Path of the deployments file for a chain. */
export function deploymentPath(deploymentsDir: string, chainId: number): string {
  return path.join(deploymentsDir, `${chainId}.json`);
}

/** Reads a chain's deployments file, or undefined when there is none. */
export async function readDeployment(deploymentsDir: string, chainId: number): Promise<Deployment | undefined> {
  try {
    return JSON.parse(await readFile(deploymentPath(deploymentsDir, chainId), "utf8")) as Deployment;
  } catch {
    return undefined;
  }
}

/**
 * Deploys and wires the four contracts, or reuses them when the deployments file for this chain names
 * addresses that hold code already (idempotent: running it twice deploys once).
 */
export async function deployAll(signer: Signer, options: DeployOptions): Promise<Deployment> {
  // Several transactions go out back to back; count nonces locally rather than trust a cached pending count.
  const deployer = signer instanceof NonceManager ? signer : new NonceManager(signer);
  const provider = deployer.provider;
  if (provider === null) throw new Error("The deployer must be connected to a chain.");
  const log = options.log ?? (() => undefined);
  const chainId = Number((await provider.getNetwork()).chainId);

  const existing = await readDeployment(options.deploymentsDir, chainId);
  if (existing !== undefined && (await allHaveCode(existing))) {
    log(`contracts already deployed on chain ${chainId}; reusing deployments/${chainId}.json`);
    await grantGatewayRoles(existing, deployer, options.gateways ?? []);
    return existing;
  }

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
  const contracts = {} as Record<(typeof CONTRACT_NAMES)[number], DeployedContract>;
  for (const [i, name] of CONTRACT_NAMES.entries()) {
    const receipt = await deployed[i].deploymentTransaction()?.wait();
    contracts[name] = { address: await deployed[i].getAddress(), blockNumber: receipt?.blockNumber ?? 0, abi: abis[i] };
    log(`${name} deployed at ${contracts[name].address}`);
  }
  const deployment: Deployment = { chainId, contracts };
  await mkdir(options.deploymentsDir, { recursive: true });
  await writeFile(deploymentPath(options.deploymentsDir, chainId), JSON.stringify(deployment, null, 2) + "\n");
  await grantGatewayRoles(deployment, deployer, options.gateways ?? []);

  async function allHaveCode(d: Deployment): Promise<boolean> {
    for (const name of CONTRACT_NAMES) {
      const entry = d.contracts[name];
      if (entry === undefined || (await provider!.getCode(entry.address)) === "0x") return false;
    }
    return true;
  }
  return deployment;
}

async function grantGatewayRoles(deployment: Deployment, deployer: Signer, gateways: string[]): Promise<void> {
  const registry = ProviderRegistry__factory.connect(deployment.contracts.ProviderRegistry.address, deployer);
  const role = await registry.GATEWAY_ROLE();
  for (const gateway of gateways) {
    if (!(await registry.hasRole(role, gateway))) await (await registry.grantRole(role, gateway)).wait();
  }
}

/** CLI: `CHAIN_RPC_URL=… DEPLOYER_PRIVATE_KEY=… npm run deploy` deploys to any EVM JSON-RPC endpoint. */
async function main(): Promise<void> {
  const rpcUrl = process.env.CHAIN_RPC_URL;
  const key = process.env.DEPLOYER_PRIVATE_KEY;
  if (!rpcUrl || !key) {
    console.error("Set CHAIN_RPC_URL (the JSON-RPC endpoint) and DEPLOYER_PRIVATE_KEY (a funded account) to deploy.");
    process.exit(2);
  }
  const deployer = new Wallet(key, new JsonRpcProvider(rpcUrl));
  const gateways = (process.env.GATEWAY_ADDRESSES ?? "").split(",").filter(Boolean);
  await deployAll(deployer, { deploymentsDir: process.env.DEPLOYMENTS_DIR ?? "deployments", gateways, log: console.log });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
