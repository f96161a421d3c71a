import { expect } from "chai";
import { buildAllergyIntolerance, buildCondition, buildImmunization, buildLabResult, buildMedicationStatement } from "../../../lib/fhir";
import { codeProblem } from "../../../lib/fhir/codeChecks";
import {
  codeFor,
  COMMON_CONDITIONS,
  COMMON_DRUG_ALLERGENS,
  COMMON_LAB_TESTS,
  COMMON_MEDICATIONS,
  COMMON_OTHER_ALLERGENS,
  COMMON_VACCINES,
} from "../../../lib/fhir/commonCodes";
import { built, expectValidR4, JANE, NOW } from "./fixtures";

const opts = { now: NOW };

describe("common codes the record forms suggest", function () {
  this.timeout(60_000);

  it("are well-formed codes of their systems (SNOMED and LOINC check digits included)", function () {
    const lists = [
      ["snomed", COMMON_CONDITIONS],
      ["rxnorm", COMMON_DRUG_ALLERGENS],
      ["snomed", COMMON_OTHER_ALLERGENS],
      ["rxnorm", COMMON_MEDICATIONS],
      ["loinc", COMMON_LAB_TESTS],
      ["cvx", COMMON_VACCINES],
    ] as const;
    for (const [kind, list] of lists) for (const c of list) expect(codeProblem(kind, c.code), `${c.label} ${c.code}`).to.equal(undefined);
  });

  it("build valid FHIR R4 records when picked", function () {
    for (const c of COMMON_CONDITIONS)
      expectValidR4(
        built(buildCondition({ name: c.label, snomedCode: c.code, onsetDate: "2020", clinicalStatus: "active", patient: JANE }, opts)),
      );
    for (const c of COMMON_DRUG_ALLERGENS)
      expectValidR4(
        built(
          buildAllergyIntolerance({ substance: c.label, code: c.code, category: "medication", criticality: "high", patient: JANE }, opts),
        ),
      );
    for (const c of COMMON_OTHER_ALLERGENS)
      expectValidR4(
        built(buildAllergyIntolerance({ substance: c.label, code: c.code, category: "food", criticality: "low", patient: JANE }, opts)),
      );
    for (const c of COMMON_MEDICATIONS)
      expectValidR4(built(buildMedicationStatement({ drug: c.label, rxnormCode: c.code, status: "active", patient: JANE }, opts)));
    for (const c of COMMON_LAB_TESTS)
      expectValidR4(
        built(
          buildLabResult({ test: c.label, loincCode: c.code, value: "5", unit: c.unit, effectiveDate: "2026-01-02", patient: JANE }, opts),
        ),
      );
    for (const c of COMMON_VACCINES)
      expectValidR4(built(buildImmunization({ vaccine: c.label, cvxCode: c.code, date: "2025-10-01", patient: JANE }, opts)));
  });

  it("match a picked suggestion by its words in any case, and leave free text uncoded", function () {
    expect(codeFor(COMMON_CONDITIONS, " asthma ")?.code).to.equal("195967001");
    expect(codeFor(COMMON_CONDITIONS, "Asthma since childhood")).to.equal(undefined);
  });
});
