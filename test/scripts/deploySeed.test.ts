import { expect } from "chai";
import { ethers } from "hardhat";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConsentLedger__factory, ProviderRegistry__factory } from "../../typechain-types";
import { DEMO_ACCOUNTS, demoAccountWithRole } from "../../lib/demo/accounts";
import { readDeployment } from "../../lib/deployment/deploymentFile";
import type { Deployment } from "../../lib/deployment/deployment";
import { deployAll } from "../../scripts/deploy";
import { demoLicenceHash, demoWallet, seedDemo, walletEncryptionKey } from "../../scripts/seed";

/**
 * The deploy and seed scripts against Hardhat's in-process chain: they must be safe to run again on a chain that
 * persists (Anvil with its state file), deploying once, seeding once, and then sending nothing at all.
 */

const provider = ethers.provider;
const wallet = (index: number) => demoWallet(index, provider);
const REGISTRAR = demoAccountWithRole("registrar").index;
const RELAYERS = DEMO_ACCOUNTS.filter((a) => a.role === "relayer").map((a) => a.index);

/** Every demo account's transaction count: a transaction sent by any of them moves it. */
async function nonces(): Promise<number[]> {
  return Promise.all(DEMO_ACCOUNTS.map((a) => provider.getTransactionCount(wallet(a.index).address)));
}

describe("deploy and seed scripts", () => {
  let dir: string;
  let deployment: Deployment;
  const lines: string[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-seed-"));
    deployment = await deployAll(wallet(0), {
      deploymentsDir: dir,
      registrar: wallet(REGISTRAR).address,
      gateways: RELAYERS.map((i) => wallet(i).address),
    });
    await seedDemo(deployment, provider, (line) => lines.push(line));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the deployments file of the chain, which the library reads back", async () => {
    const { chainId } = await provider.getNetwork();
    expect(await readDeployment(dir, Number(chainId))).to.deep.equal(deployment);
  });

  it("gives the registrar REGISTRAR_ROLE, and the deployer keeps only the administration", async () => {
    const registry = ProviderRegistry__factory.connect(deployment.contracts.ProviderRegistry.address, provider);
    const role = await registry.REGISTRAR_ROLE();
    expect(await registry.hasRole(role, wallet(REGISTRAR).address)).to.equal(true);
    expect(await registry.hasRole(role, wallet(0).address)).to.equal(false);
    expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), wallet(0).address)).to.equal(true);
  });

  it("gives the relayers GATEWAY_ROLE and the auditor AUDITOR_ROLE", async () => {
    const registry = ProviderRegistry__factory.connect(deployment.contracts.ProviderRegistry.address, provider);
    for (const i of RELAYERS) expect(await registry.hasRole(await registry.GATEWAY_ROLE(), wallet(i).address)).to.equal(true);
    const auditor = demoAccountWithRole("auditor").index;
    expect(await registry.hasRole(await registry.AUDITOR_ROLE(), wallet(auditor).address)).to.equal(true);
    expect(await registry.hasRole(await registry.GATEWAY_ROLE(), wallet(0).address)).to.equal(false);
  });

  it("verifies every demo provider with its name, kind and emergency flag, by the registrar", async () => {
    const registry = ProviderRegistry__factory.connect(deployment.contracts.ProviderRegistry.address, provider);
    const verified = await registry.queryFilter(registry.filters.ProviderVerified());
    for (const account of DEMO_ACCOUNTS.filter((a) => a.role === "provider")) {
      const p = await registry.providerOf(wallet(account.index).address);
      expect([p.active, p.name, p.kind, p.emergencyCapable, p.licenceHash]).to.deep.equal([
        true,
        account.name,
        BigInt(account.kind!),
        account.emergencyCapable ?? false,
        demoLicenceHash(account),
      ]);
      const event = verified.find((e) => e.args.provider === wallet(account.index).address);
      expect(event?.args.registrar).to.equal(wallet(REGISTRAR).address);
    }
    expect(await registry.isActive(wallet(demoAccountWithRole("auditor").index).address)).to.equal(false);
  });

  it("has each provider and patient publish its own wallet-derived encryption key, from its own account", async () => {
    const ledger = ConsentLedger__factory.connect(deployment.contracts.ConsentLedger.address, provider);
    const published = await ledger.queryFilter(ledger.filters.EncryptionKeyPublished());
    for (const account of DEMO_ACCOUNTS.filter((a) => a.role === "provider" || a.role === "patient")) {
      const w = wallet(account.index);
      expect(await ledger.encryptionKeyOf(w.address)).to.equal(await walletEncryptionKey(w));
      const event = published.find((e) => e.args.account === w.address)!;
      expect((await event.getTransaction()).from).to.equal(w.address);
    }
    expect(await ledger.encryptionKeyOf(wallet(REGISTRAR).address)).to.equal(ethers.ZeroHash);
  });

  it("sends no transaction when deploying and seeding again on the same chain", async () => {
    const block = await provider.getBlockNumber();
    const before = await nonces();
    const again: string[] = [];
    const redeployed = await deployAll(wallet(0), {
      deploymentsDir: dir,
      registrar: wallet(REGISTRAR).address,
      gateways: RELAYERS.map((i) => wallet(i).address),
      log: (line) => again.push(line),
    });
    await seedDemo(redeployed, provider, (line) => again.push(line));
    expect(redeployed).to.deep.equal(deployment);
    expect(await nonces()).to.deep.equal(before);
    expect(await provider.getBlockNumber()).to.equal(block);
    expect(again).to.deep.equal([`contracts already deployed on chain 31337; reusing deployments/31337.json`]);
    expect(lines.length).to.be.greaterThan(0, "the first seeding did log its writes");
  });

  it("repairs only what a persisted chain lacks: a provider the registrar deactivated is verified again", async () => {
    const registry = ProviderRegistry__factory.connect(deployment.contracts.ProviderRegistry.address, wallet(REGISTRAR));
    const pharmacy = DEMO_ACCOUNTS.find((a) => a.role === "provider" && a.kind === 2)!;
    await (await registry.deactivateProvider(wallet(pharmacy.index).address)).wait();
    const block = await provider.getBlockNumber();
    const again: string[] = [];
    await seedDemo(deployment, provider, (line) => again.push(line));
    expect(await registry.statusOf(wallet(pharmacy.index).address)).to.deep.equal([true, 1n]);
    expect(await provider.getBlockNumber()).to.equal(block + 1);
    expect(again).to.deep.equal([`verified provider ${pharmacy.name} (${wallet(pharmacy.index).address})`]);
  });
});
