import { expect } from "chai";
import { triageSummary, type AllergyForm, type FhirResource } from "../../../lib/fhir";
import { SAMPLE_EMERGENCY_SUMMARY } from "../../../web/src/views/patient/samples";
import { build } from "./build";
import { AMOXICILLIN, ASTHMA, built, JANE, PENICILLIN, SALBUTAMOL } from "./fixtures";

const r = <T>(x: T) => x as unknown as FhirResource;
const allergy = (form: Partial<AllergyForm>) =>
  r(built(build.allergyIntolerance({ substance: "x", category: "medication", criticality: "low", patient: JANE, ...form } as AllergyForm)));

/** Jane's summary as an ER receives it: allergies in the order she picked them, a resolved problem, a stopped medicine. */
function janeSummary() {
  const inactive = { ...allergy({ substance: "Codeine", criticality: "high" }), clinicalStatus: { coding: [{ code: "inactive" }] } };
  const bundle = built(
    build.patientSummary({
      patient: { name: "Jane Doe", birthDate: "1985-06-15", gender: "female", address: JANE.address },
      allergies: [
        allergy({ substance: "Latex", category: "environment", reaction: "Itchy rash", reactionSeverity: "mild" }),
        allergy({ substance: "Sulfonamides", criticality: "unable-to-assess" }),
        allergy(PENICILLIN),
        allergy({ substance: "Shellfish", category: "food", reaction: "Throat swelling", reactionSeverity: "severe" }),
        inactive,
      ],
      problems: [
        r(built(build.condition(ASTHMA))),
        r(
          built(
            build.condition({
              name: "Acute bronchitis",
              onsetDate: "2024-01-08",
              clinicalStatus: "resolved",
              resolvedDate: "2024-01-29",
              patient: JANE,
            }),
          ),
        ),
      ],
      medications: [
        r(built(build.medicationStatement(SALBUTAMOL))),
        r(built(build.medicationStatement({ drug: "Ibuprofen", status: "stopped", patient: JANE }))),
        r(built(build.medicationRequest(AMOXICILLIN))),
      ],
      author: JANE,
      date: "2026-03-01T09:00:00Z",
    }),
  );
  return bundle;
}

describe("triageSummary (what an ER sees, in triage order)", function () {
  it("lists allergies first, high-risk ones (high criticality or a severe reaction) at the top and flagged", function () {
    const t = triageSummary(janeSummary());
    expect(t.allergies.map((a) => [a.title, a.highRisk, a.risk])).to.deep.equal([
      ["Penicillin", true, "High risk"],
      ["Shellfish", true, "Low risk"],
      ["Sulfonamides", false, "Risk not assessed"],
      ["Latex", false, "Low risk"],
    ]);
    expect(t.allergies[0]).to.deep.include({ criticality: "high", reaction: "Anaphylaxis", severity: "severe" });
    expect(t.allergiesState).to.equal("listed");
  });

  it("then only active problems, then only current medications with their directions", function () {
    const t = triageSummary(janeSummary());
    expect(t.problems).to.deep.equal([{ title: "Asthma", detail: "since 2019-04-02" }]);
    expect(t.medications).to.deep.equal([
      { title: "Salbutamol inhaler", detail: "2 puffs when needed" },
      { title: "Amoxicillin 500 mg capsule", detail: "500 mg by mouth three times a day" },
    ]);
    expect(t.notShown, "inactive allergy, resolved problem, stopped medicine").to.equal(3);
  });

  it("names the patient and the summary's date and author", function () {
    const t = triageSummary(janeSummary());
    expect(t.patient).to.deep.equal({ name: "Jane Doe", birthDate: "1985-06-15", gender: "female" });
    expect(t).to.deep.include({ date: "2026-03-01T09:00:00Z", author: "Jane Doe" });
  });

  it("tells 'no known allergies' apart from 'not recorded'", function () {
    const bundle = built(
      build.patientSummary({
        patient: { name: "Sam" },
        allergies: [],
        problems: [],
        medications: [],
        author: { display: "Sam" },
        noKnownAllergies: true,
      }),
    );
    const t = triageSummary(bundle);
    expect([t.allergiesState, t.problemsState, t.medicationsState]).to.deep.equal(["none-known", "not-recorded", "not-recorded"]);
  });

  it("reads summaries written elsewhere, from their entries (the demo's sample has no section entries)", function () {
    const t = triageSummary(JSON.parse(SAMPLE_EMERGENCY_SUMMARY) as FhirResource);
    expect(t.allergies.map((a) => [a.title, a.highRisk])).to.deep.equal([["Penicillin", true]]);
    expect(t.problems.map((p) => p.title)).to.deep.equal(["Asthma"]);
    expect(t.medications).to.deep.equal([{ title: "Salbutamol 100 micrograms/dose inhaler", detail: "2 puffs when needed for wheeze" }]);
  });

  it("skips records marked entered-in-error and survives anything that is not a summary", function () {
    const wrong = { resourceType: "Condition", code: { text: "Diabetes" }, verificationStatus: { coding: [{ code: "entered-in-error" }] } };
    expect(triageSummary({ resourceType: "Bundle", type: "collection", entry: [{ resource: wrong }] }).problems).to.deep.equal([]);
    for (const junk of [undefined, null, 42, "text", [], { resourceType: "Bundle", entry: "x" }]) {
      const t = triageSummary(junk);
      expect([t.allergies, t.problems, t.medications, t.allergiesState]).to.deep.equal([[], [], [], "not-recorded"]);
    }
  });
});
