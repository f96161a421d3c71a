import { expect } from "chai";
import {
  INTERACTION_RULE_SYSTEM,
  PrescribingError,
  checkPrescription,
  detectedIssueFor,
  withDetectedIssues,
  type Finding,
} from "../../../lib/prescribing";
import { fhirValidator } from "../../support/fhirSchema";
import { ALL_GRANTED, allergy, condition, medRecord, record, request, statement } from "./fixtures";

function validate(resource: { resourceType: string }): void {
  const check = fhirValidator(resource.resourceType);
  expect(check(resource), `${resource.resourceType}: ${JSON.stringify(check.errors?.slice(0, 3))}`).to.equal(true);
}

describe("DetectedIssue for a finding", function () {
  let byKind: Record<Finding["kind"], Finding>;
  let moderate: Finding;
  const proposed = request({ rxcui: "8787", display: "propranolol" }, { id: "draft-1" });

  before(function () {
    const check = checkPrescription({
      proposed,
      medications: [medRecord(statement("Salbutamol inhaler"), "Riverside Family Clinic", "ipfs://bafksalbutamol")],
      allergies: [record(allergy("Propranolol"), "Jane Doe", "ipfs://bafkallergy")],
      conditions: [record(condition({ snomed: "195967001", display: "Asthma" }), "Riverside Family Clinic", "ipfs://bafkasthma")],
      coverage: ALL_GRANTED,
    });
    byKind = Object.fromEntries(check.findings.map((f) => [f.kind, f])) as typeof byKind;
    expect(Object.keys(byKind).sort()).to.deep.equal(["drug-allergy", "drug-condition", "drug-drug"]);
    moderate = checkPrescription({
      proposed: request({ text: "Metoprolol 25 mg" }),
      medications: [],
      allergies: [],
      conditions: [record(condition({ snomed: "195967001" }))],
      coverage: ALL_GRANTED,
    }).findings[0];
    expect(moderate.severity).to.equal("moderate");
  });

  it("is a valid FHIR R4 DetectedIssue for each kind of finding, with the override reason as its mitigation", function () {
    const codes: string[] = [];
    for (const finding of Object.values(byKind)) {
      const issue = detectedIssueFor(finding, "Beta-blocker needed for thyrotoxic storm; monitored in resus.", {
        patient: { reference: "Patient/jane" },
        author: { display: "Dr. Omar Haddad" },
        identified: "2026-03-01T10:15:00Z",
        proposedRef: { reference: "#" },
      });
      validate(issue);
      expect(issue.severity).to.equal("high");
      expect(issue.identifier).to.deep.equal([{ system: INTERACTION_RULE_SYSTEM, value: finding.ruleId }]);
      expect(issue.implicated).to.deep.equal([
        { reference: "#" },
        { display: finding.against.display, reference: finding.against.resourceRef },
      ]);
      expect(issue.mitigation).to.deep.equal([
        {
          action: {
            coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "1", display: "Therapy Appropriate" }],
            text: "Beta-blocker needed for thyrotoxic storm; monitored in resus.",
          },
          date: "2026-03-01T10:15:00Z",
          author: { display: "Dr. Omar Haddad" },
        },
      ]);
      expect(issue.detail).to.contain(finding.effect).and.to.contain(`recorded by ${finding.against.author}`);
      codes.push(issue.code!.coding![0].code!);
    }
    expect(codes.sort()).to.deep.equal(["ALGY", "COND", "DRG"]);
  });

  it("is checked by a schema that does reject a malformed DetectedIssue", function () {
    const issue = detectedIssueFor(byKind["drug-drug"], "reason");
    const check = fhirValidator("DetectedIssue");
    expect(check({ ...issue, severity: "critical" })).to.equal(false);
    expect(check({ ...issue, implicated: "MedicationStatement/1" })).to.equal(false);
  });

  it("links to the rule's source when it has a link", function () {
    const issue = detectedIssueFor(byKind["drug-condition"], "reason");
    expect(issue.reference).to.equal("https://ginasthma.org/reports/");
  });

  it("refuses to record a contraindicated or major finding without a reason", function () {
    for (const reason of [undefined, "", "   "]) {
      try {
        detectedIssueFor(byKind["drug-condition"], reason);
        expect.fail("expected OVERRIDE_REASON_REQUIRED");
      } catch (error) {
        expect(error).to.be.instanceOf(PrescribingError);
        expect((error as PrescribingError).code).to.equal("OVERRIDE_REASON_REQUIRED");
      }
    }
  });

  it("records a moderate finding with severity moderate, with or without a reason", function () {
    const plain = detectedIssueFor(moderate, undefined);
    validate(plain);
    expect(plain.severity).to.equal("moderate");
    expect(plain.mitigation).to.equal(undefined);
    expect(plain.implicated).to.deep.equal([{ display: "195967001" }]);
    expect(detectedIssueFor(moderate, "Started at 12.5 mg").mitigation?.[0].action.text).to.equal("Started at 12.5 mg");
  });

  it("travels inside the signed MedicationRequest as contained resources it references", function () {
    const issues = Object.values(byKind).map((finding) => detectedIssueFor(finding, "Benefit outweighs the risk here."));
    const signed = withDetectedIssues({ ...proposed, status: "active" }, issues);
    validate(signed);
    expect(signed.detectedIssue).to.deep.equal([
      { reference: "#detected-issue-1" },
      { reference: "#detected-issue-2" },
      { reference: "#detected-issue-3" },
    ]);
    expect(signed.contained?.map((r) => [r.resourceType, r.id])).to.deep.equal([
      ["DetectedIssue", "detected-issue-1"],
      ["DetectedIssue", "detected-issue-2"],
      ["DetectedIssue", "detected-issue-3"],
    ]);
    expect(proposed.contained, "the draft is left as it was").to.equal(undefined);
  });
});
