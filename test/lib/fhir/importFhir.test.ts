import { expect } from "chai";
import { categoryLabel } from "../../../lib/consent/codes";
import { importFhir, type FhirResource } from "../../../lib/fhir";
import { expectPlainLanguage } from "./fixtures";
import { fhirSchemaErrors } from "../../support/fhirSchema";
import { OTHER_PORTAL_EXPORT } from "./otherPortalExport";

const asText = (v: unknown) => JSON.stringify(v, null, 2);

describe("importFhir (another portal's export → one record per entry)", function () {
  this.timeout(60_000);

  it("starts from a valid FHIR R4 export (the fixture itself passes HL7's schema)", function () {
    expect(fhirSchemaErrors(OTHER_PORTAL_EXPORT)).to.deep.equal([]);
  });

  describe("a searchset Bundle with clinical records, cited people, a duplicate and server messages", function () {
    const result = importFhir(asText(OTHER_PORTAL_EXPORT));
    const byId = (id: string) => result.records.find((r) => r.resource.id === id)!;

    it("makes one record per health entry, each in its category with a readable title", function () {
      expect(result.shape).to.equal("bundle");
      expect(result.bundleType).to.equal("searchset");
      expect(result.records.map((r) => [r.entry, r.resource.resourceType, categoryLabel(r.category), r.title])).to.deep.equal([
        [1, "Patient", "Demographics", "Jane Doe"],
        [4, "Condition", "Problems & diagnoses", "High blood pressure"],
        [5, "Condition", "Problems & diagnoses", "Acute bronchitis"],
        [6, "AllergyIntolerance", "Allergies", "Latex"],
        [8, "MedicationRequest", "Medications", "lisinopril 10 MG Oral Tablet — 10 mg"],
        [9, "Observation", "Lab results", "Potassium 4.1 mmol/L"],
        [10, "Observation", "Lab results", "Blood pressure Systolic: 138 mmHg; Diastolic: 86 mmHg"],
        [11, "DiagnosticReport", "Imaging", "Chest X-ray"],
        [12, "Immunization", "Immunizations", "Tdap"],
        [13, "DocumentReference", "Clinical notes & documents", "Discharge summary, January 2024"],
      ]);
    });

    it("keeps the names of the people and products entries cite, since each record must stand alone", function () {
      expect(byId("htn").resource.recorder).to.deep.equal({ reference: "Practitioner/dr-ruiz", display: "Dr. Ana Ruiz" });
      expect(byId("htn").description.author).to.equal("Dr. Ana Ruiz");
      // A versioned absolute reference still finds its practitioner.
      expect(byId("rx-lis").description.author).to.equal("Dr. Ana Ruiz");
      expect(byId("k-1").description.author).to.equal("Lakeside Hospital Laboratory");
      expect(byId("dc-1").description.author).to.equal("Dr. Ana Ruiz");
      // The Medication becomes the prescription's coded medicine.
      expect(byId("rx-lis").resource).not.to.have.property("medicationReference");
      expect(byId("rx-lis").resource.medicationCodeableConcept).to.deep.equal({
        coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "314076", display: "lisinopril 10 MG Oral Tablet" }],
      });
      expect(byId("htn").resource.subject).to.deep.equal({ reference: "Patient/p-100", display: "Jane Doe" });
    });

    it("leaves every imported record valid FHIR R4", function () {
      for (const r of result.records) expect(fhirSchemaErrors(r.resource), r.title).to.deep.equal([]);
    });

    it("explains, entry by entry and in words, what it did not import", function () {
      expect(result.problems.map((p) => [p.entry, p.resourceType])).to.deep.equal([
        [2, "Practitioner"],
        [3, "Organization"],
        [7, "Medication"],
        [14, "Condition"],
        [15, "OperationOutcome"],
        [16, undefined],
      ]);
      const messages = result.problems.map((p) => p.message);
      expect(messages[0]).to.equal(
        "Entry 2 (Practitioner “Dr. Ana Ruiz”) describes a person, place or product, not your health, so it is not a record of its own; its name is kept on the records that mention it.",
      );
      expect(messages[3]).to.equal("Entry 14 (Condition “High blood pressure”) appears twice in the file; it was imported once.");
      expect(messages[4]).to.contain("is technical information, not a health record");
      expect(messages[5]).to.equal("Entry 16 holds no record (it is an instruction, “DELETE Observation/old-1”), so it was skipped.");
      expectPlainLanguage(messages);
    });

    it("does not change the caller's parsed input (imports are copies)", function () {
      expect(OTHER_PORTAL_EXPORT.entry[7].resource).to.have.property("medicationReference");
    });
  });

  it("imports a document Bundle entry by entry, and a transaction Bundle's resources", function () {
    const doc = importFhir(
      asText({
        resourceType: "Bundle",
        type: "document",
        entry: [
          {
            fullUrl: "urn:uuid:0c3f6a86-6d6e-4f43-9b9a-1d1b8c9f0a01",
            resource: {
              resourceType: "Composition",
              status: "final",
              type: { text: "Letter" },
              title: "Clinic letter",
              date: "2026-01-02",
              author: [{ display: "Dr. Chen" }],
            },
          },
          {
            fullUrl: "urn:uuid:0c3f6a86-6d6e-4f43-9b9a-1d1b8c9f0a02",
            resource: { resourceType: "Condition", code: { text: "Migraine" }, subject: { display: "Jane" } },
          },
        ],
      }),
    );
    expect(doc.records.map((r) => [r.resource.resourceType, categoryLabel(r.category)])).to.deep.equal([
      ["Composition", "Clinical notes & documents"],
      ["Condition", "Problems & diagnoses"],
    ]);
    const tx = importFhir(
      asText({
        resourceType: "Bundle",
        type: "transaction",
        entry: [
          {
            resource: {
              resourceType: "Immunization",
              status: "completed",
              vaccineCode: { text: "MMR" },
              patient: { display: "Jane" },
              occurrenceDateTime: "1990",
            },
            request: { method: "POST", url: "Immunization" },
          },
        ],
      }),
    );
    expect(tx.records).to.have.length(1);
    expect(tx.records[0].resource.id, "a missing id is minted").to.match(/^[0-9a-f-]{36}$/);
    expect(tx.problems).to.deep.equal([]);
  });

  it("imports a single resource file, a JSON array of resources, and NDJSON (bulk export)", function () {
    const one = importFhir(
      asText({ resourceType: "AllergyIntolerance", id: "a1", code: { text: "Peanut" }, patient: { display: "Jane" }, criticality: "high" }),
    );
    expect(one).to.deep.include({ shape: "resource", problems: [] });
    expect(one.records.map((r) => [r.title, categoryLabel(r.category)])).to.deep.equal([["Peanut", "Allergies"]]);
    const list = importFhir(asText([{ resourceType: "Condition", code: { text: "Asthma" } }, { nope: true }]));
    expect(list.records.map((r) => r.title)).to.deep.equal(["Asthma"]);
    expect(list.problems.map((p) => p.message)).to.deep.equal(["Entry 2 holds no FHIR record, so it was skipped."]);
    const ndjson = importFhir(
      [
        '{"resourceType":"Condition","id":"c1","code":{"text":"Asthma"}}',
        "",
        '{"resourceType":"Immunization","id":"i1","vaccineCode":{"text":"Flu"}}',
        "{oops",
      ].join("\n"),
    );
    expect(ndjson.shape).to.equal("ndjson");
    expect(ndjson.records.map((r) => r.title)).to.deep.equal(["Asthma", "Flu"]);
    expect(ndjson.problems.map((p) => p.message)).to.deep.equal(["Line 4 could not be read as JSON, so it was skipped."]);
  });

  it("answers files that are not FHIR with a sentence, never a parser message", function () {
    const cases: Array<[string, string]> = [
      ["", "The file is empty."],
      [
        "Blood pressure 138/86 on Monday",
        "This file is not a FHIR file: FHIR files are JSON text, and this one could not be read as JSON.",
      ],
      ['{"resourceType": "Condition", ', "This file is not a FHIR file: FHIR files are JSON text"],
      ['<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/></Bundle>', "This file is XML or a web page, not a FHIR JSON file."],
      ["%PDF-1.7\n%âãÏÓ", "This is a PDF document, not a FHIR file: add it as a document instead."],
      ["\u0000\u0001PK\u0003\u0004", "This file is not a FHIR file: it is not text."],
      ['{"name": "Jane"}', "This file is JSON but not a FHIR file: it has no “resourceType”."],
      ["[1, 2, 3]", "This file is JSON but not a FHIR file: it holds no FHIR resources."],
      ['{"resourceType": "Bundle", "type": "collection", "entry": []}', "This FHIR Bundle is empty: there is nothing to import."],
    ];
    for (const [text, start] of cases) {
      const result = importFhir(text);
      expect(result.records, text).to.deep.equal([]);
      expect(result.problems[0].message, text).to.satisfy((m: string) => m.startsWith(start));
      expectPlainLanguage(result.problems.map((p) => p.message));
    }
    expect(importFhir(undefined as unknown as string).problems[0].message).to.equal("The file is empty.");
  });

  it("tolerates a byte-order mark and says when nothing in a file is a health record", function () {
    expect(importFhir("\uFEFF" + asText({ resourceType: "Condition", code: { text: "Gout" } })).records).to.have.length(1);
    const none = importFhir(
      asText({ resourceType: "Bundle", type: "collection", entry: [{ resource: { resourceType: "Organization", name: "Clinic" } }] }),
    );
    expect(none.records).to.deep.equal([]);
    expect(none.problems.at(-1)!.message).to.equal("Nothing in this file could be imported as a health record.");
  });

  it("warns when a file describes more than one person", function () {
    const two = importFhir(
      asText({
        resourceType: "Bundle",
        type: "searchset",
        entry: [{ resource: { resourceType: "Patient", id: "a" } }, { resource: { resourceType: "Patient", id: "b" } }],
      }),
    );
    expect(two.problems.map((p) => p.message)).to.deep.equal([
      "This file describes more than one person. Check that every record is yours before adding it to your vault.",
    ]);
    expect((two.records[0].resource as FhirResource).resourceType).to.equal("Patient");
  });
});
