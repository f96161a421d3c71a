import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { utf8 } from "../../lib/crypto";
import { addOwnRecord, grantAccess, readRecord } from "../../lib/client";
import { breakGlass, publishEmergencySummary } from "../../lib/client";
import { readyActor } from "../support/actors";
import { useStack } from "../support/stack";

describe("audit API on the gateway: exports for auditors and patients, compliance alerts", function () {
  const stack = useStack();

  before(async function () {
    const patient = await readyActor(stack, 1);
    const doctor = await readyActor(stack, 2);
    const er = await readyActor(stack, 3);
    await addOwnRecord(patient, { plaintext: utf8('{"resourceType":"Condition","code":{"text":"Asthma"}}'), category: 1 });
    await grantAccess(patient, { grantee: doctor.address, categories: [1], purpose: 1, durationSeconds: 3600 });
    const [record] = (await doctor.client.listRecords(patient.address)).records;
    await readRecord(doctor, patient.address, record);
    await publishEmergencySummary(patient, { summary: utf8('{"resourceType":"Bundle","type":"document","entry":[]}'), windowSeconds: 600 });
    await breakGlass(er, patient.address, 2);
  });

  async function get(index: number, query: string): Promise<Response> {
    const actor = await readyActor(stack, index);
    const token = await actor.client.signIn(actor.signer, 31337);
    return fetch(`${stack.url}/api/audit/${query}`, { headers: { authorization: `Bearer ${token}` } });
  }

  it("gives an auditor a patient's history as CSV, with the grant and the disclosure", async function () {
    const jane = (await readyActor(stack, 1)).address;
    const response = await get(4, `export?patient=${jane}&format=csv`);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^text\/csv/);
    const csv = await response.text();
    const lines = csv.trim().split("\n");
    expect(lines.length).to.be.greaterThan(3);
    expect(csv).to.match(/grant/i);
    expect(csv).to.match(/disclosure/i);
  });

  it("gives a patient their own FHIR bundle and refuses them another patient's", async function () {
    const jane = (await readyActor(stack, 1)).address;
    const own = await get(1, `export?patient=${jane}&format=fhir`);
    expect(own.status).to.equal(200);
    const bundle = (await own.json()) as { resourceType: string; entry: Array<{ resource: { resourceType: string } }> };
    expect(bundle.resourceType).to.equal("Bundle");
    expect(bundle.entry.map((e) => e.resource.resourceType)).to.include.members(["Consent", "AuditEvent"]);
    const other = await get(5, `export?patient=${jane}&format=fhir`);
    expect(other.status).to.equal(403);
    expect(((await other.json()) as { error: { code: string } }).error.code).to.equal("FORBIDDEN");
  });

  it("names bad query fields", async function () {
    const bad = await get(4, "export?patient=0x123&format=xml");
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).to.match(/^query\.(patient|format)/);
  });

  it("raises a BREAK_GLASS alert for the auditor and refuses alerts to others", async function () {
    const response = await get(4, "alerts");
    expect(response.status).to.equal(200);
    const { alerts } = (await response.json()) as { alerts: Array<{ ruleId: string; severity: string; evidence: { txHash?: string } }> };
    const breakGlassAlerts = alerts.filter((a) => a.ruleId === "BREAK_GLASS");
    expect(breakGlassAlerts).to.have.length(1);
    expect(breakGlassAlerts[0].evidence.txHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(alerts.filter((a) => a.ruleId === "DISCLOSURE_WITHOUT_GRANT")).to.deep.equal([]);
    expect((await get(2, "alerts")).status).to.equal(403);
  });

  it("refuses to export from a tampered log, naming the entry", async function () {
    await stack.gateway.services.anchorer!.anchorNow();
    const file = path.join(stack.gateway.services.config.dataDir, "disclosures", "disclosures.jsonl");
    const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
    const entry = JSON.parse(lines[0]);
    entry.category = 8;
    lines[0] = JSON.stringify(entry);
    await writeFile(file, lines.join("\n") + "\n");
    const jane = (await readyActor(stack, 1)).address;
    const response = await get(4, `export?patient=${jane}&format=json`);
    expect(response.status).to.equal(500);
    expect(((await response.json()) as { error: { message: string } }).error.message).to.match(/does not verify.*\b0\b/);
  });
});
