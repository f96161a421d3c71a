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
  buildPatient,
  type AllergyForm,
  type ConditionForm,
  type DetectedIssueForm,
  type DocumentForm,
  type ImmunizationForm,
  type LabResultForm,
  type MedicationDispenseForm,
  type MedicationRequestForm,
  type MedicationStatementForm,
} from "../../../lib/fhir";
import { errorsOf, expectPlainLanguage, JANE, NOW } from "./fixtures";

const opts = { now: NOW };
// What an untouched form hands over: every field empty.
const blank = <T>() => ({}) as T;

describe("fhir form errors (plain language, one per field)", function () {
  it("names every missing field of an empty condition form, with the sentence the form shows", function () {
    expect(errorsOf(buildCondition(blank<ConditionForm>(), opts))).to.deep.equal({
      name: "Enter the name of the condition, for example Asthma.",
      onsetDate: "Enter the date the condition started.",
      clinicalStatus: "Choose whether you still have this condition.",
      patient: "Choose whom this record is about.",
    });
  });

  it("explains contradictions between fields instead of building a wrong record", function () {
    expect(
      errorsOf(
        buildCondition(
          { name: "Asthma", onsetDate: "2019-04-02", clinicalStatus: "active", resolvedDate: "2020-01-01", patient: JANE },
          opts,
        ),
      ),
    ).to.deep.equal({ resolvedDate: "A condition you still have has no end date: clear the end date, or mark it as gone away." });
    expect(
      errorsOf(
        buildCondition({ name: "Asthma", onsetDate: "2019-04-02", clinicalStatus: "resolved", resolvedDate: "2018", patient: JANE }, opts),
      ),
    ).to.deep.equal({ resolvedDate: "The date the condition went away is before the date it started." });
    expect(
      errorsOf(
        buildAllergyIntolerance(
          { substance: "Peanut", category: "food", criticality: "high", reactionSeverity: "severe", patient: JANE },
          opts,
        ),
      ).reaction,
    ).to.equal("Describe the reaction (for example Hives) before choosing how severe it was.");
    expect(
      errorsOf(buildLabResult({ test: "HbA1c", value: 6.1, valueText: "high", effectiveDate: "2026-01-20", patient: JANE }, opts))
        .valueText,
    ).to.equal("Enter the result either as a number or in words, not both.");
    expect(
      errorsOf(
        buildLabResult({ test: "HbA1c", value: 6.1, referenceLow: 6, referenceHigh: 4, effectiveDate: "2026-01-20", patient: JANE }, opts),
      ).referenceHigh,
    ).to.equal("The upper limit of the normal range is below the lower limit.");
    expect(
      errorsOf(buildDocumentReference({ title: "Scan", contentType: "image/png", date: "2026-01-20", text: "typed", patient: JANE }, opts))
        .text,
    ).to.contain("Typed text goes with a text document");
  });

  it("refuses a mistyped code and a bad wallet address with a way out", function () {
    const errors = errorsOf(
      buildCondition(
        {
          name: "Asthma",
          snomedCode: "195967002",
          onsetDate: "2019",
          clinicalStatus: "active",
          patient: { display: "Jane", address: "0x1234" },
        },
        opts,
      ),
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
    expect(errorsOf(buildDetectedIssue(form, opts))).to.deep.equal({
      overrideReason: "Give the reason for prescribing despite this severe finding.",
    });
    expect(buildDetectedIssue({ ...form, severity: "moderate" }, opts).ok).to.equal(true);
    expect(errorsOf(buildDetectedIssue({ ...form, implicated: ["not a reference"] }, opts))["implicated.0"]).to.contain(
      "must point to a record",
    );
  });

  it("requires the RxNorm code and a structured dose on a prescription", function () {
    const errors = errorsOf(
      buildMedicationRequest(
        {
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
        } as unknown as MedicationRequestForm,
        opts,
      ),
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
      buildCondition(blank<ConditionForm>(), opts),
      buildAllergyIntolerance(blank<AllergyForm>(), opts),
      buildMedicationStatement(blank<MedicationStatementForm>(), opts),
      buildMedicationRequest(blank<MedicationRequestForm>(), opts),
      buildMedicationDispense(blank<MedicationDispenseForm>(), opts),
      buildLabResult(blank<LabResultForm>(), opts),
      buildImmunization(blank<ImmunizationForm>(), opts),
      buildDocumentReference(blank<DocumentForm>(), opts),
      buildDetectedIssue(blank<DetectedIssueForm>(), opts),
      buildPatient({ name: "", birthDate: "31/12/1980", gender: "f" as "female" }, opts),
    ];
    for (const r of results) {
      expect(r.ok).to.equal(false);
      if (!r.ok) expectPlainLanguage(r.errors.map((e) => e.message));
    }
    // Values of the wrong JavaScript type (a form bug) still get a sentence, never a crash.
    const odd = buildCondition(
      { name: 42, onsetDate: 2019, clinicalStatus: ["active"], patient: "Jane" } as unknown as ConditionForm,
      opts,
    );
    expect(odd.ok).to.equal(false);
    if (!odd.ok) expectPlainLanguage(odd.errors.map((e) => e.message));
  });

  it("refuses a dispense whose prescription is not a MedicationRequest, and one handed over in the future", function () {
    const errors = errorsOf(
      buildMedicationDispense(
        {
          drug: "Amoxicillin",
          authorizingPrescription: "Condition/c1",
          quantity: 21,
          quantityUnit: "capsule",
          whenHandedOver: "2026-04-01",
          performer: { display: "Main Street Pharmacy" },
        },
        opts,
      ),
    );
    expect(errors).to.deep.equal({
      authorizingPrescription: "The prescription must be a MedicationRequest record.",
      whenHandedOver: "The time the medicine was handed over is in the future: check the date.",
    });
  });
});
