import { expect } from "chai";
import fc from "fast-check";
import { checkPrescription, type DrugSet, type FhirAllergyIntolerance, type InteractionRule } from "../../../lib/prescribing";
import { ALL_GRANTED, allergy, condition, medRecord, record, request, statement } from "./fixtures";
import { INGREDIENT_NAMES, SOURCE, allergyRelated, coded, conditionRelated, ddiRelated, members, named } from "./spec";

const ruleIds = (check: ReturnType<typeof checkPrescription>) => check.findings.map((f) => f.ruleId);

function drugDrug(proposed: ReturnType<typeof request>, other: string) {
  return checkPrescription({ proposed, medications: [medRecord(statement(other))], allergies: [], conditions: [], coverage: ALL_GRANTED });
}

function drugAllergy(proposed: string, allergyResource: FhirAllergyIntolerance) {
  return checkPrescription({
    proposed: request(coded(proposed)),
    medications: [],
    allergies: [record(allergyResource)],
    conditions: [],
    coverage: ALL_GRANTED,
  });
}

/** Every way the table lets an allergy name this allergen set: its ingredients, and its allergen words and codes. */
function allergySpellings(allergen: DrugSet): { label: string; resource: FhirAllergyIntolerance }[] {
  const names = members({ ingredients: allergen.ingredients, classes: allergen.classes });
  const spellings = names.map((name) => ({ label: name, resource: allergy(name) }));
  for (const term of SOURCE.allergenTerms) {
    const covers = term.classes?.some((c) => allergen.classes?.includes(c)) || term.ingredients?.some((i) => names.includes(i));
    if (!covers) continue;
    for (const word of term.terms) spellings.push({ label: `"${word}"`, resource: allergy(word) });
    for (const code of term.snomed ?? []) spellings.push({ label: `SNOMED ${code}`, resource: allergy({ snomed: code }) });
  }
  return spellings;
}

describe("interaction rules", function () {
  describe("each drug–drug rule fires on every pair it names, whichever drug is proposed", function () {
    for (const rule of SOURCE.rules.filter((r): r is Extract<InteractionRule, { kind: "drug-drug" }> => r.kind === "drug-drug")) {
      it(rule.id, function () {
        let pairs = 0;
        for (const x of members(rule.a)) {
          for (const y of members(rule.b)) {
            if (x === y) continue;
            pairs++;
            expect(ruleIds(drugDrug(request(coded(x)), named(y))), `${x} proposed, ${y} taken`).to.include(rule.id);
            expect(ruleIds(drugDrug(request({ text: named(y) }), named(x))), `${y} proposed, ${x} taken`).to.include(rule.id);
          }
        }
        expect(pairs, "the rule names at least one pair").to.be.greaterThan(0);
      });
    }
  });

  describe("each drug–allergy rule fires for every way an allergy can name its allergen, on every drug it names", function () {
    for (const rule of SOURCE.rules) {
      if (rule.kind !== "drug-allergy" || rule.allergen === "same-ingredient" || rule.drug === "any") continue;
      const { allergen, drug } = rule;
      it(rule.id, function () {
        const spellings = allergySpellings(allergen);
        expect(spellings.length).to.be.greaterThan(0);
        for (const { label, resource } of spellings) {
          for (const proposed of members(drug)) {
            expect(ruleIds(drugAllergy(proposed, resource)), `allergy ${label}, ${proposed} proposed`).to.include(rule.id);
          }
        }
      });
    }

    it("allergy-same-ingredient: an allergy to the very ingredient, when no class rule already says so", function () {
      for (const name of INGREDIENT_NAMES) {
        const specific = SOURCE.rules.find(
          (rule) =>
            rule.kind === "drug-allergy" &&
            rule.allergen !== "same-ingredient" &&
            rule.drug !== "any" &&
            members(rule.allergen).includes(name) &&
            members(rule.drug).includes(name),
        );
        const findings = drugAllergy(name, allergy(name)).findings.filter((f) => f.kind === "drug-allergy");
        expect(
          findings.map((f) => f.ruleId),
          name,
        ).to.deep.equal([specific?.id ?? "allergy-same-ingredient"]);
        expect(findings[0].severity).to.equal("contraindicated");
      }
    });
  });

  describe("each drug–condition rule fires for the condition coded in SNOMED CT or ICD-10, or named in words", function () {
    for (const rule of SOURCE.rules) {
      if (rule.kind !== "drug-condition") continue;
      it(rule.id, function () {
        const group = SOURCE.conditionGroups.find((g) => g.id === rule.condition)!;
        const spellings = [
          ...group.snomed.map((snomed) => ({ label: `SNOMED ${snomed}`, resource: condition({ snomed }) })),
          ...group.icd10.map((prefix) => {
            const code = prefix.includes(".") ? prefix : `${prefix}.9`;
            return { label: `ICD-10 ${code}`, resource: condition({ icd10: code }) };
          }),
          ...group.text.map((phrase) => ({ label: `"${phrase}"`, resource: condition({ text: `History of ${phrase} (disorder)` }) })),
        ];
        for (const { label, resource } of spellings) {
          for (const drug of members(rule.drug)) {
            const check = checkPrescription({
              proposed: request(coded(drug)),
              medications: [],
              allergies: [],
              conditions: [record(resource)],
              coverage: ALL_GRANTED,
            });
            expect(ruleIds(check), `${label}, ${drug} proposed`).to.include(rule.id);
          }
        }
      });
    }
  });

  describe("no rule fires on unrelated drugs (property-based)", function () {
    const anyIngredient = fc.constantFrom(...INGREDIENT_NAMES);

    it("two drugs no drug–drug rule relates give no drug–drug finding", function () {
      fc.assert(
        fc.property(anyIngredient, anyIngredient, fc.boolean(), (x, y, byCode) => {
          fc.pre(x !== y && !ddiRelated(x, y));
          const check = drugDrug(request(byCode ? coded(x) : { text: named(x) }), named(y));
          expect(check.findings, `${x} with ${y}`).to.deep.equal([]);
        }),
        { numRuns: 1000 },
      );
    });

    it("an allergy to one drug raises nothing for a drug no allergy rule relates to it", function () {
      fc.assert(
        fc.property(anyIngredient, anyIngredient, (allergen, drug) => {
          fc.pre(!allergyRelated(allergen, drug));
          expect(drugAllergy(drug, allergy(allergen)).findings, `allergy ${allergen}, ${drug} proposed`).to.deep.equal([]);
        }),
        { numRuns: 1000 },
      );
    });

    it("a condition raises nothing for a drug no condition rule concerns", function () {
      const groups = fc.constantFrom(...SOURCE.conditionGroups);
      fc.assert(
        fc.property(anyIngredient, groups, (drug, group) => {
          fc.pre(!SOURCE.conditionGroups.some((g) => g.snomed.includes(group.snomed[0]) && conditionRelated(drug, g.id)));
          const check = checkPrescription({
            proposed: request(coded(drug)),
            medications: [],
            allergies: [],
            conditions: [record(condition({ snomed: group.snomed[0] }))],
            coverage: ALL_GRANTED,
          });
          expect(check.findings, `${drug} with ${group.label}`).to.deep.equal([]);
        }),
        { numRuns: 500 },
      );
    });

    it("a drug the table does not know is checked against nothing, and said so", function () {
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Z][a-z]{5,11}$/), anyIngredient, (unknown, taken) => {
          fc.pre(
            !INGREDIENT_NAMES.includes(unknown.toLowerCase()) &&
              !SOURCE.ingredients.some((i) => i.synonyms?.includes(unknown.toLowerCase())),
          );
          const check = drugDrug(request({ text: `${unknown} 5 mg` }), named(taken));
          expect(check.findings).to.deep.equal([]);
          expect(check.overrideRequired).to.equal(false);
          expect(check.notChecked).to.deep.equal([`'${unknown} 5 mg' is not in the interaction table: it was not checked.`]);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe("the pairs issue 17 names", function () {
    const cases: [proposed: string, taken: string, severity: string][] = [
      ["Ibuprofen 400 mg", "Warfarin 5 mg", "major"],
      ["Naproxen 500 mg", "Warfarin 5 mg", "major"],
      ["Aspirin 325 mg", "Warfarin 5 mg", "major"],
      ["Fluconazole 150 mg", "Warfarin 5 mg", "major"],
      ["Metronidazole 500 mg", "Warfarin 5 mg", "major"],
      ["Sertraline 50 mg", "Phenelzine 15 mg", "contraindicated"],
      ["Omeprazole 20 mg", "Clopidogrel 75 mg", "major"],
      ["Clarithromycin 500 mg", "Simvastatin 40 mg", "contraindicated"],
      ["Trimethoprim 200 mg", "Methotrexate 10 mg weekly", "major"],
      ["Potassium chloride 20 mEq", "Spironolactone 25 mg", "major"],
      ["Potassium chloride 20 mEq", "Lisinopril 10 mg", "moderate"],
      ["Sildenafil 50 mg", "Isosorbide mononitrate 30 mg", "contraindicated"],
      ["Nitroglycerin 0.4 mg sublingual", "Sildenafil 50 mg", "contraindicated"],
      ["Ciprofloxacin 500 mg", "Citalopram 20 mg", "major"],
      ["Ibuprofen 400 mg", "Lithium carbonate 300 mg", "major"],
      ["Hydrochlorothiazide 25 mg", "Lithium carbonate 300 mg", "major"],
    ];
    for (const [proposed, taken, severity] of cases) {
      it(`${proposed} for a patient taking ${taken}: ${severity}`, function () {
        const check = drugDrug(request({ text: proposed }), taken);
        expect(check.findings.map((f) => f.severity)).to.deep.equal([severity]);
      });
    }
  });
});
