import { expect } from "chai";
import {
  conceptText,
  factsOf,
  fhirDate,
  headlineOf,
  isFhirResource,
  quantityText,
  resourcesOf,
  type FhirResource,
} from "../../web/src/components/fhirFacts";
import { SAMPLE_CONDITION, SAMPLE_EMERGENCY_SUMMARY } from "../../web/src/views/patient/samples";

/** A lab result as another system writes it (HbA1c with a reference range and an interpretation code). */
const SAMPLE_LAB_RESULT = JSON.stringify({
  resourceType: "Observation",
  status: "final",
  category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
  code: { coding: [{ system: "http://loinc.org", code: "4548-4", display: "Hemoglobin A1c/Hemoglobin.total in Blood" }], text: "HbA1c" },
  effectiveDateTime: "2026-01-20T08:30:00Z",
  valueQuantity: { value: 6.1, unit: "%", system: "http://unitsofmeasure.org", code: "%" },
  referenceRange: [{ low: { value: 4, unit: "%" }, high: { value: 5.6, unit: "%" } }],
  interpretation: [
    { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", code: "H", display: "High" }] },
  ],
});

const facts = (r: object): Record<string, string> => Object.fromEntries(factsOf(r as FhirResource));

describe("fhirFacts (what a clinical card shows for a FHIR R4 resource)", function () {
  it("reads a CodeableConcept's text, else its first display, else its first code", function () {
    expect(conceptText({ text: "Asthma", coding: [{ display: "x" }] })).to.equal("Asthma");
    expect(conceptText({ coding: [{ code: "1" }, { display: "Penicillin" }] })).to.equal("Penicillin");
    expect(conceptText({ coding: [{ code: "195967001" }] })).to.equal("195967001");
    expect(conceptText(undefined)).to.equal(undefined);
  });

  it("prints quantities with their unit, falling back to the UCUM code", function () {
    expect(quantityText({ value: 7.2, unit: "mmol/L" })).to.equal("7.2 mmol/L");
    expect(quantityText({ value: 120, code: "mm[Hg]" })).to.equal("120 mm[Hg]");
    expect(quantityText({ value: 0 })).to.equal("0");
    expect(quantityText({ unit: "kg" })).to.equal(undefined);
  });

  it("shows FHIR date-times in UTC without the reader's locale, and leaves plain dates alone", function () {
    expect(fhirDate("2026-01-20T08:30:00Z")).to.equal("2026-01-20 08:30 UTC");
    expect(fhirDate("2026-01-20T10:30:00+02:00")).to.equal("2026-01-20 08:30 UTC");
    expect(fhirDate("2019-04-02")).to.equal("2019-04-02");
    expect(fhirDate(42)).to.equal(undefined);
  });

  it("shows an Observation's value with unit, reference range and interpretation", function () {
    const lab = JSON.parse(SAMPLE_LAB_RESULT) as FhirResource;
    expect(headlineOf(lab)).to.equal("HbA1c");
    expect(facts(lab)).to.deep.include({
      Value: "6.1 %",
      "Reference range": "4 % – 5.6 %",
      Interpretation: "High",
      Effective: "2026-01-20 08:30 UTC",
    });
  });

  it("shows a multi-component Observation (blood pressure) as its components", function () {
    const bp = {
      resourceType: "Observation",
      code: { text: "Blood pressure" },
      component: [
        { code: { text: "Systolic" }, valueQuantity: { value: 128, unit: "mmHg" } },
        { code: { text: "Diastolic" }, valueQuantity: { value: 82, unit: "mmHg" } },
      ],
    };
    expect(facts(bp).Value).to.equal("Systolic: 128 mmHg; Diastolic: 82 mmHg");
  });

  it("covers Condition, AllergyIntolerance, medications, Immunization, DiagnosticReport and Patient", function () {
    expect(facts(JSON.parse(SAMPLE_CONDITION) as object)).to.deep.include({
      Condition: "Asthma",
      "Clinical status": "active",
      Onset: "2019-04-02",
    });
    expect(
      facts({
        resourceType: "AllergyIntolerance",
        code: { text: "Peanut" },
        criticality: "high",
        reaction: [{ manifestation: [{ text: "Hives" }] }],
      }),
    ).to.deep.include({
      Allergy: "Peanut",
      Criticality: "high",
      Reaction: "Hives",
    });
    expect(
      facts({
        resourceType: "MedicationRequest",
        medicationCodeableConcept: { text: "Metformin 500 mg" },
        dosageInstruction: [{ text: "twice daily" }],
      }),
    ).to.deep.include({
      Medication: "Metformin 500 mg",
      Dosage: "twice daily",
    });
    expect(
      facts({ resourceType: "Immunization", vaccineCode: { text: "Influenza" }, occurrenceDateTime: "2025-10-01", status: "completed" }),
    ).to.deep.include({
      Vaccine: "Influenza",
      Date: "2025-10-01",
    });
    expect(facts({ resourceType: "DiagnosticReport", code: { text: "Chest X-ray" }, conclusion: "No acute findings" })).to.deep.include({
      Conclusion: "No acute findings",
    });
    expect(facts({ resourceType: "Patient", name: [{ given: ["Jane"], family: "Doe" }], birthDate: "1980-02-03" })).to.deep.include({
      Name: "Jane Doe",
      Born: "1980-02-03",
    });
  });

  it("leaves out facts the resource does not carry, and names unknown resource types", function () {
    expect(factsOf({ resourceType: "Condition", code: { text: "Asthma" } })).to.deep.equal([["Condition", "Asthma"]]);
    expect(factsOf({ resourceType: "Encounter" })).to.deep.equal([["Resource", "Encounter"]]);
  });

  it("opens the sample International Patient Summary into its allergies, medications and problems, in order", function () {
    const bundle = JSON.parse(SAMPLE_EMERGENCY_SUMMARY) as FhirResource;
    const resources = resourcesOf(bundle);
    expect(resources.map((r) => r.resourceType)).to.deep.equal(["Composition", "AllergyIntolerance", "MedicationStatement", "Condition"]);
    expect(resources.map(headlineOf)).to.deep.equal([
      "International Patient Summary",
      "Penicillin",
      "Salbutamol 100 micrograms/dose inhaler",
      "Asthma",
    ]);
    expect(facts(resources[1])).to.deep.include({ Criticality: "high", Reaction: "Anaphylaxis", Severity: "severe" });
  });

  it("treats a single resource as itself and skips bundle entries without a resource", function () {
    const one = { resourceType: "Condition" };
    expect(resourcesOf(one)).to.deep.equal([one]);
    expect(resourcesOf({ resourceType: "Bundle", entry: [{ fullUrl: "x" }, { resource: one }, { resource: [1] }] })).to.deep.equal([one]);
    expect(resourcesOf({ resourceType: "Bundle" })).to.deep.equal([]);
  });

  it("recognises FHIR resources only as objects with a string resourceType", function () {
    expect(isFhirResource({ resourceType: "Patient" })).to.equal(true);
    expect(isFhirResource({ resourceType: 3 })).to.equal(false);
    expect(isFhirResource([{ resourceType: "Patient" }])).to.equal(false);
    expect(isFhirResource(null)).to.equal(false);
  });
});
