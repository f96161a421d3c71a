import { expect } from "chai";
import type { BuildResult } from "../../../lib/fhir";
import { codeProblem, type CodeKind } from "../../../lib/fhir/codeChecks";
import {
  codeFor,
  COMMON_CONDITIONS,
  COMMON_DRUG_ALLERGENS,
  COMMON_LAB_TESTS,
  COMMON_MEDICATIONS,
  COMMON_OTHER_ALLERGENS,
  COMMON_VACCINES,
  type CommonCode,
} from "../../../lib/fhir/commonCodes";
import { build } from "./build";
import { builtValid, JANE } from "./fixtures";

/** A suggestion list with the code system its codes are in and the record a form builds when one is picked. */
interface SuggestionList {
  kind: CodeKind;
  codes: readonly CommonCode[];
  pick(code: CommonCode): BuildResult<object>;
}

// Typed per list, so a list's own fields (a lab test's unit) reach its form.
const list = <T extends CommonCode>(kind: CodeKind, codes: readonly T[], pick: (code: T) => BuildResult<object>): SuggestionList =>
  ({ kind, codes, pick }) as SuggestionList;

const LISTS: readonly SuggestionList[] = [
  list("snomed", COMMON_CONDITIONS, (c) =>
    build.condition({ name: c.label, snomedCode: c.code, onsetDate: "2020", clinicalStatus: "active", patient: JANE }),
  ),
  list("rxnorm", COMMON_DRUG_ALLERGENS, (c) =>
    build.allergyIntolerance({ substance: c.label, code: c.code, category: "medication", criticality: "high", patient: JANE }),
  ),
  list("snomed", COMMON_OTHER_ALLERGENS, (c) =>
    build.allergyIntolerance({ substance: c.label, code: c.code, category: "food", criticality: "low", patient: JANE }),
  ),
  list("rxnorm", COMMON_MEDICATIONS, (c) =>
    build.medicationStatement({ drug: c.label, rxnormCode: c.code, status: "active", patient: JANE }),
  ),
  list("loinc", COMMON_LAB_TESTS, (c) =>
    build.labResult({ test: c.label, loincCode: c.code, value: "5", unit: c.unit, effectiveDate: "2026-01-02", patient: JANE }),
  ),
  list("cvx", COMMON_VACCINES, (c) => build.immunization({ vaccine: c.label, cvxCode: c.code, date: "2025-10-01", patient: JANE })),
];

describe("common codes the record forms suggest", function () {
  this.timeout(60_000);

  it("are well-formed codes of their systems (SNOMED and LOINC check digits included)", function () {
    for (const { kind, codes } of LISTS)
      for (const c of codes) expect(codeProblem(kind, c.code), `${c.label} ${c.code}`).to.equal(undefined);
  });

  it("build valid FHIR R4 records when picked", function () {
    for (const { codes, pick } of LISTS) for (const c of codes) builtValid(pick(c));
  });

  it("match a picked suggestion by its words in any case, and leave free text uncoded", function () {
    expect(codeFor(COMMON_CONDITIONS, " asthma ")?.code).to.equal("195967001");
    expect(codeFor(COMMON_CONDITIONS, "Asthma since childhood")).to.equal(undefined);
  });
});
