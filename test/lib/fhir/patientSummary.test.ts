import { expect } from "chai";
import { categoryOf, importFhir, type DocumentBundle, type FhirResource } from "../../../lib/fhir";
import { CATEGORIES } from "../../../lib/consent/codes";
import { build } from "./build";
import { AMOXICILLIN, ASTHMA, built, builtValid, DR_CHEN, errorsOf, expectValidR4, JANE, PENICILLIN, SALBUTAMOL } from "./fixtures";
import { OTHER_PORTAL_EXPORT } from "./otherPortalExport";

const r = <T>(x: T) => x as unknown as FhirResource;

/** Jane's vault, as she recorded it through the forms. */
export function janeVault() {
  const penicillin = built(build.allergyIntolerance(PENICILLIN));
  const nuts = built(
    build.allergyIntolerance({ substance: "Nuts <& seeds>", category: "food", criticality: "low", reaction: "Hives", patient: JANE }),
  );
  const asthma = built(build.condition(ASTHMA));
  const salbutamol = built(build.medicationStatement({ ...SALBUTAMOL, drug: "Salbutamol 100 micrograms inhaler" }));
  const amoxicillin = built(build.medicationRequest({ ...AMOXICILLIN, requester: { ...DR_CHEN, reference: "Practitioner/chen" } }));
  return { penicillin, nuts, asthma, salbutamol, amoxicillin };
}

function summary(): DocumentBundle {
  const v = janeVault();
  return built(
    build.patientSummary(
      {
        patient: { name: "Jane Doe", birthDate: "1985-06-15", gender: "female", address: JANE.address },
        allergies: [r(v.penicillin), r(v.nuts)],
        problems: [r(v.asthma)],
        medications: [r(v.salbutamol), r(v.amoxicillin)],
        author: JANE,
        date: "2026-03-01T09:00:00Z",
      },
      "0a8c2b5e-1f0d-4c4e-9d7b-3a2e6f9b1c01",
    ),
  );
}

describe("buildPatientSummary (International Patient Summary from the vault)", function () {
  this.timeout(60_000);

  it("assembles a document Bundle that validates as FHIR R4, the Bundle and each entry by its own type", function () {
    const bundle = summary();
    expectValidR4(bundle);
    expect(bundle).to.deep.include({ resourceType: "Bundle", type: "document", timestamp: "2026-03-01T09:00:00Z" });
    expect(bundle.identifier.value).to.match(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(bundle.entry.map((e) => e.resource.resourceType)).to.deep.equal([
      "Composition",
      "Patient",
      "AllergyIntolerance",
      "AllergyIntolerance",
      "Condition",
      "MedicationStatement",
      "MedicationRequest",
    ]);
    expect(bundle.entry[0].fullUrl).to.equal("urn:uuid:0a8c2b5e-1f0d-4c4e-9d7b-3a2e6f9b1c01");
    expect(new Set(bundle.entry.map((e) => e.fullUrl)).size, "fullUrls are unique").to.equal(bundle.entry.length);
    expect(CATEGORIES[categoryOf(bundle as unknown as FhirResource)].key).to.equal("EMERGENCY_SUMMARY");
  });

  it("has the IPS Composition: patient summary type and the three required sections in order, each pointing at its entries", function () {
    const bundle = summary();
    const composition = bundle.entry[0].resource as unknown as {
      type: { coding: { code: string }[] };
      section: Array<{ title: string; code: { coding: { system: string; code: string }[] }; entry?: { reference: string }[] }>;
    };
    expect(composition.type.coding[0].code).to.equal("60591-5");
    expect(composition.section.map((s) => [s.code.coding[0].system, s.code.coding[0].code])).to.deep.equal([
      ["http://loinc.org", "48765-2"],
      ["http://loinc.org", "11450-4"],
      ["http://loinc.org", "10160-0"],
    ]);
    const typeAt = (ref: string) => bundle.entry.find((e) => e.fullUrl === ref)!.resource.resourceType;
    expect(composition.section.map((s) => s.entry!.map((e) => typeAt(e.reference)))).to.deep.equal([
      ["AllergyIntolerance", "AllergyIntolerance"],
      ["Condition"],
      ["MedicationStatement", "MedicationRequest"],
    ]);
  });

  it("ties every entry to the Patient entry and leaves no reference a reader could not follow", function () {
    const bundle = summary();
    const patientUrl = bundle.entry[1].fullUrl;
    for (const e of bundle.entry.slice(2)) {
      const subject = (e.resource.subject ?? e.resource.patient) as { reference: string; display: string };
      expect(subject, e.resource.resourceType).to.deep.equal({ reference: patientUrl, display: "Jane Doe" });
    }
    const urls = new Set(bundle.entry.map((e) => e.fullUrl));
    const references = JSON.stringify(bundle)
      .match(/"reference":"[^"]*"/g)!
      .map((m) => m.slice(13, -1));
    for (const ref of references) expect(urls.has(ref), ref).to.equal(true);
    // The prescriber's Practitioner/chen is outside: the name and address stay, the dangling link goes.
    expect(bundle.entry[6].resource.requester).to.deep.equal({
      identifier: {
        system: "https://consent-ledger.example/fhir/NamingSystem/ethereum-address",
        value: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
      },
      display: "Dr. Alice Chen",
    });
    // Jane made it herself: the author is her Patient entry.
    expect(bundle.entry[0].resource.author).to.deep.equal([{ reference: patientUrl, display: "Jane Doe" }]);
  });

  it("writes a readable narrative per section, escaped for XHTML", function () {
    const bundle = summary();
    const div = (bundle.entry[0].resource as unknown as { section: Array<{ text: { div: string } }> }).section[0].text.div;
    expect(div).to.equal(
      '<div xmlns="http://www.w3.org/1999/xhtml"><ul><li>Penicillin — High risk · Anaphylaxis (severe) · medication</li><li>Nuts &lt;&amp; seeds&gt; — Low risk · Hives · food</li></ul></div>',
    );
  });

  it("says whether an empty section means none known or nothing included", function () {
    const v = janeVault();
    const bundle = builtValid(
      build.patientSummary({
        patient: { name: "Jane Doe" },
        allergies: [],
        problems: [],
        medications: [r(v.salbutamol)],
        author: DR_CHEN,
        noKnownAllergies: true,
      }),
    );
    const sections = (
      bundle.entry[0].resource as unknown as {
        section: Array<{ entry?: unknown; emptyReason?: { coding: { code: string }[] }; text: { div: string } }>;
      }
    ).section;
    expect(sections[0]).not.to.have.property("entry");
    expect(sections[0].emptyReason!.coding[0].code).to.equal("nilknown");
    expect(sections[0].text.div).to.contain("No known allergies.");
    expect(sections[1].emptyReason!.coding[0].code).to.equal("unavailable");
    expect(sections[1].text.div).to.contain("No problem information was included.");
    // Made by a doctor, the author is the doctor.
    expect((bundle.entry[0].resource.author as Array<{ display: string }>)[0].display).to.equal("Dr. Alice Chen");
  });

  it("accepts the patient's own Patient record, e.g. one imported from another portal", function () {
    const imported = importFhir(JSON.stringify(OTHER_PORTAL_EXPORT)).records;
    const patient = imported.find((x) => x.resource.resourceType === "Patient")!.resource;
    const allergy = imported.find((x) => x.resource.resourceType === "AllergyIntolerance")!.resource;
    const problem = imported.find((x) => x.resource.id === "htn")!.resource;
    const medication = imported.find((x) => x.resource.resourceType === "MedicationRequest")!.resource;
    const bundle = builtValid(
      build.patientSummary({ patient, allergies: [allergy], problems: [problem], medications: [medication], author: JANE }),
    );
    expect(bundle.entry[1].resource).to.deep.include({ resourceType: "Patient", birthDate: "1985-06-15" });
    expect(bundle.timestamp).to.equal("2026-03-01T10:00:00Z");
  });

  it("refuses records picked in the wrong list and contradictory answers, in words", function () {
    const v = janeVault();
    expect(
      errorsOf(
        build.patientSummary({
          patient: { name: "" },
          allergies: [r(v.asthma)],
          problems: [],
          medications: [r(v.penicillin)],
          author: JANE,
          noKnownProblems: true,
        }),
      ),
    ).to.deep.equal({
      "patient.name": "Enter the person’s name.",
      "allergies.0": "“Asthma” is not an allergy: pick it in the right list.",
      "medications.0": "“Penicillin” is not a medication: pick it in the right list.",
    });
  });

  it("refuses none-known together with picked items, and a patient record of the wrong type", function () {
    const v = janeVault();
    const errors = errorsOf(
      build.patientSummary({
        patient: r(v.asthma),
        allergies: [r(v.nuts)],
        problems: [],
        medications: [],
        author: JANE,
        noKnownAllergies: true,
      }),
    );
    expect(errors).to.deep.equal({
      patient: "Choose the patient’s own details for the summary.",
      noKnownAllergies: "You said there are none, but also picked some: clear one or the other (allergies and intolerances).",
    });
  });
});
