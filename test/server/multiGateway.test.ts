import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { fromUtf8, utf8 } from "../../lib/crypto";
import { addOwnRecord, grantAccess, readRecord, revokeAccess } from "../../lib/client";
import { deployAll } from "../../scripts/deploy";
import { demoWallet, seedDemo } from "../../scripts/seed";
import { readyActor } from "../support/actors";
import { freePort, startGatewayProcess, startHardhatNode, type OwnedProcess } from "../support/processes";
import { REGISTRAR } from "../support/stack";
import { statusOf } from "../support/answers";
import { pastHeadAge } from "../support/until";

/**
 * Two organizations on one ledger, as separate processes with their own data folders, stores, disclosure logs and
 * relayers: Riverside Family Clinic keeps Jane's record; Lakeside Hospital ER fetches its ciphertext from the clinic's
 * gateway by CID (IPFS Trustless Gateway protocol, authenticated as a registered gateway) when its doctor reads it.
 */
describe("a network of organizations: an external chain process and two gateway processes with their own stores", function () {
  this.timeout(180_000);
  let chain: { rpcUrl: string; proc: OwnedProcess };
  let provider: JsonRpcProvider;
  let dir: string;
  let clinic: { url: string; proc: OwnedProcess };
  let er: { url: string; proc: OwnedProcess };

  before(async function () {
    chain = await startHardhatNode();
    provider = new JsonRpcProvider(chain.rpcUrl, 31337, { staticNetwork: true, cacheTimeout: -1 });
    dir = await mkdtemp(path.join(os.tmpdir(), "consent-ledger-network-"));
    const deploymentsDir = path.join(dir, "deployments");
    const [clinicRelayer, erRelayer] = [7, 8].map((i) => demoWallet(i, provider));
    const deployment = await deployAll(demoWallet(0, provider), {
      deploymentsDir,
      gateways: [clinicRelayer.address, erRelayer.address],
      registrar: demoWallet(REGISTRAR, provider).address,
    });
    await seedDemo(deployment, provider);
    const common = { CHAIN_RPC_URL: chain.rpcUrl, DEPLOYMENTS_DIR: deploymentsDir, ESCROW_KEY_SEED: "0x" + "42".repeat(32) };
    // Each names the other as its peer: content kept at either is reachable from both.
    const [clinicPort, erPort] = [await freePort(), await freePort()];
    [clinic, er] = await Promise.all([
      startGatewayProcess({
        ...common,
        PORT: String(clinicPort),
        DATA_DIR: path.join(dir, "riverside"),
        RELAYER_PRIVATE_KEY: clinicRelayer.privateKey,
        ORGANIZATION_NAME: "Riverside Family Clinic",
        PEER_GATEWAYS: `http://127.0.0.1:${erPort}`,
      }),
      startGatewayProcess({
        ...common,
        PORT: String(erPort),
        DATA_DIR: path.join(dir, "lakeside"),
        RELAYER_PRIVATE_KEY: erRelayer.privateKey,
        ORGANIZATION_NAME: "Lakeside Hospital ER",
        PEER_GATEWAYS: `http://127.0.0.1:${clinicPort}`,
      }),
    ]);
  });

  after(async function () {
    await er?.proc.stop();
    await clinic?.proc.stop();
    await chain?.proc.stop();
    provider?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("lets the ER's doctor read a record kept by the clinic, logged by the ER, and both refuse after a revoke", async function () {
    const janeAtClinic = await readyActor({ url: clinic.url, provider }, 1);
    const janeAtEr = await readyActor({ url: er.url, provider }, 1);
    const doctorAtEr = await readyActor({ url: er.url, provider }, 3);
    const doctorAtClinic = await readyActor({ url: clinic.url, provider }, 3);

    const { cid } = await addOwnRecord(janeAtClinic, {
      plaintext: utf8('{"resourceType":"Condition","code":{"text":"Asthma"}}'),
      category: 1,
    });
    expect(await statusOf(doctorAtEr.client.fetchRecord(cid))).to.equal("403 ACCESS_DENIED");

    await grantAccess(janeAtClinic, { grantee: doctorAtEr.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    // The ER's own index lists the record (one ledger); its store fetches the ciphertext from the clinic by CID.
    const [record] = (await doctorAtEr.client.listRecords(janeAtClinic.address)).records;
    expect(record.cid).to.equal(cid);
    expect(fromUtf8(await readRecord(doctorAtEr, janeAtClinic.address, record))).to.contain("Asthma");

    // Each organization logs what it released: the ER released to its doctor; the clinic released nothing to him.
    const [atEr, atClinic] = await Promise.all([
      janeAtEr.client.disclosures(janeAtEr.address),
      janeAtClinic.client.disclosures(janeAtClinic.address),
    ]);
    expect(atEr.disclosures.map((d) => [d.reader, d.basis, d.cid])).to.deep.equal([[doctorAtEr.address, "grant", cid]]);
    expect(atClinic.disclosures.filter((d) => d.reader === doctorAtEr.address)).to.deep.equal([]);

    // A revoke relayed by the ER's gateway holds at both: one ledger.
    await revokeAccess(janeAtEr, doctorAtEr.address);
    await pastHeadAge(); // each gateway decides on a head at most HEAD_MAX_AGE_MS old (500 ms)
    expect([await statusOf(doctorAtEr.client.fetchRecord(cid)), await statusOf(doctorAtClinic.client.fetchRecord(cid))]).to.deep.equal([
      "403 ACCESS_DENIED",
      "403 ACCESS_DENIED",
    ]);
  });

  it("serves blocks to other organizations' gateways only, never to an anonymous caller", async function () {
    const janeAtClinic = await readyActor({ url: clinic.url, provider }, 1);
    const { cid } = await addOwnRecord(janeAtClinic, { plaintext: utf8("{}"), category: 2 });
    const anonymous = await fetch(`${clinic.url}/ipfs/${cid}?format=raw`, { headers: { accept: "application/vnd.ipld.raw" } });
    expect(anonymous.status).to.be.within(400, 403);
  });
});
