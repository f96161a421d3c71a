import { expect } from "chai";
import { dispenseFormFrom, DOCUMENT_KINDS, FhirFormError, ROUTES, unwrap, type FhirResource } from "../../../lib/fhir";
import { codeProblem } from "../../../lib/fhir/codeChecks";
import { ADDRESS_SYSTEM } from "../../../lib/audit/fhirCodes";
import { build } from "./build";
import {
  AMOXICILLIN_DISPENSE,
  ASTHMA,
  built,
  builtValid,
  DISCHARGE_LETTER,
  DR_CHEN,
  HBA1C,
  JANE,
  PENICILLIN,
  SALBUTAMOL,
} from "./fixtures";

describe("fhir builders (form input → valid FHIR R4)", function () {
  this.timeout(60_000);

  describe("Condition", function () {
    it("builds a valid problem-list Condition with SNOMED code, onset, status and the patient as an address identifier", function () {
      const c = builtValid(build.condition({ ...ASTHMA, name: " Asthma ", recorder: JANE }, "cond-1"));
      expect(c).to.deep.include({
        resourceType: "Condition",
        id: "cond-1",
        onsetDateTime: "2019-04-02",
        recordedDate: "2026-03-01T10:00:00Z",
      });
      expect(c.code).to.deep.equal({ coding: [{ system: "http://snomed.info/sct", code: "195967001" }], text: "Asthma" });
      expect(c.clinicalStatus.coding![0]).to.deep.include({ code: "active" });
      expect(c.category[0].coding![0].code).to.equal("problem-list-item");
      // Addresses are emitted EIP-55, whatever case the form held.
      expect(c.subject).to.deep.equal({
        identifier: { system: ADDRESS_SYSTEM, value: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
        display: "Jane Doe",
      });
    });

    it("records a resolved condition with its end date, and a name without a code", function () {
      const c = builtValid(
        build.condition({ name: "Broken wrist", onsetDate: "2021", clinicalStatus: "resolved", resolvedDate: "2021-08", patient: JANE }),
      );
      expect(c).to.deep.include({ abatementDateTime: "2021-08", onsetDateTime: "2021" });
      expect(c.code).to.deep.equal({ text: "Broken wrist" });
      expect(c.clinicalStatus.coding![0].code).to.equal("resolved");
    });
  });

  describe("AllergyIntolerance", function () {
    it("builds a valid allergy with code, reaction, criticality and category; a medicine's code is RxNorm by default", function () {
      const a = builtValid(build.allergyIntolerance({ ...PENICILLIN, substance: "Penicillin V", code: "7980" }));
      expect(a).to.deep.include({ criticality: "high", category: ["medication"] });
      expect(a.code.coding![0]).to.deep.equal({ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "7980" });
      expect(a.reaction).to.deep.equal([{ manifestation: [{ text: "Anaphylaxis" }], severity: "severe" }]);
    });

    it("codes a food allergy in SNOMED CT and leaves out the reaction when none is given", function () {
      const a = builtValid(
        build.allergyIntolerance({
          substance: "Peanut",
          code: "91935009",
          category: "food",
          criticality: "unable-to-assess",
          patient: JANE,
        }),
      );
      expect(a.code.coding![0].system).to.equal("http://snomed.info/sct");
      expect(a).not.to.have.property("reaction");
    });
  });

  describe("MedicationStatement", function () {
    it("builds a valid statement with dose text, status and period", function () {
      const m = builtValid(
        build.medicationStatement({
          ...SALBUTAMOL,
          drug: "Salbutamol 100 micrograms/dose inhaler",
          rxnormCode: "745679",
          reason: "Asthma",
        }),
      );
      expect(m).to.deep.include({ status: "active", effectivePeriod: { start: "2019-04" }, dosage: [{ text: "2 puffs when needed" }] });
    });
  });

  describe("MedicationRequest", function () {
    const form = {
      drug: "Amoxicillin 500 mg oral capsule",
      rxnormCode: "308191",
      doseValue: "500",
      doseUnit: "mg",
      route: "oral" as const,
      frequency: "three-times-daily" as const,
      quantity: "21",
      quantityUnit: "capsule",
      refills: "0",
      supplyDays: "7",
      note: "Complete the course",
      requester: DR_CHEN,
      patient: JANE,
      detectedIssues: ["DetectedIssue/di-1"],
    };

    it("builds a valid order with structured dose, route, timing, supply, refills and the interaction finding it overrides", function () {
      const r = builtValid(build.medicationRequest(form, "rx-1"));
      expect(r).to.deep.include({ status: "active", intent: "order", authoredOn: "2026-03-01T10:00:00Z" });
      expect(r.medicationCodeableConcept.coding![0]).to.deep.equal({
        system: "http://www.nlm.nih.gov/research/umls/rxnorm",
        code: "308191",
      });
      const dosage = r.dosageInstruction[0];
      expect(dosage.text).to.equal("500 mg by mouth three times a day");
      expect(dosage.doseAndRate![0].doseQuantity).to.deep.equal({
        value: 500,
        unit: "mg",
        system: "http://unitsofmeasure.org",
        code: "mg",
      });
      expect(dosage.route!.coding![0]).to.deep.include({ system: "http://snomed.info/sct", code: "26643006" });
      expect(dosage.timing!.repeat).to.deep.equal({ frequency: 3, period: 1, periodUnit: "d" });
      expect(r.dispenseRequest).to.deep.equal({
        numberOfRepeatsAllowed: 0,
        quantity: { value: 21, unit: "capsule" },
        expectedSupplyDuration: { value: 7, unit: "days", system: "http://unitsofmeasure.org", code: "d" },
      });
      expect(r.detectedIssue).to.deep.equal([{ reference: "DetectedIssue/di-1" }]);
      expect(r.requester.display).to.equal("Dr. Alice Chen");
    });

    it("writes an as-needed inhaler without a schedule", function () {
      const r = builtValid(
        build.medicationRequest({
          ...form,
          doseValue: 2,
          doseUnit: "puff",
          route: "inhaled",
          frequency: "as-needed",
          detectedIssues: undefined,
        }),
      );
      expect(r.dosageInstruction[0]).to.deep.include({ text: "2 puff inhaled when needed", asNeededBoolean: true });
      expect(r.dosageInstruction[0]).not.to.have.property("timing");
    });

    it("prefills a pharmacy's dispense form from the prescription it fills", function () {
      const r = built(build.medicationRequest(form, "rx-1"));
      expect(dispenseFormFrom(r as unknown as FhirResource)).to.deep.equal({
        drug: "Amoxicillin 500 mg oral capsule",
        rxnormCode: "308191",
        authorizingPrescription: "MedicationRequest/rx-1",
        quantity: 21,
        quantityUnit: "capsule",
        daysSupply: 7,
        dosageText: "500 mg by mouth three times a day",
        patient: { display: "Jane Doe", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
      });
    });
  });

  describe("MedicationDispense", function () {
    it("builds a valid dispense tied to its prescription and pharmacy", function () {
      const d = builtValid(build.medicationDispense(AMOXICILLIN_DISPENSE));
      expect(d).to.deep.include({
        status: "completed",
        whenHandedOver: "2026-03-01T09:15:00Z",
        authorizingPrescription: [{ reference: "MedicationRequest/rx-1" }],
      });
      expect(d.performer[0].actor.display).to.equal("Main Street Pharmacy");
    });
  });

  describe("Observation (lab result)", function () {
    it("builds a valid numeric result with LOINC code, UCUM unit, range and interpretation", function () {
      // As a form's text inputs give them: the value as a string, the sample time to the minute.
      const o = builtValid(build.labResult({ ...HBA1C, value: "6.1", effectiveDate: "2026-01-20T08:30:00Z" }));
      expect(o.category[0].coding![0].code).to.equal("laboratory");
      expect(o.valueQuantity).to.deep.equal({ value: 6.1, unit: "%" });
      expect(o.interpretation![0].coding![0].code).to.equal("H");
      expect(o.referenceRange).to.deep.equal([{ low: { value: 4, unit: "%" }, high: { value: 5.6, unit: "%" } }]);
    });

    it("builds a valid result given in words", function () {
      const o = builtValid(
        build.labResult({ test: "COVID-19 PCR", valueText: "Not detected", effectiveDate: "2026-02-10", patient: JANE }),
      );
      expect(o).to.deep.include({ valueString: "Not detected", status: "final" });
    });
  });

  describe("Immunization", function () {
    it("builds a valid vaccination, marking one the patient reports from memory", function () {
      const i = builtValid(
        build.immunization({
          vaccine: "Influenza, seasonal",
          cvxCode: "140",
          date: "2025-10-01",
          lotNumber: "FLU-2025-17",
          reportedByPatient: true,
          patient: JANE,
        }),
      );
      expect(i).to.deep.include({ status: "completed", occurrenceDateTime: "2025-10-01", primarySource: false });
      expect(i.vaccineCode.coding![0]).to.deep.equal({ system: "http://hl7.org/fhir/sid/cvx", code: "140" });
      expect(i.reportOrigin!.coding![0].code).to.equal("recall");
    });
  });

  describe("DocumentReference", function () {
    it("describes a PDF whose bytes travel separately: title, LOINC kind, clinical date, type and link", function () {
      const d = builtValid(
        build.documentReference({
          ...DISCHARGE_LETTER,
          url: "ipfs://bafkreib2kjxfmezjzqzrz6wz4hokmpqm2xjhmqmjdl3kzoiwz3k3wlpwfq",
          sizeBytes: 48213,
        }),
      );
      expect(d.type!.coding![0]).to.deep.include({ system: "http://loinc.org", code: "18842-5" });
      expect(d.content[0].attachment).to.deep.include({
        contentType: "application/pdf",
        size: 48213,
        creation: "2026-02-14",
        title: "Discharge letter",
      });
      expect(d.context.period.start).to.equal("2026-02-14");
      expect(d.date).to.equal("2026-03-01T10:00:00Z");
    });

    it("carries a typed note inline as UTF-8 base64", function () {
      const d = builtValid(
        build.documentReference({
          title: "Visit note",
          contentType: "text/plain",
          date: "2026-02-14",
          text: "Wheeze improved — café visit ok",
          patient: JANE,
        }),
      );
      const attachment = d.content[0].attachment;
      expect(new TextDecoder().decode(Uint8Array.from(atob(attachment.data!), (ch) => ch.charCodeAt(0)))).to.equal(
        "Wheeze improved — café visit ok",
      );
      expect(attachment.size).to.equal(new TextEncoder().encode("Wheeze improved — café visit ok").length);
    });
  });

  describe("DetectedIssue", function () {
    it("builds a valid severe finding with the override reason as a coded mitigation", function () {
      const issue = builtValid(
        build.detectedIssue(
          {
            kind: "drug-condition",
            severity: "high",
            detail: "Non-selective beta-blockers can trigger bronchospasm in asthma.",
            implicated: ["MedicationRequest/rx-2", { reference: "Condition/cond-1", display: "Asthma" }],
            overrideReason: "No alternative for thyroid storm; monitored in ED",
            source: "https://www.ncbi.nlm.nih.gov/books/NBK532904/",
            author: { display: "Dr. Omar Haddad" },
            patient: JANE,
          },
          "di-1",
        ),
      );
      expect(issue.code.coding![0]).to.deep.include({ code: "COND" });
      expect(issue.implicated).to.have.length(2);
      expect(issue.mitigation![0].action).to.deep.equal({
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "1", display: "Therapy Appropriate" }],
        text: "No alternative for thyroid storm; monitored in ED",
      });
    });
  });

  describe("Patient", function () {
    it("builds valid demographics with the wallet address as identifier", function () {
      const p = builtValid(build.patient({ name: "Jane Doe", birthDate: "1985-06-15", gender: "female", address: JANE.address }));
      expect(p).to.deep.include({ name: [{ text: "Jane Doe" }], birthDate: "1985-06-15", gender: "female" });
    });
  });

  it("uses codes that pass their own check digits in every choice list (routes in SNOMED CT, document kinds in LOINC)", function () {
    for (const r of ROUTES) expect(codeProblem("snomed", r.snomed), r.key).to.equal(undefined);
    for (const k of DOCUMENT_KINDS) if (k.loinc) expect(codeProblem("loinc", k.loinc), k.key).to.equal(undefined);
  });

  it("throws FhirFormError (code INVALID_FORM) with the field errors from unwrap, for callers that are not forms", function () {
    try {
      unwrap(build.patient({ name: "" }));
      expect.fail("unwrap returned");
    } catch (error) {
      expect(error).to.be.instanceOf(FhirFormError);
      expect((error as FhirFormError).code).to.equal("INVALID_FORM");
      expect((error as FhirFormError).errors).to.deep.equal([{ field: "name", message: "Enter the person’s name." }]);
    }
  });
});
