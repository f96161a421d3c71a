import { expect } from "chai";
import { describeResource, type FhirResource } from "../../../lib/fhir";
import { build } from "./build";
import { AMOXICILLIN, ASTHMA, built, DR_CHEN, JANE, PENICILLIN, PHARMACY, SALBUTAMOL } from "./fixtures";

const describe_ = (r: object) => describeResource(r as FhirResource);

describe("describeResource (what a timeline line shows)", function () {
  it("titles a condition by its name, dates it by onset, credits the recorder", function () {
    const c = built(build.condition(ASTHMA));
    expect(describe_(c)).to.deep.equal({
      kind: "Condition",
      title: "Asthma",
      date: "2019-04-02",
      author: "Dr. Alice Chen",
      summary: "Active · since 2019-04-02",
    });
  });

  it("shows an allergy's risk and reaction", function () {
    const a = built(build.allergyIntolerance({ ...PENICILLIN, recorder: JANE }));
    expect(describe_(a)).to.deep.include({
      kind: "Allergy",
      title: "Penicillin",
      author: "Jane Doe",
      summary: "High risk · Anaphylaxis (severe) · medication",
    });
    expect(describe_(a).date).to.equal("2026-03-01T10:00:00Z");
  });

  it("titles medicines with their dose, prescriptions with the prescriber", function () {
    const rx = built(build.medicationRequest({ ...AMOXICILLIN, drug: "Amoxicillin", rxnormCode: "723", refills: 1 }));
    expect(describe_(rx)).to.deep.equal({
      kind: "Prescription",
      title: "Amoxicillin — 500 mg",
      date: "2026-03-01T10:00:00Z",
      author: "Dr. Alice Chen",
      summary: "Active · 500 mg by mouth three times a day · quantity 21 capsule · 1 refill",
    });
    const ms = built(build.medicationStatement(SALBUTAMOL));
    expect(describe_(ms)).to.deep.include({
      kind: "Medication",
      title: "Salbutamol inhaler — 2 puffs when needed",
      date: "2019-04",
      author: "Jane Doe",
    });
    const md = built(
      build.medicationDispense({
        drug: "Amoxicillin",
        authorizingPrescription: "MedicationRequest/rx-1",
        quantity: 21,
        quantityUnit: "capsule",
        whenHandedOver: "2026-03-01T09:00:00Z",
        performer: PHARMACY,
      }),
    );
    expect(describe_(md)).to.deep.include({
      kind: "Dispensed medicine",
      title: "Amoxicillin — 21 capsule",
      date: "2026-03-01T09:00:00Z",
      author: "Main Street Pharmacy",
    });
  });

  it("titles a lab result with its value and unit, dated when the sample was taken", function () {
    const o = built(
      build.labResult({
        test: "HbA1c",
        value: 6.1,
        unit: "%",
        referenceLow: 4,
        referenceHigh: 5.6,
        interpretation: "high",
        effectiveDate: "2026-01-20",
        performer: { display: "Riverside Lab" },
        patient: JANE,
      }),
    );
    expect(describe_(o)).to.deep.equal({
      kind: "Lab result",
      title: "HbA1c 6.1 %",
      date: "2026-01-20",
      author: "Riverside Lab",
      summary: "High · normal range 4 % – 5.6 %",
    });
  });

  it("describes vaccinations, documents and prescribing alerts", function () {
    const i = built(
      build.immunization({ vaccine: "Influenza", date: "2025-10-01", lotNumber: "L7", performer: { display: "Nurse Kim" }, patient: JANE }),
    );
    expect(describe_(i)).to.deep.equal({
      kind: "Vaccination",
      title: "Influenza",
      date: "2025-10-01",
      author: "Nurse Kim",
      summary: "lot L7",
    });
    const d = built(
      build.documentReference({
        title: "Discharge letter",
        kind: "discharge-summary",
        contentType: "application/pdf",
        date: "2026-02-14",
        author: DR_CHEN,
        patient: JANE,
      }),
    );
    expect(describe_(d)).to.deep.equal({
      kind: "Document",
      title: "Discharge letter",
      date: "2026-02-14",
      author: "Dr. Alice Chen",
      summary: "Discharge summary · application/pdf",
    });
    const di = built(
      build.detectedIssue({
        kind: "drug-drug",
        severity: "high",
        detail: "Bleeding risk.",
        implicated: ["MedicationRequest/rx-1"],
        overrideReason: "Short course, INR checked",
        author: DR_CHEN,
      }),
    );
    expect(describe_(di)).to.deep.include({
      kind: "Prescribing alert",
      title: "Drug interaction",
      author: "Dr. Alice Chen",
      summary: "Severe · Bleeding risk. · overridden: Short course, INR checked",
    });
  });

  it("never returns an empty title, whatever it is given", function () {
    expect(describe_({ resourceType: "Condition" }).title).to.equal("Condition (no name given)");
    expect(describe_({ resourceType: "CareTeam" })).to.deep.equal({ kind: "Care team", title: "Care team (no name given)" });
    expect(describe_({ resourceType: "Observation", code: 7, valueQuantity: "x", category: "y" }).title).to.equal(
      "Observation (no name given)",
    );
    expect(describe_({ resourceType: "Bundle", type: "collection", entry: [{ resource: { resourceType: "Condition" } }] }).title).to.equal(
      "1 record",
    );
    expect(describe_(null as unknown as object)).to.deep.equal({ kind: "Record", title: "Record" });
  });
});
