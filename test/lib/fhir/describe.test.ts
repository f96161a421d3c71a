import { expect } from "chai";
import { describeResource, type BuildResult, type FhirResource, type ResourceDescription } from "../../../lib/fhir";
import { build } from "./build";
import {
  AMOXICILLIN,
  AMOXICILLIN_DISPENSE,
  ASTHMA,
  built,
  DISCHARGE_LETTER,
  DR_CHEN,
  HBA1C,
  JANE,
  PENICILLIN,
  SALBUTAMOL,
} from "./fixtures";

const describe_ = (r: object) => describeResource(r as FhirResource);

/** A record built from a form, and its timeline line: all of it (`equals`) or at least these fields (`includes`). */
interface Line {
  record: () => BuildResult<object>;
  equals?: ResourceDescription;
  includes?: Partial<ResourceDescription>;
}

/** Each case: the records one sentence speaks of, in the order it names them. */
const cases: Array<{ name: string; lines: Line[] }> = [
  {
    name: "titles a condition by its name, dates it by onset, credits the recorder",
    lines: [
      {
        record: () => build.condition(ASTHMA),
        equals: {
          kind: "Condition",
          title: "Asthma",
          date: "2019-04-02",
          author: "Dr. Alice Chen",
          summary: "Active · since 2019-04-02",
        },
      },
    ],
  },
  {
    name: "shows an allergy's risk and reaction",
    lines: [
      {
        record: () => build.allergyIntolerance({ ...PENICILLIN, recorder: JANE }),
        includes: {
          kind: "Allergy",
          title: "Penicillin",
          author: "Jane Doe",
          summary: "High risk · Anaphylaxis (severe) · medication",
          date: "2026-03-01T10:00:00Z",
        },
      },
    ],
  },
  {
    name: "titles medicines with their dose, prescriptions with the prescriber",
    lines: [
      {
        record: () => build.medicationRequest({ ...AMOXICILLIN, drug: "Amoxicillin", rxnormCode: "723", refills: 1 }),
        equals: {
          kind: "Prescription",
          title: "Amoxicillin — 500 mg",
          date: "2026-03-01T10:00:00Z",
          author: "Dr. Alice Chen",
          summary: "Active · 500 mg by mouth three times a day · quantity 21 capsule · 1 refill",
        },
      },
      {
        record: () => build.medicationStatement(SALBUTAMOL),
        includes: {
          kind: "Medication",
          title: "Salbutamol inhaler — 2 puffs when needed",
          date: "2019-04",
          author: "Jane Doe",
        },
      },
      {
        record: () => build.medicationDispense({ ...AMOXICILLIN_DISPENSE, drug: "Amoxicillin" }),
        includes: {
          kind: "Dispensed medicine",
          title: "Amoxicillin — 21 capsule",
          date: "2026-03-01T09:15:00Z",
          author: "Main Street Pharmacy",
        },
      },
    ],
  },
  {
    name: "titles a lab result with its value and unit, dated when the sample was taken",
    lines: [
      {
        record: () => build.labResult(HBA1C),
        equals: {
          kind: "Lab result",
          title: "HbA1c 6.1 %",
          date: "2026-01-20",
          author: "Riverside Lab",
          summary: "High · normal range 4 % – 5.6 %",
        },
      },
    ],
  },
  {
    name: "describes vaccinations, documents and prescribing alerts",
    lines: [
      {
        record: () =>
          build.immunization({
            vaccine: "Influenza",
            date: "2025-10-01",
            lotNumber: "L7",
            performer: { display: "Nurse Kim" },
            patient: JANE,
          }),
        equals: { kind: "Vaccination", title: "Influenza", date: "2025-10-01", author: "Nurse Kim", summary: "lot L7" },
      },
      {
        record: () => build.documentReference(DISCHARGE_LETTER),
        equals: {
          kind: "Document",
          title: "Discharge letter",
          date: "2026-02-14",
          author: "Dr. Alice Chen",
          summary: "Discharge summary · application/pdf",
        },
      },
      {
        record: () =>
          build.detectedIssue({
            kind: "drug-drug",
            severity: "high",
            detail: "Bleeding risk.",
            implicated: ["MedicationRequest/rx-1"],
            overrideReason: "Short course, INR checked",
            author: DR_CHEN,
          }),
        includes: {
          kind: "Prescribing alert",
          title: "Drug interaction",
          author: "Dr. Alice Chen",
          summary: "Severe · Bleeding risk. · overridden: Short course, INR checked",
        },
      },
    ],
  },
];

describe("describeResource (what a timeline line shows)", function () {
  for (const c of cases)
    it(c.name, function () {
      for (const line of c.lines) {
        const description = describe_(built(line.record()));
        if (line.equals) expect(description).to.deep.equal(line.equals);
        else expect(description).to.deep.include(line.includes);
      }
    });

  it("never returns an empty title, whatever it is given", function () {
    expect(describe_({ resourceType: "Condition" }).title).to.equal("Condition (no name given)");
    expect(describe_({ resourceType: "CareTeam" })).to.deep.equal({ kind: "Care team", title: "Care team (no name given)" });
    expect(describe_({ resourceType: "Observation", code: 7, valueQuantity: "x", category: "y" }).title).to.equal(
      "Observation (no name given)",
    );
    expect(describe_({ resourceType: "Bundle", type: "collection", entry: [{ resource: { resourceType: "Condition" } }] }).title).to.equal(
      "1 record",
    );
    expect(describe_(null as unknown as object)).to.deep.equal({ kind: "Record", title: "Record" });
  });
});
