import { expect } from "chai";
import {
  buildAllergyIntolerance,
  buildCondition,
  buildDetectedIssue,
  buildDocumentReference,
  buildImmunization,
  buildLabResult,
  buildMedicationDispense,
  buildMedicationRequest,
  buildMedicationStatement,
  describeResource,
  type FhirResource,
} from "../../../lib/fhir";
import { built, DR_CHEN, JANE, NOW, PHARMACY } from "./fixtures";

const opts = { now: NOW };
const describe_ = (r: object) => describeResource(r as FhirResource);

describe("describeResource (what a timeline line shows)", function () {
  it("titles a condition by its name, dates it by onset, credits the recorder", function () {
    const c = built(
      buildCondition({ name: "Asthma", onsetDate: "2019-04-02", clinicalStatus: "active", patient: JANE, recorder: DR_CHEN }, opts),
    );
    expect(describe_(c)).to.deep.equal({
      kind: "Condition",
      title: "Asthma",
      date: "2019-04-02",
      author: "Dr. Alice Chen",
      summary: "Active · since 2019-04-02",
    });
  });

  it("shows an allergy's risk and reaction", function () {
    const a = built(
      buildAllergyIntolerance(
        {
          substance: "Penicillin",
          category: "medication",
          criticality: "high",
          reaction: "Anaphylaxis",
          reactionSeverity: "severe",
          patient: JANE,
          recorder: JANE,
        },
        opts,
      ),
    );
    expect(describe_(a)).to.deep.include({
      kind: "Allergy",
      title: "Penicillin",
      author: "Jane Doe",
      summary: "High risk · Anaphylaxis (severe) · medication",
    });
    expect(describe_(a).date).to.equal("2026-03-01T10:00:00Z");
  });

  it("titles medicines with their dose, prescriptions with the prescriber", function () {
    const rx = built(
      buildMedicationRequest(
        {
          drug: "Amoxicillin",
          rxnormCode: "723",
          doseValue: 500,
          doseUnit: "mg",
          route: "oral",
          frequency: "three-times-daily",
          quantity: 21,
          quantityUnit: "capsule",
          refills: 1,
          requester: DR_CHEN,
          patient: JANE,
        },
        opts,
      ),
    );
    expect(describe_(rx)).to.deep.equal({
      kind: "Prescription",
      title: "Amoxicillin — 500 mg",
      date: "2026-03-01T10:00:00Z",
      author: "Dr. Alice Chen",
      summary: "Active · 500 mg by mouth three times a day · quantity 21 capsule · 1 refill",
    });
    const ms = built(
      buildMedicationStatement(
        {
          drug: "Salbutamol inhaler",
          dose: "2 puffs when needed",
          status: "active",
          startDate: "2019-04",
          patient: JANE,
          informationSource: JANE,
        },
        opts,
      ),
    );
    expect(describe_(ms)).to.deep.include({
      kind: "Medication",
      title: "Salbutamol inhaler — 2 puffs when needed",
      date: "2019-04",
      author: "Jane Doe",
    });
    const md = built(
      buildMedicationDispense(
        {
          drug: "Amoxicillin",
          authorizingPrescription: "MedicationRequest/rx-1",
          quantity: 21,
          quantityUnit: "capsule",
          whenHandedOver: "2026-03-01T09:00:00Z",
          performer: PHARMACY,
        },
        opts,
      ),
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
      buildLabResult(
        {
          test: "HbA1c",
          value: 6.1,
          unit: "%",
          referenceLow: 4,
          referenceHigh: 5.6,
          interpretation: "high",
          effectiveDate: "2026-01-20",
          performer: { display: "Riverside Lab" },
          patient: JANE,
        },
        opts,
      ),
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
      buildImmunization(
        { vaccine: "Influenza", date: "2025-10-01", lotNumber: "L7", performer: { display: "Nurse Kim" }, patient: JANE },
        opts,
      ),
    );
    expect(describe_(i)).to.deep.equal({
      kind: "Vaccination",
      title: "Influenza",
      date: "2025-10-01",
      author: "Nurse Kim",
      summary: "lot L7",
    });
    const d = built(
      buildDocumentReference(
        {
          title: "Discharge letter",
          kind: "discharge-summary",
          contentType: "application/pdf",
          date: "2026-02-14",
          author: DR_CHEN,
          patient: JANE,
        },
        opts,
      ),
    );
    expect(describe_(d)).to.deep.equal({
      kind: "Document",
      title: "Discharge letter",
      date: "2026-02-14",
      author: "Dr. Alice Chen",
      summary: "Discharge summary · application/pdf",
    });
    const di = built(
      buildDetectedIssue(
        {
          kind: "drug-drug",
          severity: "high",
          detail: "Bleeding risk.",
          implicated: ["MedicationRequest/rx-1"],
          overrideReason: "Short course, INR checked",
          author: DR_CHEN,
        },
        opts,
      ),
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
