import { expect } from "chai";
import {
  INTERACTION_TABLE,
  RXNORM_SYSTEM,
  identifyAllergy,
  identifyCondition,
  identifyDrug,
  isAllergyActive,
  isConditionActive,
  isMedicationCurrent,
  type FhirCondition,
  type FhirMedicationRequest,
} from "../../../lib/prescribing";
import { allergy, condition, request, statement } from "./fixtures";

const table = INTERACTION_TABLE;

/** What a record is, the status fields it carries, and whether the checks still use it. */
type StatusCase = [what: string, extra: Pick<Partial<FhirCondition>, "clinicalStatus" | "verificationStatus">, active: boolean];
const clinical = (code: string) => ({ clinicalStatus: { coding: [{ code }] } });
const verification = (code: string) => ({ verificationStatus: { coding: [{ code }] } });
/** The statuses that take an allergy and a condition alike out of the checks. */
const SKIPPED_WHEN: StatusCase[] = [
  ["refuted", verification("refuted"), false],
  ["entered in error", verification("entered-in-error"), false],
  ["inactive", clinical("inactive"), false],
  ["resolved", clinical("resolved"), false],
];
const ingredientsIn = (resource: FhirMedicationRequest | ReturnType<typeof statement>) =>
  identifyDrug(resource, table).ingredients.map((i) => i.name);

describe("identifying drugs, allergies and conditions", function () {
  describe("drugs by name", function () {
    const cases: [text: string, ingredients: string[]][] = [
      ["Advil 200 mg", ["ibuprofen"]],
      ["MOTRIN IB", ["ibuprofen"]],
      ["Ventolin HFA 90 mcg/actuation", ["albuterol"]],
      ["Salbutamol 100 micrograms/dose inhaler", ["albuterol"]],
      ["Warfarin Sodium 5 MG Oral Tablet", ["warfarin"]],
      ["Propranolol Hydrochloride 40 MG Oral Tablet", ["propranolol"]],
      ["Lithium carbonate 300 mg", ["lithium"]],
      ["Sulfamethoxazole 800 MG / Trimethoprim 160 MG Oral Tablet", ["sulfamethoxazole", "trimethoprim"]],
      ["Co-trimoxazole 960 mg", ["sulfamethoxazole", "trimethoprim"]],
      ["Escitalopram 10 mg", ["escitalopram"]],
      ["Isosorbide mononitrate ER 30 mg", ["isosorbide mononitrate"]],
      ["Penicillin V Potassium 250 MG Oral Tablet", ["penicillin v"]],
      ["Acetaminophen 500 mg", []],
      ["Zorbex 5 mg", []],
    ];
    for (const [text, ingredients] of cases) {
      it(`"${text}" → ${ingredients.length ? ingredients.join(" + ") : "nothing the table knows"}`, function () {
        expect(ingredientsIn(request({ text }))).to.deep.equal(ingredients);
      });
    }
  });

  describe("drugs by RxNorm code", function () {
    it("takes an ingredient RxCUI with no text at all", function () {
      const drug = identifyDrug(request({ rxcui: "11289" }), table);
      expect(drug.ingredients).to.deep.equal([{ name: "warfarin", rxcui: "11289", by: "rxcui" }]);
      expect(drug.display).to.equal("11289");
    });

    it("maps a clinical-drug RxCUI to its ingredients", function () {
      expect(identifyDrug(request({ rxcui: "855332" }), table).ingredients).to.deep.equal([
        { name: "warfarin", rxcui: "11289", by: "clinical-drug" },
      ]);
      expect(ingredientsIn(request({ rxcui: "10831" }))).to.deep.equal(["sulfamethoxazole", "trimethoprim"]);
    });

    it("trusts a checked code even when its display is in another language", function () {
      expect(ingredientsIn(request({ rxcui: "5640", display: "Ibuprofeno 400 mg comprimido" }))).to.deep.equal(["ibuprofen"]);
    });

    it("does not trust an unverified code whose display names another drug", function () {
      const ketorolac = table.ingredients.get("ketorolac")!;
      expect(ketorolac.codeCheck).to.equal("unverified");
      expect(ingredientsIn(request({ rxcui: ketorolac.rxcui!, display: "Rabeprazole 20 mg" }))).to.deep.equal([]);
      expect(ingredientsIn(request({ rxcui: ketorolac.rxcui!, display: "Ketorolac tromethamine 10 mg" }))).to.deep.equal(["ketorolac"]);
      expect(ingredientsIn(request({ rxcui: ketorolac.rxcui! }))).to.deep.equal(["ketorolac"]);
    });

    it("ignores codes of other systems and codes the table does not know", function () {
      const resource = request({ text: "x" });
      resource.medicationCodeableConcept = {
        coding: [
          { system: "http://snomed.info/sct", code: "11289" },
          { system: RXNORM_SYSTEM, code: "999999999" },
        ],
      };
      expect(ingredientsIn(resource)).to.deep.equal([]);
    });

    it("reads the contained Medication a medicationReference points to", function () {
      const resource: FhirMedicationRequest = {
        resourceType: "MedicationRequest",
        status: "active",
        intent: "order",
        contained: [{ resourceType: "Medication", id: "med", code: { coding: [{ system: RXNORM_SYSTEM, code: "7258" }] } }],
        medicationReference: { reference: "#med" },
      };
      expect(ingredientsIn(resource)).to.deep.equal(["naproxen"]);
      expect(ingredientsIn({ ...resource, contained: [], medicationReference: { display: "Aleve" } })).to.deep.equal(["naproxen"]);
    });
  });

  describe("which medication records are current", function () {
    const cases: [
      type: "MedicationRequest" | "MedicationStatement" | "MedicationDispense",
      status: string | undefined,
      current: boolean,
    ][] = [
      ["MedicationRequest", "active", true],
      ["MedicationRequest", "on-hold", true],
      ["MedicationRequest", undefined, true],
      ["MedicationRequest", "stopped", false],
      ["MedicationRequest", "completed", false],
      ["MedicationRequest", "entered-in-error", false],
      ["MedicationStatement", "active", true],
      ["MedicationStatement", "not-taken", false],
      ["MedicationDispense", "completed", true],
      ["MedicationDispense", "declined", false],
    ];
    for (const [resourceType, status, current] of cases) {
      it(`${resourceType} ${status ?? "(no status)"}: ${current ? "current" : "left out"}`, function () {
        const resource = { ...request({ text: "Warfarin" }), resourceType, status } as unknown as FhirMedicationRequest;
        expect(isMedicationCurrent(resource)).to.equal(current);
      });
    }
  });

  describe("allergies", function () {
    it("reads allergen groups from words and SNOMED CT codes, and classes from named ingredients", function () {
      const classesOf = (a: ReturnType<typeof allergy>) => [...identifyAllergy(a, table).classes].sort();
      expect(classesOf(allergy("Penicillins"))).to.deep.equal(["penicillin"]);
      expect(classesOf(allergy({ snomed: "91936005" }))).to.deep.equal(["penicillin"]);
      expect(classesOf(allergy("Sulfa drugs"))).to.deep.equal(["sulfonamide-antibiotic"]);
      expect(classesOf(allergy("Amoxicillin (rash 2015)"))).to.deep.equal(["penicillin"]);
      expect([...identifyAllergy(allergy({ snomed: "293586001" }), table).ingredients]).to.deep.equal(["aspirin"]);
      expect(classesOf(allergy("Peanuts"))).to.deep.equal([]);
    });

    const statuses: StatusCase[] = [
      ["active and confirmed", verification("confirmed"), true],
      ["unconfirmed", verification("unconfirmed"), true],
      ["without any status", { clinicalStatus: undefined }, true],
      ...SKIPPED_WHEN,
    ];
    for (const [what, extra, active] of statuses) {
      it(`an allergy ${what} is ${active ? "checked" : "skipped"}`, function () {
        expect(isAllergyActive(allergy("Penicillin", extra))).to.equal(active);
      });
    }
  });

  describe("conditions", function () {
    const groupsOf = (c: ReturnType<typeof condition>) => [...identifyCondition(c, table).groups].sort();

    it("matches SNOMED CT codes exactly and ICD-10 codes by prefix, dots and case aside", function () {
      expect(groupsOf(condition({ snomed: "195967001" }))).to.deep.equal(["asthma"]);
      expect(groupsOf(condition({ icd10: "J45.909" }))).to.deep.equal(["asthma"]);
      expect(groupsOf(condition({ icd10: "j45909" }))).to.deep.equal(["asthma"]);
      expect(groupsOf(condition({ icd10: "N18.4" }))).to.deep.equal(["ckd", "ckd-severe"]);
      expect(groupsOf(condition({ icd10: "N18.30" }))).to.deep.equal(["ckd"]);
      expect(groupsOf(condition({ icd10: "G70.01" }))).to.deep.equal(["myasthenia-gravis"]);
    });

    it("does not stretch a code to its neighbours", function () {
      expect(groupsOf(condition({ icd10: "J44.9" })), "COPD is not asthma").to.deep.equal([]);
      expect(groupsOf(condition({ icd10: "N17.9" })), "acute kidney injury is not CKD").to.deep.equal([]);
      expect(groupsOf(condition({ icd10: "G70.1" })), "toxic myoneural disorder is not myasthenia gravis").to.deep.equal([]);
      expect(groupsOf(condition({ snomed: "13645005" })), "COPD by SNOMED").to.deep.equal([]);
    });

    it("recognises a condition by its words when its code is not one the table lists", function () {
      expect(groupsOf(condition({ snomed: "389145006", display: "Allergic asthma" }))).to.deep.equal(["asthma"]);
      expect(groupsOf(condition({ text: "Chronic kidney disease stage 4 (disorder)" }))).to.deep.equal(["ckd", "ckd-severe"]);
      expect(groupsOf(condition({ text: "Essential hypertension" }))).to.deep.equal([]);
    });

    const statuses: StatusCase[] = [
      ["active", {}, true],
      ["recurred", clinical("recurrence"), true],
      ["without a clinical status", { clinicalStatus: undefined }, true],
      ["in remission", clinical("remission"), false],
      ...SKIPPED_WHEN,
    ];
    for (const [what, extra, active] of statuses) {
      it(`a condition ${what} is ${active ? "checked" : "skipped"}`, function () {
        expect(isConditionActive(condition({ snomed: "195967001" }, extra))).to.equal(active);
      });
    }
  });
});
