import { expect } from "chai";
import { CATEGORIES } from "../../../lib/consent/codes";
import { categoryOf, DEFAULT_CATEGORY, type FhirResource } from "../../../lib/fhir";

const key = (r: object) => CATEGORIES[categoryOf(r as FhirResource)].key;
const obsCategory = (code: string) => [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code }] }];

describe("categoryOf (FHIR resource → the record category grants are made on)", function () {
  it("maps each clinical type to its category", function () {
    expect(
      [
        "Patient",
        "Condition",
        "AllergyIntolerance",
        "MedicationStatement",
        "MedicationRequest",
        "MedicationDispense",
        "DetectedIssue",
        "ImagingStudy",
        "Immunization",
      ].map((resourceType) => key({ resourceType })),
    ).to.deep.equal([
      "DEMOGRAPHICS",
      "PROBLEMS",
      "ALLERGIES",
      "MEDICATIONS",
      "MEDICATIONS",
      "MEDICATIONS",
      "MEDICATIONS",
      "IMAGING",
      "IMMUNIZATIONS",
    ]);
  });

  it("sorts observations: imaging → IMAGING, laboratory and the rest → LABS", function () {
    expect(key({ resourceType: "Observation", category: obsCategory("laboratory") })).to.equal("LABS");
    expect(key({ resourceType: "Observation", category: obsCategory("imaging") })).to.equal("IMAGING");
    expect(key({ resourceType: "Observation", category: obsCategory("vital-signs") })).to.equal("LABS");
    expect(key({ resourceType: "Observation" })).to.equal("LABS");
  });

  it("sorts diagnostic reports by service section or type: radiology → IMAGING, otherwise LABS", function () {
    const section = (code: string) => [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code }] }];
    expect(key({ resourceType: "DiagnosticReport", category: section("RAD") })).to.equal("IMAGING");
    expect(key({ resourceType: "DiagnosticReport", category: section("CT") })).to.equal("IMAGING");
    expect(key({ resourceType: "DiagnosticReport", code: { coding: [{ system: "http://loinc.org", code: "18748-4" }] } })).to.equal(
      "IMAGING",
    );
    expect(key({ resourceType: "DiagnosticReport", category: section("LAB") })).to.equal("LABS");
  });

  it("files documents by their LOINC type, notes being the rule", function () {
    const doc = (code?: string) => ({
      resourceType: "DocumentReference",
      type: code ? { coding: [{ system: "http://loinc.org", code }] } : undefined,
    });
    expect(key(doc("11502-2"))).to.equal("LABS");
    expect(key(doc("18748-4"))).to.equal("IMAGING");
    expect(key(doc("18842-5"))).to.equal("NOTES");
    expect(key(doc())).to.equal("NOTES");
  });

  it("recognises the International Patient Summary as a Composition and as a document Bundle", function () {
    const ips = { resourceType: "Composition", type: { coding: [{ system: "http://loinc.org", code: "60591-5" }] } };
    expect(key(ips)).to.equal("EMERGENCY_SUMMARY");
    expect(key({ resourceType: "Bundle", type: "document", entry: [{ resource: ips }] })).to.equal("EMERGENCY_SUMMARY");
    expect(key({ resourceType: "Composition", type: { text: "Letter" } })).to.equal("NOTES");
    expect(key({ resourceType: "Bundle", type: "collection", entry: [{ resource: ips }] })).to.equal("NOTES");
  });

  it("puts anything else in the documented default, NOTES, and never guesses a sensitive category", function () {
    expect(CATEGORIES[DEFAULT_CATEGORY].key).to.equal("NOTES");
    expect(key({ resourceType: "Encounter" })).to.equal("NOTES");
    expect(key({ resourceType: "SomethingNew" })).to.equal("NOTES");
    // A depression diagnosis stays a problem: moving it to MENTAL_HEALTH is the patient's choice.
    expect(
      key({
        resourceType: "Condition",
        code: { coding: [{ system: "http://snomed.info/sct", code: "35489007", display: "Depressive disorder" }] },
      }),
    ).to.equal("PROBLEMS");
  });
});
