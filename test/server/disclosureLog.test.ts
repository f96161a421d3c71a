import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { fromUtf8 } from "../../lib/crypto";
import { readRecord } from "../../lib/client";
import { entryHash } from "../../lib/disclosure/entries";
import { useStack } from "../support/stack";
import { grantedScene, readyActor } from "../support/actors";

describe("disclosure log: anchored on-chain, verified, tamper-evident", function () {
  const stack = useStack({ anchorEveryEntries: 1000, anchorIntervalSeconds: 3600 }, "each");

  async function discloseThree(): Promise<void> {
    const { patient, doctor } = await grantedScene(stack, { plaintext: '{"resourceType":"Condition","code":{"text":"Asthma"}}' });
    const [record] = (await doctor.client.listRecords(patient.address)).records;
    for (let i = 0; i < 3; i++) expect(fromUtf8(await readRecord(doctor, patient.address, record))).to.contain("Asthma");
  }

  it("anchors the Merkle root of new entries and verifies the log against it", async function () {
    await discloseThree();
    const entries = stack.gateway.services.disclosures.list();
    const anchored = await stack.gateway.services.anchorer!.anchorNow();
    expect(anchored).to.include({ fromSeq: 0, toSeq: entries.length - 1 });
    const auditor = await readyActor(stack, 4);
    expect(await auditor.client.verifyDisclosures()).to.deep.equal({
      ok: true,
      entries: entries.length,
      anchoredThrough: entries.length - 1,
      unanchored: 0,
    });
    expect(await stack.gateway.services.anchorer!.anchorNow()).to.equal(undefined, "nothing new to anchor");
  });

  it("names the first tampered entry after one line of the log is edited", async function () {
    await discloseThree();
    await stack.gateway.services.anchorer!.anchorNow();
    const auditor = await readyActor(stack, 4);
    expect(await auditor.client.verifyDisclosures()).to.deep.include({ ok: true }); // verified once before the edit, so the resume path must catch it
    const file = path.join(stack.gateway.services.config.dataDir, "disclosures", "disclosures.jsonl");
    const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
    const victim = JSON.parse(lines[1]);
    victim.reader = "0x0000000000000000000000000000000000000bad";
    lines[1] = JSON.stringify(victim);
    await writeFile(file, lines.join("\n") + "\n");
    const result = await (await readyActor(stack, 4)).client.verifyDisclosures();
    expect(result.ok).to.equal(false);
    expect(result.firstBadSeq).to.equal(1);
  });

  it("catches a rewrite that recomputes every hash, through the anchored root", async function () {
    await discloseThree();
    await stack.gateway.services.anchorer!.anchorNow();
    const file = path.join(stack.gateway.services.config.dataDir, "disclosures", "disclosures.jsonl");
    const entries = (await readFile(file, "utf8"))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    // A forger drops the reader of entry 2 and rebuilds a perfectly consistent hash chain.
    entries[2].reader = "0x0000000000000000000000000000000000000bad";
    for (let i = 2; i < entries.length; i++) {
      entries[i].prevHash = entries[i - 1].hash;
      const { hash: _old, ...body } = entries[i];
      entries[i].hash = entryHash(body);
    }
    await writeFile(file, entries.map((e) => JSON.stringify(e)).join("\n") + "\n");
    const result = await (await readyActor(stack, 4)).client.verifyDisclosures();
    expect(result.ok).to.equal(false);
    expect(result.reason).to.match(/do not match the root anchored on-chain/);
  });

  it("shows a patient their own disclosures and refuses them another patient's", async function () {
    await discloseThree();
    const patient = await readyActor(stack, 1);
    const other = await readyActor(stack, 5);
    const own = (await patient.client.disclosures(patient.address)).disclosures;
    expect(own.filter((d) => d.basis === "grant")).to.have.length(3);
    let refused: { status?: number; code?: string } = {};
    await other.client.disclosures(patient.address).catch((e: { status: number; code: string }) => (refused = e));
    expect([refused.status, refused.code]).to.deep.equal([403, "FORBIDDEN"]);
  });

  it("lets an auditor (registry role) read any patient's disclosures", async function () {
    await discloseThree();
    const patient = await readyActor(stack, 1);
    const auditor = await readyActor(stack, 4);
    const seen = (await auditor.client.disclosures(patient.address)).disclosures;
    expect(seen.length).to.be.greaterThan(2);
  });
});
