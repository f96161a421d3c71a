import { expect } from "chai";
import { RECORD_KINDS, recordKindsFor, type FormValues } from "../../web/src/components/recordForms/recordKinds";
import { categoryProblem, ownVault } from "../../web/src/components/recordForms/recordTarget";
import { categoryOf, type FhirResource } from "../../lib/fhir";
import { CATEGORY } from "../../lib/consent/codes";
import { summaryChoices, summaryFromChoices } from "../../web/src/views/patient/emergency/emergencyChoices";
import { faceOf, type RecordFace } from "../../web/src/views/patient/records/recordFaces";
import type { VaultRecord } from "../../lib/client/gatewayClient";
import { built, DR_CHEN, errorsOf, expectPlainLanguage, expectValidR4, JANE } from "../lib/fhir/fixtures";

/** What a person types into each form. */
const FILLED: Record<string, FormValues> = {
  condition: { name: "Asthma", onsetDate: "2019-04-02", clinicalStatus: "active", resolvedDate: "", note: "" },
  allergy: {
    substance: "Penicillin",
    category: "medication",
    criticality: "high",
    reaction: "Anaphylaxis",
    reactionSeverity: "severe",
    onsetDate: "",
    note: "",
  },
  medication: { drug: "Metformin", dose: "500 mg twice a day", status: "active", startDate: "2020-01-01", reason: "Diabetes", note: "" },
  lab: {
    test: "HbA1c",
    value: "6,1",
    unit: "",
    valueText: "",
    referenceLow: "4",
    referenceHigh: "5.6",
    effectiveDate: "2026-01-10",
    interpretation: "high",
    note: "",
  },
  immunization: {
    vaccine: "Influenza (flu), seasonal",
    date: "2025-10-01",
    performer: "Main Street Pharmacy",
    lotNumber: "AB12",
    note: "",
  },
  note: { title: "Visit with Dr. Chen", date: "2026-01-10", text: "Wheezing better with the new inhaler." },
};

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("the record forms (web/src/components/recordForms/recordKinds.ts)", function () {
  this.timeout(60_000);

  it("cover the six kinds the issue asks for, each with filled-in sample answers here", function () {
    expect(RECORD_KINDS.map((k) => k.key)).to.deep.equal(Object.keys(FILLED));
  });

  for (const kind of RECORD_KINDS)
    it(`build valid FHIR R4 from the answers to “${kind.label}”`, function () {
      expectValidR4(built(kind.build(FILLED[kind.key], JANE)));
    });

  for (const kind of RECORD_KINDS)
    it(`refuse an empty “${kind.label}” in plain words, each next to a field the form shows`, function () {
      const errors = errorsOf(kind.build(kind.initial, JANE));
      const fields = kind.fields.map((f) => f.name);
      for (const field of Object.keys(errors)) expect(fields, `${field}: ${errors[field]}`).to.include(field);
      expectPlainLanguage(Object.values(errors));
    });

  it("store the code of a picked suggestion, the usual unit of a picked test, and nothing for free text", function () {
    const [condition, , , lab] = RECORD_KINDS;
    const asthma = built(condition.build(FILLED.condition, JANE)) as { code: unknown };
    expect(asthma.code).to.deep.equal({ coding: [{ system: "http://snomed.info/sct", code: "195967001" }], text: "Asthma" });
    const free = built(condition.build({ ...FILLED.condition, name: "Asthma since childhood" }, JANE)) as { code: unknown };
    expect(free.code).to.deep.equal({ text: "Asthma since childhood" });
    const a1c = built(lab.build(FILLED.lab, JANE)) as { valueQuantity: unknown };
    expect(a1c.valueQuantity).to.deep.include({ value: 6.1, unit: "%" });
  });

  for (const kind of RECORD_KINDS)
    it(`file “${kind.label}” under the category it says it usually goes to`, function () {
      expect(categoryOf(built(kind.build(FILLED[kind.key], JANE)) as FhirResource)).to.equal(kind.category);
    });

  it("name a clinician who fills them for a patient where each resource says who recorded it, the patient as its subject", function () {
    const [condition, allergy, medication, lab, immunization, note] = RECORD_KINDS;
    const chen = { identifier: { value: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" }, display: "Dr. Alice Chen" };
    const jane = { identifier: { value: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" } };
    const by = (kind: (typeof RECORD_KINDS)[number]) => {
      const resource = built(kind.build(FILLED[kind.key], { address: JANE.address }, DR_CHEN));
      expectValidR4(resource);
      return resource as Record<string, unknown>;
    };
    expect(by(condition)).to.deep.nested.include({ "recorder.display": chen.display, "subject.identifier.value": jane.identifier.value });
    expect(by(allergy)).to.deep.nested.include({ "recorder.identifier.value": chen.identifier.value });
    expect(by(medication)).to.deep.nested.include({ "informationSource.display": chen.display });
    expect(by(lab)).to.deep.nested.include({ "performer[0].display": chen.display, "subject.identifier.value": jane.identifier.value });
    expect(by(immunization)).to.deep.nested.include({ "performer[0].actor.display": "Main Street Pharmacy", primarySource: true });
    expect(by(note)).to.deep.nested.include({ "author[0].display": chen.display });
    // A vaccination the clinician gave (nothing typed under "where or by whom") names the clinician.
    const given = built(immunization.build({ ...FILLED.immunization, performer: "" }, { address: JANE.address }, DR_CHEN));
    expect(given).to.deep.nested.include({ "performer[0].actor.display": chen.display });
    // The patient's own lab result names no performer: she copied it, she did not perform it.
    expect(built(lab.build(FILLED.lab, JANE))).not.to.have.property("performer");
  });

  it("speak of the patient in the third person when a clinician fills them, with the same fields", function () {
    const clinician = recordKindsFor("clinician");
    expect(clinician.map((k) => k.key)).to.deep.equal(RECORD_KINDS.map((k) => k.key));
    const labels = clinician.flatMap((k) => [k.label, ...k.fields.map((f) => f.label)]);
    for (const label of labels) expect(label).not.to.match(/\b(I|you|your)\b/i);
    expect(recordKindsFor("patient")).to.equal(RECORD_KINDS);
  });

  it("refuse, in words, a category the adder's grant does not cover, and never refuse the patient's own vault", function () {
    const grant = { ...ownVault(DR_CHEN.address), whose: "Jane Doe's", categories: [CATEGORY.LABS] };
    expect(categoryProblem(grant, CATEGORY.LABS)).to.equal(undefined);
    expect(categoryProblem(grant, CATEGORY.PROBLEMS)).to.equal(
      "Your grant does not let you add Problems & diagnoses to Jane Doe's vault, only Lab results. " +
        "Choose one of those under “File it under”, or add another kind of record.",
    );
    expect(categoryProblem(ownVault(JANE.address), CATEGORY.MENTAL_HEALTH)).to.equal(undefined);
  });

  it("say a typed note needs its text, even though the document builder would accept none", function () {
    const note = RECORD_KINDS.find((k) => k.key === "note")!;
    expect(errorsOf(note.build({ ...FILLED.note, text: " " }, JANE))).to.deep.equal({ text: "Write the note." });
  });
});

describe("the emergency summary's choices from the vault (emergency/emergencyChoices.ts)", function () {
  const record = (cid: string, category: number): VaultRecord => ({
    cid,
    category,
    recordId: cid,
    author: JANE.address,
    addedAt: "2026-01-01T00:00:00Z",
    block: 1,
    txHash: "0x",
  });
  const face = (resource: object): RecordFace => faceOf(utf8(JSON.stringify(resource)));
  const [condition, allergy, medication, lab] = RECORD_KINDS;

  it("offers allergies, problems and medications, ticking only what is current, and leaves other records out", function () {
    const faces = new Map<string, RecordFace>([
      ["allergy", face(built(allergy.build(FILLED.allergy, JANE)))],
      ["asthma", face(built(condition.build(FILLED.condition, JANE)))],
      [
        "gone",
        face(
          built(condition.build({ ...FILLED.condition, name: "Migraine", clinicalStatus: "resolved", resolvedDate: "2020-01-01" }, JANE)),
        ),
      ],
      ["stopped", face(built(medication.build({ ...FILLED.medication, status: "stopped" }, JANE)))],
      ["lab", face(built(lab.build(FILLED.lab, JANE)))],
      ["pdf", faceOf(utf8("%PDF-1.4\n%%EOF"))],
    ]);
    const records = [...faces.keys()].map((cid) => record(cid, 1));
    const choices = summaryChoices(records, faces).map((c) => [c.cid, c.section, c.current]);
    expect(choices).to.deep.equal([
      ["allergy", "allergies", true],
      ["asthma", "problems", true],
      ["gone", "problems", false],
      ["stopped", "medications", false],
    ]);
  });

  it("assemble the picked ones into a valid R4 International Patient Summary by and about her", function () {
    const faces = new Map<string, RecordFace>([
      ["allergy", face(built(allergy.build(FILLED.allergy, JANE)))],
      ["asthma", face(built(condition.build(FILLED.condition, JANE)))],
      ["metformin", face(built(medication.build(FILLED.medication, JANE)))],
    ]);
    const choices = summaryChoices(
      [...faces.keys()].map((cid) => record(cid, 1)),
      faces,
    );
    const bundle = built(summaryFromChoices({ name: "Jane Doe", address: JANE.address }, choices));
    expectValidR4(bundle);
    const composition = bundle.entry[0].resource as { title?: string; section?: Array<{ entry?: unknown[] }> };
    expect(composition.title).to.equal("Patient summary of Jane Doe");
    expect(composition.section?.map((s) => s.entry?.length)).to.deep.equal([1, 1, 1]);
    expect(errorsOf(summaryFromChoices({ name: "", address: JANE.address }, choices))).to.have.property("patient.name");
  });

  it("skips records not yet decrypted", function () {
    expect(summaryChoices([record("unknown", 2)], new Map())).to.deep.equal([]);
  });
});
