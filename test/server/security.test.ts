import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { Signature, getBytes, hexlify, toBeHex } from "ethers";
import { utf8 } from "../../lib/crypto";
import { addOwnRecord, grantAccess, issueKeyBundle, readRecord, type ActorContext } from "../../lib/client";
import { contractDomain, typesFor } from "../../lib/consent/typedData";
import { demoWallet } from "../../scripts/seed";
import { readyActor } from "../support/actors";
import { startGatewayProcess, type OwnedProcess } from "../support/processes";
import { RELAYER, startChain, type TestChain } from "../support/stack";
import { refusal } from "../support/answers";

/** Synthetic markers seeded into record plaintext; none may appear outside the clients that decrypt them. */
const MARKERS = ["ZZ-MARKER-ASTHMA-7f3a", "ZZ-MARKER-HIV-c91d", "ZZ-MARKER-NOTE-55e0"];

/** secp256k1 group order: (r, n - s) is the malleated twin of a valid (r, s) signature. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("security: who may do what, and where plaintext never goes", function () {
  this.timeout(180_000);
  let chain: TestChain;
  let gateway: { url: string; proc: OwnedProcess };
  let dataDir: string;

  const actor = (index: number): Promise<ActorContext> => readyActor({ url: gateway.url, provider: chain.provider }, index);

  /** A grant message for the patient, signed by `signer`, ready for the relay route. */
  async function signedGrant(patient: ActorContext, grantee: string, signer: ActorContext, overrides: { deadline?: number } = {}) {
    const { digest } = await issueKeyBundle(patient, grantee, [1]);
    const account = await patient.client.account(patient.address);
    const message = {
      patient: patient.address,
      grantee,
      scope: 2,
      purpose: 1,
      expiresAt: account.chainTime + 3600,
      keyBundle: digest,
      nonce: account.ledgerNonce,
      deadline: overrides.deadline ?? account.chainTime + 600,
    };
    const ledger = chain.deployment.contracts.ConsentLedger.address;
    const signature = await signer.signer.signTypedData(contractDomain("ConsentLedger", 31337, ledger), typesFor("Grant"), message);
    return { ...message, signature };
  }

  before(async function () {
    chain = await startChain();
    dataDir = path.join(chain.dir, "gateway");
    gateway = await startGatewayProcess({
      CHAIN_RPC_URL: chain.rpcUrl,
      DEPLOYMENTS_DIR: chain.deploymentsDir,
      DATA_DIR: dataDir,
      RELAYER_PRIVATE_KEY: demoWallet(RELAYER, chain.provider).privateKey,
      LOG_LEVEL: "trace",
    });
  });

  after(async function () {
    await gateway?.proc.stop();
    await chain?.close();
  });

  it("refuses a forged grant signature, a malleated one, a replayed one and one past its deadline", async function () {
    const patient = await actor(1);
    const doctor = await actor(2);
    const stranger = await actor(5);

    const forged = await signedGrant(patient, doctor.address, stranger);
    const f = await refusal(patient.client.relayGrant(forged));
    expect([f.status, f.code]).to.deep.equal([422, "TRANSACTION_REVERTED"]);
    expect(f.message).to.match(/ConsentLedgerInvalidSigner/);

    const honest = await signedGrant(patient, doctor.address, patient);
    const sig = Signature.from(honest.signature);
    const highS = toBeHex(SECP256K1_N - BigInt(sig.s), 32);
    const malleated = hexlify(new Uint8Array([...getBytes(sig.r), ...getBytes(highS), sig.v === 27 ? 28 : 27]));
    const m = await refusal(patient.client.relayGrant({ ...honest, signature: malleated }));
    expect([m.status, m.code]).to.deep.equal([422, "TRANSACTION_REVERTED"]);

    await patient.client.relayGrant(honest);
    const replay = await refusal(patient.client.relayGrant(honest));
    expect([replay.status, replay.code]).to.deep.equal([422, "TRANSACTION_REVERTED"]);
    expect(replay.message).to.match(/ConsentLedgerInvalidSigner/, "the nonce was used, so the replay no longer verifies");

    const account = await patient.client.account(patient.address);
    const late = await signedGrant(patient, doctor.address, patient, { deadline: account.chainTime - 1 });
    const l = await refusal(patient.client.relayGrant(late));
    expect(l.message).to.match(/ConsentLedgerExpiredSignature/);
  });

  it("refuses another patient's record to a doctor holding a grant from someone else", async function () {
    const jane = await actor(1);
    const john = await actor(5);
    const doctor = await actor(2);
    const { cid: johnsCid } = await addOwnRecord(john, { plaintext: utf8('{"resourceType":"Condition"}'), category: 1 });
    await grantAccess(jane, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const r = await refusal(doctor.client.fetchRecord(johnsCid));
    expect([r.status, r.code]).to.deep.equal([403, "ACCESS_DENIED"]);
    const list = await refusal(doctor.client.listRecords(john.address));
    expect([list.status, list.code]).to.deep.equal([403, "ACCESS_DENIED"]);
    const grants = await refusal(john.client.grants({ patient: jane.address }));
    expect([grants.status, grants.code]).to.deep.equal([403, "FORBIDDEN"]);
  });

  it("answers path traversal and guessed CIDs with 4xx and no content", async function () {
    const doctor = await actor(2);
    for (const name of ["..%2F..%2Fetc%2Fpasswd", "..%2Fdisclosures%2Fdisclosures.jsonl", "%2e%2e%2f%2e%2e%2fpackage.json"]) {
      const r = await refusal(doctor.client.fetchRecord(decodeURIComponent(name)));
      expect([r.status, r.code], name).to.deep.equal([400, "BAD_REQUEST"]);
    }
    const guessed = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    const g = await refusal(doctor.client.fetchRecord(guessed));
    expect([g.status, g.code]).to.deep.equal([404, "CONTENT_NOT_FOUND"]);
    const k = await refusal(doctor.client.fetchKeyBundle("0x" + "ab".repeat(32)));
    expect([k.status, k.code]).to.deep.equal([404, "CONTENT_NOT_FOUND"]);
  });

  it("never lets plaintext reach the logs, the IPFS store, the disclosure log or the chain", async function () {
    const patient = await actor(1);
    const doctor = await actor(2);
    for (const [i, marker] of MARKERS.entries()) {
      await addOwnRecord(patient, {
        plaintext: utf8(JSON.stringify({ resourceType: "Condition", code: { text: marker } })),
        category: [1, 8, 7][i],
      });
    }
    await grantAccess(patient, { grantee: doctor.address, categories: [1, 8, 7], purpose: 1, durationSeconds: 3600 });
    for (const record of (await doctor.client.listRecords(patient.address)).records) {
      const text = new TextDecoder().decode(await readRecord(doctor, patient.address, record));
      expect(
        MARKERS.some((m) => text.includes(m)),
        "the doctor's client does decrypt the markers",
      ).to.equal(true);
    }

    const places: Array<[string, string]> = [["gateway logs", gateway.proc.output()]];
    for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        places.push([
          path.join(entry.parentPath, entry.name),
          (await readFile(path.join(entry.parentPath, entry.name))).toString("latin1"),
        ]);
    }
    const head = await chain.provider.getBlockNumber();
    let chainText = "";
    // From this test file's deployment on: earlier blocks of the shared test chain belong to other tests.
    const first = Math.min(...Object.values(chain.deployment.contracts).map((c) => c.blockNumber));
    for (let n = first; n <= head; n++) {
      const block = await chain.provider.getBlock(n, true);
      for (const tx of block?.prefetchedTransactions ?? []) chainText += Buffer.from(getBytes(tx.data)).toString("latin1");
    }
    for (const log of await chain.provider.getLogs({ fromBlock: first, toBlock: head }))
      chainText += Buffer.from(getBytes(log.data)).toString("latin1");
    places.push(["chain calldata and event data", chainText]);

    expect(places.length).to.be.greaterThan(5);
    expect(gateway.proc.output()).to.match(/record stored/, "the gateway did log, at trace level");
    for (const [where, text] of places) {
      for (const marker of MARKERS) expect(text.includes(marker), `${marker} found in ${where}`).to.equal(false);
      expect(/Bearer [A-Za-z0-9_-]{20,}/.test(text), `a session token found in ${where}`).to.equal(false);
    }
  });
});
