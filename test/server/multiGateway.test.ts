import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { deriveEncryptionKeyPair, fromUtf8, utf8 } from "../../lib/crypto";
import { addOwnRecord, grantAccess, readRecord, revokeAccess, type ActorContext } from "../../lib/client/consentActions";
import { GatewayClient, GatewayError } from "../../lib/client/gatewayClient";
import { deployAll } from "../../scripts/deploy";
import { demoWallet, seedDemo } from "../../scripts/seed";
import { startGatewayProcess, startHardhatNode, type OwnedProcess } from "../support/processes";

/** Signs a demo account in at one gateway. */
async function actorAt(url: string, index: number, provider: JsonRpcProvider): Promise<ActorContext> {
  const wallet = demoWallet(index, provider);
  const client = new GatewayClient(url);
  await client.signIn(wallet, 31337);
  const keys = await deriveEncryptionKeyPair(wallet.address, (d, t, m) => wallet.signTypedData(d, t, m));
  return { client, signer: wallet, chainSigner: wallet, address: wallet.address, keys, deployment: await client.deployment() };
}

async function statusOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "200";
  } catch (err) {
    if (err instanceof GatewayError) return `${err.status} ${err.code}`;
    throw err;
  }
}

describe("several gateways, one ledger: an external `hardhat node` process and two gateway processes", function () {
  this.timeout(180_000);
  let chain: { rpcUrl: string; proc: OwnedProcess };
  let provider: JsonRpcProvider;
  let dir: string;
  const gateways: Array<{ url: string; proc: OwnedProcess }> = [];

  before(async function () {
    chain = await startHardhatNode();
    provider = new JsonRpcProvider(chain.rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1 });
    dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-multi-"));
    const deploymentsDir = path.join(dir, "deployments");
    const relayers = [0, 6].map((i) => demoWallet(i, provider));
    const deployment = await deployAll(demoWallet(0, provider), { deploymentsDir, gateways: relayers.map((r) => r.address) });
    await seedDemo(deployment, provider);
    for (const [i, relayer] of relayers.entries()) {
      gateways.push(
        await startGatewayProcess({
          CHAIN_RPC_URL: chain.rpcUrl,
          DEPLOYMENTS_DIR: deploymentsDir,
          DATA_DIR: path.join(dir, `gateway-${i}`),
          // Same content on both: gateways of one ledger share a store (here one embedded folder; in production a Kubo node).
          STORE_DIR: path.join(dir, "ipfs"),
          RELAYER_PRIVATE_KEY: relayer.privateKey,
          ESCROW_KEY_SEED: "0x" + "42".repeat(32),
        }),
      );
    }
  });

  after(async function () {
    for (const g of gateways) await g.proc.stop();
    await chain?.proc.stop();
    provider?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives the same access answers from both gateways, before and after a revoke made through one of them", async function () {
    const [a, b] = gateways;
    const patientA = await actorAt(a.url, 1, provider);
    const patientB = await actorAt(b.url, 1, provider);
    const doctorA = await actorAt(a.url, 2, provider);
    const doctorB = await actorAt(b.url, 2, provider);

    const { cid } = await addOwnRecord(patientA, { plaintext: utf8('{"resourceType":"Condition","code":{"text":"Asthma"}}'), category: 1 });
    expect([await statusOf(doctorA.client.fetchRecord(cid)), await statusOf(doctorB.client.fetchRecord(cid))]).to.deep.equal([
      "403 ACCESS_DENIED",
      "403 ACCESS_DENIED",
    ]);

    await grantAccess(patientA, { grantee: doctorA.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const [record] = (await doctorB.client.listRecords(patientA.address)).records;
    expect(fromUtf8(await readRecord(doctorA, patientA.address, record))).to.contain("Asthma");
    expect(fromUtf8(await readRecord(doctorB, patientA.address, record))).to.contain("Asthma");

    await revokeAccess(patientB, doctorA.address);
    expect([await statusOf(doctorA.client.fetchRecord(cid)), await statusOf(doctorB.client.fetchRecord(cid))]).to.deep.equal([
      "403 ACCESS_DENIED",
      "403 ACCESS_DENIED",
    ]);

    // Each gateway logged its own releases (A also released the record to the patient re-wrapping its key).
    const [logA, logB] = await Promise.all([doctorA.client.verifyDisclosures(), doctorB.client.verifyDisclosures()]);
    expect([logA.ok, logA.entries, logB.ok, logB.entries]).to.deep.equal([true, 2, true, 1]);
    const seenByB = (await patientB.client.disclosures(patientA.address)).disclosures;
    expect(seenByB.map((d) => [d.reader, d.basis])).to.deep.equal([[doctorB.address, "grant"]]);
  });
});
