/** Synthetic sample documents for the demo (never real people). */

/** A FHIR R4 Condition: asthma. */
export const SAMPLE_CONDITION = JSON.stringify(
  {
    resourceType: "Condition",
    clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
    code: { coding: [{ system: "http://snomed.info/sct", code: "195967001", display: "Asthma" }], text: "Asthma" },
    onsetDateTime: "2019-04-02",
    subject: { reference: "Patient/example" },
  },
  null,
  2,
);

/** A small International Patient Summary (FHIR R4 document Bundle): allergies, medications, problems. Synthetic. */
export const SAMPLE_EMERGENCY_SUMMARY = JSON.stringify(
  {
    resourceType: "Bundle",
    type: "document",
    timestamp: "2026-01-15T09:00:00Z",
    entry: [
      {
        resource: {
          resourceType: "Composition",
          status: "final",
          type: { coding: [{ system: "http://loinc.org", code: "60591-5", display: "Patient summary Document" }] },
          title: "International Patient Summary",
          date: "2026-01-15",
          section: [{ title: "Allergies and Intolerances" }, { title: "Medication Summary" }, { title: "Problem List" }],
        },
      },
      {
        resource: {
          resourceType: "AllergyIntolerance",
          clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", code: "active" }] },
          criticality: "high",
          code: { coding: [{ system: "http://snomed.info/sct", code: "764146007", display: "Penicillin" }], text: "Penicillin" },
          reaction: [{ manifestation: [{ text: "Anaphylaxis" }], severity: "severe" }],
        },
      },
      {
        resource: {
          resourceType: "MedicationStatement",
          status: "active",
          medicationCodeableConcept: { text: "Salbutamol 100 micrograms/dose inhaler" },
          dosage: [{ text: "2 puffs when needed for wheeze" }],
        },
      },
      {
        resource: {
          resourceType: "Condition",
          clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
          code: { coding: [{ system: "http://snomed.info/sct", code: "195967001", display: "Asthma" }], text: "Asthma" },
          onsetDateTime: "2019-04-02",
        },
      },
    ],
  },
  null,
  2,
);
