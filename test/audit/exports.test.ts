import { expect } from "chai";
import type { ValidateFunction } from "ajv";
import {
  accountingHtml,
  accountingOfDisclosures,
  auditExport,
  collectEvents,
  csvLine,
  eventsToCsv,
  reconstructConsents,
  CATEGORY_SYSTEM,
  ACT_REASON_SYSTEM,
  type AuditFormat,
  type FhirBundle,
  type LedgerEvent,
} from "../../lib/audit";
import { fhirValidators } from "../support/fhirSchema";
import { startAuditChain, type AuditChain } from "./chain";
import { LAB_NAME, janeDoeStory, type Story } from "./scenario";

/** RFC 4180 parser for the tests: quoted fields, doubled quotes, CRLF records, line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") (row.push(field), (field = ""));
    else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      ((row = []), (field = ""), i++);
    } else field += ch;
  }
  expect(field, "the last record ends with CRLF").to.equal("");
  return rows;
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const chunk of chunks) out += chunk;
  return out;
}

describe("audit exports (CSV, JSON, FHIR R4, accounting of disclosures)", function () {
  let chain: AuditChain;
  let story: Story;
  let events: LedgerEvent[];
  let head: { block: number; time: number };

  before(async function () {
    chain = await startAuditChain();
    story = await janeDoeStory(chain);
    ({ events } = await collectEvents(chain.provider, chain.deployment));
    head = await chain.head();
  });

  after(async function () {
    await chain.close();
  });

  const run = (format: AuditFormat, extra: Record<string, unknown> = {}) =>
    collect(
      auditExport(chain.provider, chain.deployment, {
        patient: story.jane,
        format,
        log: story.entries,
        gateway: chain.address(7),
        ...extra,
      }),
    );

  describe("FHIR", function () {
    let validators: Record<string, ValidateFunction>;
    let bundle: FhirBundle;

    before(async function () {
      validators = fhirValidators(["Bundle", "Consent", "AuditEvent", "CodeSystem"]);
      bundle = JSON.parse(await run("fhir")) as FhirBundle;
    });

    it("validates every entry against the FHIR R4 JSON schema of its own resource type, and the Bundle itself", function () {
      expect(bundle.entry.length).to.be.greaterThan(5);
      for (const { resource } of bundle.entry) {
        const validate = validators[resource.resourceType];
        expect(validate(resource), `${resource.resourceType}/${resource.id}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).to.equal(
          true,
        );
      }
      const shell = { ...bundle, entry: [] };
      expect(validators.Bundle(shell), JSON.stringify(validators.Bundle.errors)).to.equal(true);
      expect(bundle).to.include({ resourceType: "Bundle", type: "collection" });
    });

    it("keeps a grant with no practical expiry (uint64 max) valid: open-ended period, no calendar date invented", async function () {
      const c = await chain.fresh();
      const forever = 2n ** 64n - 1n;
      await (await c.ledger.connect(await c.signer(1)).grant(c.address(2), 2, 1, forever, "0x" + "00".repeat(32))).wait();
      const { events: evs } = await collectEvents(c.provider, c.deployment);
      const forEver = JSON.parse(
        await collect(auditExport(c.provider, c.deployment, { patient: c.address(1), format: "fhir" })),
      ) as FhirBundle;
      const consent = forEver.entry.map((e) => e.resource).find((r) => r.resourceType === "Consent")!;
      expect(validators.Consent(consent), JSON.stringify(validators.Consent.errors)).to.equal(true);
      expect(consent).to.include({ status: "active" });
      expect(consent.provision!.period!.end).to.equal(undefined);
      const csv = parseCsv(await collect(auditExport(c.provider, c.deployment, { patient: c.address(1), format: "csv" })));
      expect(csv[1][csv[0].indexOf("expires_at")]).to.match(/^unix:1844674407370955/);
      expect(evs.some((e) => e.kind === "grant" && e.expiresAt === Number(forever))).to.equal(true);
      await c.close();
    });

    it("rejects a resource that breaks the schema (the validator is really checking)", function () {
      const consent = bundle.entry.find((e) => e.resource.resourceType === "Consent")!.resource;
      expect(validators.Consent({ ...consent, status: 42 })).to.equal(false);
      expect(validators.Consent({ ...consent, dateTime: "yesterday" })).to.equal(false);
    });

    it("has a Consent per grant, denied and pending request and emergency policy, with the right statuses and codes", function () {
      const consents = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === "Consent");
      const byStatus = (s: string) => consents.filter((c) => c.status === s).map((c) => c.id);
      expect(byStatus("inactive")).to.have.length(1); // Dr. Chen's grant, revoked
      expect(byStatus("active")).to.have.length(2); // the lab's grant, the emergency policy
      expect(byStatus("rejected")).to.deep.equal(["request-0"]);
      expect(byStatus("proposed")).to.deep.equal(["request-1"]);
      const chen = consents.find((c) => c.status === "inactive")!;
      expect(chen.provision!.purpose).to.deep.equal([{ system: ACT_REASON_SYSTEM, code: "TREAT", display: "Treatment" }]);
      expect(chen.provision!.code!.map((c) => c.coding![0])).to.deep.equal([
        { system: CATEGORY_SYSTEM, code: "PROBLEMS", display: "Problems & diagnoses" },
        { system: CATEGORY_SYSTEM, code: "LABS", display: "Lab results" },
      ]);
      expect(chen.provision!.actor![0].reference).to.deep.include({ display: "Dr. Alice Chen (family medicine)" });
      expect(chen.extension).to.deep.include({
        url: "https://consent-ledger.example/fhir/StructureDefinition/consent-ended-by",
        valueCode: "revoked",
      });
      expect(chen.provision!.data![0].reference.identifier!.value).to.match(/^ipfs:\/\/bafkrei/);
      expect(chen.patient.identifier!.value).to.equal(story.jane);
    });

    it("has an AuditEvent per disclosure of Jane's records in the log and per break-glass, none for other patients", function () {
      const audits = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === "AuditEvent");
      const janeEntries = story.entries.filter((e) => e.patient === story.jane);
      expect(audits.filter((a) => a.id.startsWith("disclosure-"))).to.have.length(janeEntries.length);
      const breakGlass = audits.filter((a) => a.id.startsWith("emergency-"));
      expect(breakGlass).to.have.length(1);
      expect(breakGlass[0].entity![0].detail).to.deep.include({ type: "transaction", valueString: story.breakGlassTx });
      for (const a of audits) expect(a.action).to.equal("R");
      expect(audits.some((a) => JSON.stringify(a).includes("bafkreijohn"))).to.equal(false);
    });
  });

  describe("CSV", function () {
    it("is RFC 4180: one record per event and disclosure, names quoted and defused, every line CRLF-terminated", async function () {
      const text = await run("csv");
      const rows = parseCsv(text);
      const header = rows[0];
      expect(header.slice(0, 6)).to.deep.equal(["time", "block", "tx_hash", "log_index", "log_seq", "kind"]);
      const janeEvents = events.filter((e) => "patient" in e && e.patient === story.jane);
      const janeEntries = story.entries.filter((e) => e.patient === story.jane);
      expect(rows.length - 1).to.equal(janeEvents.length + janeEntries.length);
      for (const r of rows) expect(r).to.have.length(header.length);
      const name = header.indexOf("counterparty_name");
      expect(rows.map((r) => r[name])).to.include(`'${LAB_NAME}`);
      expect(text).to.include(`"'=Lab ""Q"", Inc.\n<night shift>"`);
      // Disclosures come after the grant they were released under.
      const kinds = rows.slice(1).map((r) => r[header.indexOf("kind")]);
      expect(kinds.indexOf("disclosure")).to.be.greaterThan(kinds.indexOf("grant"));
    });

    it("streams: lines come out one by one from an endless source", async function () {
      async function* endless(): AsyncGenerator<LedgerEvent> {
        for (let i = 0; ; i++) yield { ...events[0], blockNumber: i } as LedgerEvent;
      }
      const lines: string[] = [];
      for await (const line of eventsToCsv(endless())) {
        lines.push(line);
        if (lines.length === 1000) break;
      }
      expect(lines).to.have.length(1000);
      expect(csvLine(["a,b", 'say "hi"', 3, undefined, "-1"])).to.equal(`"a,b","say ""hi""",3,,'-1\r\n`);
    });

    it("narrows to a provider and a date range", async function () {
      const rows = parseCsv(await run("csv", { provider: story.omar }));
      const header = rows[0];
      expect(rows.slice(1).every((r) => r[header.indexOf("counterparty")] === story.omar)).to.equal(true);
      expect(rows.slice(1).map((r) => r[header.indexOf("kind")])).to.have.members(["request", "emergency", "disclosure"]);
      const empty = parseCsv(await run("csv", { from: head.time + 10_000 }));
      expect(empty).to.have.length(1);
    });
  });

  describe("JSON", function () {
    it("is one JSON array (json) or one object per line (ndjson), with the same rows", async function () {
      const array = JSON.parse(await run("json")) as { kind: string; time: string }[];
      const lines = (await run("ndjson"))
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as { kind: string });
      expect(array.map((r) => r.kind)).to.deep.equal(lines.map((r) => r.kind));
      expect(array.filter((r) => r.kind === "disclosure")).to.have.length(story.entries.filter((e) => e.patient === story.jane).length);
      expect(array[0].time).to.match(/Z$/);
    });
  });

  describe("accounting of disclosures", function () {
    it("lists every release to someone other than Jane and the break-glass, with date, recipient, what and purpose", async function () {
      const rec = reconstructConsents(events);
      const rows = accountingOfDisclosures({ patient: story.jane, entries: story.entries, rec });
      expect(rows.map((r) => [r.recipientName, r.category, r.purposeCode, r.basis])).to.deep.equal([
        ["Dr. Alice Chen (family medicine)", 1, "TREAT", "grant"],
        ["Dr. Alice Chen (family medicine)", 4, "TREAT", "grant"],
        [LAB_NAME, 4, "HOPERAT", "grant"],
        ["Dr. Omar Haddad (emergency)", 12, "BTG", "break-glass"],
        ["Dr. Omar Haddad (emergency)", 12, "ETREAT", "emergency"],
      ]);
      expect(rows[0].consentId).to.match(/^\d+-\d+$/);
      expect(rows.every((r) => r.recipientAddress !== story.jane)).to.equal(true);

      const csv = parseCsv(await run("accounting-csv"));
      expect(csv[0]).to.deep.equal([
        "date",
        "recipient_name",
        "recipient_address",
        "what_was_disclosed",
        "category",
        "record_cid",
        "purpose",
        "basis",
        "consent",
        "evidence",
      ]);
      expect(csv).to.have.length(rows.length + 1);
    });

    it("renders printable HTML with every value escaped", async function () {
      const html = await run("accounting-html");
      expect(html).to.match(/^<!doctype html>/);
      expect(html).to.include("@media print");
      expect(html).to.include("=Lab &quot;Q&quot;, Inc.\n&lt;night shift&gt;");
      expect(html).not.to.include("<night shift>");
      expect(html).to.include(story.alice);
      const standalone = accountingHtml([], { patient: story.jane, chainId: 31337, throughBlock: head.block, generatedAt: head.time });
      expect(standalone).to.include("No disclosures in this period.");
    });
  });

  it("refuses a log that does not match the anchored roots before writing anything", async function () {
    const tampered = story.entries.map((e, i) => (i === 2 ? { ...e, cid: "bafkreiforged" } : e));
    const chunks = auditExport(chain.provider, chain.deployment, {
      patient: story.jane,
      format: "csv",
      log: tampered,
      gateway: chain.address(7),
    });
    let err: unknown;
    try {
      await chunks.next();
    } catch (e) {
      err = e;
    }
    expect(err).to.have.property("code", "LOG_TAMPERED");
    expect((err as Error).message).to.match(/entry #2 \(line 3\)/);
  });
});
