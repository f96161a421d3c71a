import { expect } from "chai";
import { ClientError, connectActor, publishKeys, readRecord, type ActorContext } from "../../lib/client";
import { CATEGORY } from "../../lib/consent/codes";
import { demoWallet } from "../../scripts/seed";
import { addProblem, grantTreatment } from "../support/actors";
import { useStack, type TestStack } from "../support/stack";

/** An actor whose every HTTP request to the gateway is recorded as "METHOD /path" (query left off). */
async function countedActor(stack: TestStack, index: number): Promise<{ actor: ActorContext; sent: string[] }> {
  const sent: string[] = [];
  const fetcher: typeof fetch = (input, init) => {
    sent.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  };
  const actor = await connectActor({ gatewayUrl: stack.url, signer: demoWallet(index, stack.provider), fetcher });
  await publishKeys(actor);
  sent.length = 0;
  return { actor, sent };
}

const fetchesOfRecords = (sent: string[]): string[] => sent.filter((r) => /^GET \/api\/records\/[^/]+$/.test(r));

describe("what granting and opening cost at the gateway (requests and disclosure entries, counted)", function () {
  const logged = (): number => stack.gateway.services.disclosures.list().length;

  const stack = useStack({}, "each");

  it("grants with three records in scope without downloading an envelope or writing a disclosure entry", async function () {
    const { actor: jane, sent } = await countedActor(stack, 1);
    const { actor: chen } = await countedActor(stack, 2);
    for (const text of ["Asthma", "Hypertension", "Migraine"]) {
      await addProblem(jane, `{"resourceType":"Condition","code":{"text":"${text}"}}`);
    }
    const before = logged();
    sent.length = 0;
    await grantTreatment(jane, chen);
    expect(fetchesOfRecords(sent)).to.deep.equal([]);
    expect(sent).to.include("POST /api/key-bundles").and.to.include("POST /api/grants");
    expect(sent.length).to.be.at.most(4, `requests: ${sent.join(", ")}`);
    expect(logged()).to.equal(before);
  });

  it("opens a record with one ciphertext request, asking for the grant's key bundle once across records", async function () {
    const { actor: jane } = await countedActor(stack, 1);
    const { actor: chen, sent } = await countedActor(stack, 2);
    const first = await addProblem(jane);
    const second = await addProblem(jane);
    await grantTreatment(jane, chen);

    sent.length = 0;
    await readRecord(chen, jane.address, { cid: first.cid, category: CATEGORY.PROBLEMS });
    expect(fetchesOfRecords(sent)).to.deep.equal([`GET /api/records/${first.cid}`]);
    expect(sent.filter((r) => r.startsWith("GET /api/key-bundles/"))).to.have.length(1);

    sent.length = 0;
    await readRecord(chen, jane.address, { cid: second.cid, category: CATEGORY.PROBLEMS });
    expect(sent).to.deep.equal([`GET /api/records/${second.cid}`]);
  });

  it("asks for no ciphertext, and logs nothing, for a record its holder holds no live grant to", async function () {
    const { actor: jane } = await countedActor(stack, 1);
    const { actor: chen, sent } = await countedActor(stack, 2);
    const record = await addProblem(jane);
    const before = logged();
    sent.length = 0;
    const refused = await readRecord(chen, jane.address, { cid: record.cid, category: CATEGORY.PROBLEMS }).then(
      () => expect.fail("a record was opened without a grant"),
      (err: unknown) => err,
    );
    expect(refused).to.be.instanceOf(ClientError).and.to.include({ code: "NO_LIVE_GRANT" });
    expect(sent).to.deep.equal([]);
    expect(logged()).to.equal(before);
  });
});
