import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { DisclosureLog } from "../../server/services/disclosureLog";

const FACTS = {
  patient: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  cid: "bafkreiexample",
  category: 1,
  purpose: 1,
  basis: "grant" as const,
  grantExpiresAt: 1,
  block: 7,
  release: "ciphertext" as const,
  decidedAt: 1_700_000_000,
  justification: "",
};

describe("DisclosureLog (group commit)", function () {
  let dir: string;

  beforeEach(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), "disclosure-log-"));
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it("chains 500 concurrent appends in call order, each resolved with its own entry, and the file verifies", async function () {
    const log = await DisclosureLog.open(dir);
    const readers = Array.from({ length: 500 }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`);
    const entries = await Promise.all(readers.map((reader) => log.append({ ...FACTS, reader })));
    expect(entries.map((e) => e.seq)).to.deep.equal(readers.map((_, i) => i));
    expect(entries.map((e) => e.reader)).to.deep.equal(readers);
    expect(await log.verify()).to.deep.equal({ ok: true, entries: 500 });
    await log.close();
    const reopened = await DisclosureLog.open(dir);
    expect(reopened.list().map((e) => e.hash)).to.deep.equal(entries.map((e) => e.hash));
    await reopened.close();
  });

  it("drops a half-written last line at open, and keeps appending to a chain that verifies", async function () {
    const log = await DisclosureLog.open(dir);
    await log.append({ ...FACTS, reader: "0x" + "1".repeat(40) });
    await log.close();
    const file = path.join(dir, "disclosures.jsonl");
    const { appendFile } = await import("node:fs/promises");
    await appendFile(file, '{"seq":1,"time":"2026-');
    const reopened = await DisclosureLog.open(dir);
    expect(reopened.list()).to.have.length(1);
    await reopened.append({ ...FACTS, reader: "0x" + "2".repeat(40) });
    expect(await reopened.verify()).to.deep.equal({ ok: true, entries: 2 });
    expect((await readFile(file, "utf8")).trimEnd().split("\n")).to.have.length(2);
    await reopened.close();
  });
});

describe("DisclosureLog under a steady trickle of appends", function () {
  it("never strands an entry queued while a commit is finishing", async function () {
    const dir = await mkdtemp(path.join(os.tmpdir(), "disclosure-log-"));
    const log = await DisclosureLog.open(dir);
    // Appends issued from inside each other's completions land exactly in the gap between a commit and the next.
    const done: Array<Promise<unknown>> = [];
    for (let i = 0; i < 50; i++) {
      const first = log.append({ ...FACTS, reader: "0x" + "3".repeat(40) });
      done.push(first.then(() => log.append({ ...FACTS, reader: "0x" + "4".repeat(40) })));
      done.push(first);
      await Promise.resolve();
    }
    await Promise.all(done);
    expect(await log.verify()).to.deep.equal({ ok: true, entries: 100 });
    await log.close();
    await rm(dir, { recursive: true, force: true });
  });
});
