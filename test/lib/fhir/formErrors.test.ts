import { expect } from "chai";
import type { ConditionForm, DetectedIssueForm, MedicationRequestForm } from "../../../lib/fhir";
import { build } from "./build";
import { AMOXICILLIN_DISPENSE, ASTHMA, errorsOf, expectPlainLanguage, JANE } from "./fixtures";

// What an untouched form hands over: every field empty.
const blank = <T>() => ({}) as T;

describe("fhir form errors (plain language, one per field)", function () {
  it("names every missing field of an empty condition form, with the sentence the form shows", function () {
    expect(errorsOf(build.condition(blank()))).to.deep.equal({
      name: "Enter the name of the condition, for example Asthma.",
      onsetDate: "Enter the date the condition started.",
      clinicalStatus: "Choose whether you still have this condition.",
      patient: "Choose whom this record is about.",
    });
  });

  it("explains contradictions between fields instead of building a wrong record", function () {
    expect(errorsOf(build.condition({ ...ASTHMA, resolvedDate: "2020-01-01" }))).to.deep.equal({
      resolvedDate: "A condition you still have has no end date: clear the end date, or mark it as gone away.",
    });
    expect(errorsOf(build.condition({ ...ASTHMA, clinicalStatus: "resolved", resolvedDate: "2018" }))).to.deep.equal({
      resolvedDate: "The date the condition went away is before the date it started.",
    });
    expect(
      errorsOf(
        build.allergyIntolerance({ substance: "Peanut", category: "food", criticality: "high", reactionSeverity: "severe", patient: JANE }),
      ).reaction,
    ).to.equal("Describe the reaction (for example Hives) before choosing how severe it was.");
    expect(
      errorsOf(build.labResult({ test: "HbA1c", value: 6.1, valueText: "high", effectiveDate: "2026-01-20", patient: JANE })).valueText,
    ).to.equal("Enter the result either as a number or in words, not both.");
    expect(
      errorsOf(
        build.labResult({ test: "HbA1c", value: 6.1, referenceLow: 6, referenceHigh: 4, effectiveDate: "2026-01-20", patient: JANE }),
      ).referenceHigh,
    ).to.equal("The upper limit of the normal range is below the lower limit.");
    expect(
      errorsOf(build.documentReference({ title: "Scan", contentType: "image/png", date: "2026-01-20", text: "typed", patient: JANE })).text,
    ).to.contain("Typed text goes with a text document");
  });

  it("refuses a mistyped code and a bad wallet address with a way out", function () {
    const errors = errorsOf(
      build.condition({ ...ASTHMA, snomedCode: "195967002", onsetDate: "2019", patient: { display: "Jane", address: "0x1234" } }),
    );
    expect(errors.snomedCode).to.equal(
      "195967002 is not a valid SNOMED CT code (its last digit does not match): check it for a typo, or leave the code empty.",
    );
    expect(errors.patient).to.equal("The wallet address of the patient is not valid: it is 0x followed by 40 letters and digits.");
  });

  it("requires an override reason for a severe finding, and accepts a moderate one without", function () {
    const form: DetectedIssueForm = {
      kind: "drug-drug",
      severity: "high",
      detail: "Increased risk of bleeding.",
      implicated: ["MedicationRequest/rx-9", "MedicationStatement/ms-2"],
      author: { display: "Dr. Priya Patel" },
    };
    expect(errorsOf(build.detectedIssue(form))).to.deep.equal({
      overrideReason: "Give the reason for prescribing despite this severe finding.",
    });
    expect(build.detectedIssue({ ...form, severity: "moderate" }).ok).to.equal(true);
    expect(errorsOf(build.detectedIssue({ ...form, implicated: ["not a reference"] }))["implicated.0"]).to.contain(
      "must point to a record",
    );
  });

  it("requires the RxNorm code and a structured dose on a prescription", function () {
    const errors = errorsOf(
      build.medicationRequest({
        drug: "Amoxicillin",
        doseValue: "lots",
        doseUnit: "mg",
        route: "by mouth",
        frequency: "daily",
        quantity: -1,
        quantityUnit: "capsule",
        refills: "2.5",
        requester: {},
        patient: JANE,
      } as unknown as MedicationRequestForm),
    );
    expect(errors).to.deep.equal({
      rxnormCode: "Enter the drug’s RxNorm code: the interaction check needs it.",
      doseValue: "Enter the dose as a number, for example 500.",
      route: "Choose how the drug is taken, for example by mouth.",
      frequency: "Choose how often the drug is taken.",
      quantity: "The quantity must be more than 0.",
      refills: "The number of refills must be a whole number.",
      requester: "Name the prescriber.",
    });
  });

  it("speaks plainly for every empty form: sentences, no code words, no JavaScript", function () {
    const results = [
      build.condition(blank()),
      build.allergyIntolerance(blank()),
      build.medicationStatement(blank()),
      build.medicationRequest(blank()),
      build.medicationDispense(blank()),
      build.labResult(blank()),
      build.immunization(blank()),
      build.documentReference(blank()),
      build.detectedIssue(blank()),
      build.patient({ name: "", birthDate: "31/12/1980", gender: "f" as "female" }),
    ];
    for (const r of results) {
      expect(r.ok).to.equal(false);
      if (!r.ok) expectPlainLanguage(r.errors.map((e) => e.message));
    }
    // Values of the wrong JavaScript type (a form bug) still get a sentence, never a crash.
    const odd = build.condition({ name: 42, onsetDate: 2019, clinicalStatus: ["active"], patient: "Jane" } as unknown as ConditionForm);
    expect(odd.ok).to.equal(false);
    if (!odd.ok) expectPlainLanguage(odd.errors.map((e) => e.message));
  });

  it("refuses a dispense whose prescription is not a MedicationRequest, and one handed over in the future", function () {
    const errors = errorsOf(
      build.medicationDispense({ ...AMOXICILLIN_DISPENSE, authorizingPrescription: "Condition/c1", whenHandedOver: "2026-04-01" }),
    );
    expect(errors).to.deep.equal({
      authorizingPrescription: "The prescription must be a MedicationRequest record.",
      whenHandedOver: "The time the medicine was handed over is in the future: check the date.",
    });
  });
});
