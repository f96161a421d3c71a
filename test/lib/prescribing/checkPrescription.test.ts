import { expect } from "chai";
import { checkPrescription, partitionVault, PrescribingError, type Coverage, type MedicationResource } from "../../../lib/prescribing";
import { SAMPLE_EMERGENCY_SUMMARY } from "../../../web/src/views/patient/samples";
import { ALL_GRANTED, allergy, condition, medRecord, record, request, statement } from "./fixtures";

/** The demo cast (ROUND2.md §5): synthetic people. */
const CHEN = "Dr. Alice Chen (Riverside Family Clinic)";
const PATEL = "Dr. Priya Patel (cardiology, another practice)";
const CLINIC = "Riverside Family Clinic";

const noVault = { medications: [], allergies: [], conditions: [] };

describe("checkPrescription", function () {
  describe("a warfarin patient with an NSAID prescribed by another provider", function () {
    const warfarin = medRecord(
      request({ text: "Warfarin Sodium 5 MG Oral Tablet" }, { status: "active", requester: { display: CHEN } }),
      undefined,
      "ipfs://bafkwarfarin",
    );
    const naproxen = medRecord(
      request({ rxcui: "7258", display: "Naproxen 500 MG Oral Tablet" }, { status: "active" }),
      PATEL,
      "ipfs://bafknaproxen",
    );

    it("flags the NSAID in the vault when warfarin is renewed, naming the provider who prescribed it", function () {
      const check = checkPrescription({
        proposed: request({ rxcui: "855332" }),
        ...noVault,
        medications: [naproxen],
        coverage: ALL_GRANTED,
      });
      expect(check.findings).to.have.length(1);
      const [finding] = check.findings;
      expect(finding).to.deep.include({ kind: "drug-drug", severity: "major", ruleId: "ddi-warfarin-nsaid" });
      expect(finding.against).to.deep.equal({ display: "Naproxen 500 MG Oral Tablet", author: PATEL, resourceRef: "ipfs://bafknaproxen" });
      expect(finding.proposed).to.deep.equal({ display: "855332", ingredient: "warfarin" });
      expect(finding.source).to.match(/Coumadin/);
      expect(check.overrideRequired).to.equal(true);
    });

    it("flags warfarin when another doctor prescribes ibuprofen by brand, with the author read from the record", function () {
      const check = checkPrescription({
        proposed: request({ text: "Advil 400 mg" }),
        ...noVault,
        medications: [warfarin, naproxen],
        coverage: ALL_GRANTED,
      });
      expect(check.findings.map((f) => [f.ruleId, f.against.display, f.against.author])).to.deep.equal([
        ["ddi-warfarin-nsaid", "Warfarin Sodium 5 MG Oral Tablet", CHEN],
      ]);
      expect(check.checkedAgainst.medications).to.equal(2);
    });

    it("does not flag a stopped NSAID prescription", function () {
      const stopped = medRecord(request({ rxcui: "7258" }, { status: "stopped" }), PATEL);
      const check = checkPrescription({ proposed: request({ rxcui: "11289" }), ...noVault, medications: [stopped], coverage: ALL_GRANTED });
      expect(check.findings).to.deep.equal([]);
      expect(check.overrideRequired).to.equal(false);
      expect(check.checkedAgainst.medications).to.equal(0);
    });
  });

  describe("Jane (asthma, salbutamol from her clinic) seen in the ER", function () {
    const jane = {
      medications: [medRecord(statement("Salbutamol 100 micrograms/dose inhaler"), CLINIC, "ipfs://bafksalbutamol")],
      allergies: [record(allergy({ snomed: "764146007", display: "Penicillin" }), "Jane Doe")],
      conditions: [record(condition({ snomed: "195967001", display: "Asthma" }), CLINIC, "ipfs://bafkasthma")],
    };

    it("gets a contraindication when the ER doctor prescribes propranolol", function () {
      const check = checkPrescription({ proposed: request({ rxcui: "8787", display: "propranolol" }), ...jane, coverage: ALL_GRANTED });
      expect(check.findings.map((f) => [f.severity, f.kind, f.ruleId, f.against.display, f.against.author])).to.deep.equal([
        ["contraindicated", "drug-condition", "condition-nonselective-beta-blocker-asthma", "Asthma", CLINIC],
        ["major", "drug-drug", "ddi-nonselective-beta-blocker-beta2-agonist", "Salbutamol 100 micrograms/dose inhaler", CLINIC],
      ]);
      expect(check.overrideRequired).to.equal(true);
      expect(check.notChecked).to.deep.equal([]);
      expect(check.checkedAgainst).to.deep.equal({ medications: 1, allergies: 1, conditions: 1 });
    });

    it("gets only a moderate caution for a cardioselective beta-blocker", function () {
      const check = checkPrescription({ proposed: request({ text: "Metoprolol tartrate 25 mg" }), ...jane, coverage: ALL_GRANTED });
      expect(check.findings.map((f) => [f.severity, f.ruleId])).to.deep.equal([
        ["moderate", "condition-cardioselective-beta-blocker-asthma"],
      ]);
      expect(check.overrideRequired).to.equal(false);
    });

    it("gets a penicillin allergy contraindication for amoxicillin, a moderate caution for cephalexin", function () {
      const amoxicillin = checkPrescription({ proposed: request({ text: "Amoxicillin 500 mg" }), ...jane, coverage: ALL_GRANTED });
      expect(amoxicillin.findings.map((f) => [f.severity, f.ruleId, f.against.author])).to.deep.equal([
        ["contraindicated", "allergy-penicillin-penicillin", "Jane Doe"],
      ]);
      const cephalexin = checkPrescription({ proposed: request({ text: "Keflex 500 mg" }), ...jane, coverage: ALL_GRANTED });
      expect(cephalexin.findings.map((f) => [f.severity, f.ruleId])).to.deep.equal([["moderate", "allergy-penicillin-cephalosporin"]]);
      expect(cephalexin.overrideRequired).to.equal(false);
    });

    it("works from her emergency summary (an IPS Bundle) sorted by partitionVault", function () {
      const vault = partitionVault([{ resource: JSON.parse(SAMPLE_EMERGENCY_SUMMARY), author: "Jane Doe", resourceRef: "ipfs://bafkips" }]);
      expect([vault.medications.length, vault.allergies.length, vault.conditions.length]).to.deep.equal([1, 1, 1]);
      expect(vault.conditions[0].resourceRef).to.equal("ipfs://bafkips#entry-3");
      const check = checkPrescription({ proposed: request({ text: "Inderal 40 mg" }), ...vault, coverage: ALL_GRANTED });
      expect(check.findings.map((f) => f.ruleId)).to.deep.equal([
        "condition-nonselective-beta-blocker-asthma",
        "ddi-nonselective-beta-blocker-beta2-agonist",
      ]);
    });

    it("skips a resolved asthma and a refuted penicillin allergy", function () {
      const check = checkPrescription({
        proposed: request({ text: "Propranolol 10 mg" }),
        medications: [],
        allergies: [record(allergy("Penicillin", { verificationStatus: { coding: [{ code: "refuted" }] } }))],
        conditions: [record(condition({ snomed: "195967001" }, { clinicalStatus: { coding: [{ code: "resolved" }] } }))],
        coverage: ALL_GRANTED,
      });
      expect(check.findings).to.deep.equal([]);
      expect(check.checkedAgainst).to.deep.equal({ medications: 0, allergies: 0, conditions: 0 });
    });
  });

  describe("what it could not check", function () {
    const cases: [coverage: Coverage, notes: string[]][] = [
      [ALL_GRANTED, []],
      [
        { medications: "not-granted", allergies: "granted", conditions: "granted" },
        ["No grant covers Medications: interactions with other providers' medications were not checked."],
      ],
      [
        { medications: "granted", allergies: "not-granted", conditions: "not-granted" },
        [
          "No grant covers Allergies: the patient's recorded allergies were not checked.",
          "No grant covers Problems & diagnoses: contraindications with the patient's conditions were not checked.",
        ],
      ],
      [
        { medications: "partial", allergies: "granted", conditions: "partial" },
        [
          "Grants cover only part of Medications: interactions with medications outside those grants were not checked.",
          "Grants cover only part of Problems & diagnoses: conditions outside those grants were not checked.",
        ],
      ],
    ];
    for (const [coverage, notes] of cases) {
      it(`says so for ${JSON.stringify(coverage)}`, function () {
        expect(checkPrescription({ proposed: request({ text: "Ibuprofen 400 mg" }), ...noVault, coverage }).notChecked).to.deep.equal(
          notes,
        );
      });
    }

    it("names a proposed drug the table does not know, and checks nothing for it", function () {
      const check = checkPrescription({
        proposed: request({ text: "Zorbex 5 mg" }),
        ...noVault,
        medications: [medRecord(request({ text: "Warfarin 5 mg" }, { status: "active" }))],
        coverage: ALL_GRANTED,
      });
      expect(check.notChecked).to.deep.equal(["'Zorbex 5 mg' is not in the interaction table: it was not checked."]);
      expect(check.findings).to.deep.equal([]);
      expect(check.proposed).to.deep.equal({ display: "Zorbex 5 mg", ingredients: [] });
    });

    it("names vault medications and drug allergies it does not know, with who recorded them", function () {
      const check = checkPrescription({
        proposed: request({ text: "Ibuprofen 400 mg" }),
        medications: [medRecord(statement("Quellex 20 mg"), PATEL), medRecord(statement("St John's wort"))],
        allergies: [
          record(allergy("Zorbicillin"), CHEN),
          record(allergy("Peanut", { category: ["food"] })),
          record(allergy("Latex", { category: ["environment"] })),
        ],
        conditions: [],
        coverage: ALL_GRANTED,
      });
      expect(check.notChecked).to.deep.equal([
        `'Quellex 20 mg' (recorded by ${PATEL}) is not in the interaction table: interactions with it were not checked.`,
        "'St John's wort' is not in the interaction table: interactions with it were not checked.",
        `Allergy 'Zorbicillin' (recorded by ${CHEN}) names no drug or drug class in the interaction table: it was not checked.`,
      ]);
    });
  });

  describe("results", function () {
    it("sorts findings most serious first, allergies before drugs before conditions", function () {
      const check = checkPrescription({
        proposed: request({ text: "Ibuprofen 600 mg" }),
        medications: [
          medRecord(statement("Lisinopril 10 mg")),
          medRecord(statement("Methotrexate 15 mg weekly")),
          medRecord(statement("Lithium 300 mg")),
        ],
        allergies: [record(allergy("Aspirin"))],
        conditions: [record(condition({ icd10: "K25.9" })), record(condition({ snomed: "84114007" }))],
        coverage: ALL_GRANTED,
      });
      expect(check.findings.map((f) => [f.severity, f.kind, f.ruleId])).to.deep.equal([
        ["contraindicated", "drug-allergy", "allergy-nsaid-aspirin"],
        ["major", "drug-drug", "ddi-lithium-nsaid"],
        ["major", "drug-condition", "condition-nsaid-heart-failure"],
        ["major", "drug-condition", "condition-nsaid-peptic-ulcer"],
        ["moderate", "drug-drug", "ddi-methotrexate-nsaid"],
      ]);
    });

    it("reports a combination product once per rule and record", function () {
      const check = checkPrescription({
        proposed: request({ rxcui: "10831" }),
        medications: [medRecord(statement("Methotrexate 15 mg weekly"))],
        allergies: [],
        conditions: [],
        coverage: ALL_GRANTED,
      });
      expect(check.findings.map((f) => f.ruleId)).to.deep.equal(["ddi-methotrexate-trimethoprim"]);
    });

    it("finds nothing for a safe prescription, and needs no override", function () {
      const check = checkPrescription({
        proposed: request({ text: "Amoxicillin 500 mg" }),
        medications: [medRecord(statement("Lisinopril 10 mg")), medRecord(statement("Warfarin 5 mg"))],
        allergies: [record(allergy("Peanut", { category: ["food"] }))],
        conditions: [record(condition({ snomed: "195967001" }))],
        coverage: ALL_GRANTED,
      });
      expect(check.findings).to.deep.equal([]);
      expect(check.overrideRequired).to.equal(false);
      expect(check.notChecked).to.deep.equal([]);
    });

    it("refuses a proposed resource that is not a medication", function () {
      const notAMedication = condition({ snomed: "195967001" }) as unknown as MedicationResource;
      try {
        checkPrescription({ proposed: notAMedication, ...noVault, coverage: ALL_GRANTED });
        expect.fail("expected a PrescribingError");
      } catch (error) {
        expect(error).to.be.instanceOf(PrescribingError);
        expect((error as PrescribingError).code).to.equal("NOT_A_MEDICATION");
      }
    });

    it("ignores vault records of the wrong type in a list", function () {
      const stray = record(condition({ snomed: "195967001" })) as unknown as ReturnType<typeof medRecord>;
      const check = checkPrescription({
        proposed: request({ text: "Propranolol" }),
        ...noVault,
        medications: [stray],
        coverage: ALL_GRANTED,
      });
      expect(check.findings).to.deep.equal([]);
      expect(check.checkedAgainst.medications).to.equal(0);
    });
  });
});
