/**
 * A synthetic export from another portal ("Lakeside Health"): a FHIR R4 searchset Bundle about Jane Doe with the
 * mix real exports have — clinical records, the practitioners and organizations they cite, a Medication cited by a
 * prescription, a duplicate, a server message, and an entry without a resource. Synthetic: no real person.
 */
const base = "https://fhir.lakeside-health.example/r4";

export const OTHER_PORTAL_EXPORT = {
  resourceType: "Bundle",
  id: "export-2026-02",
  type: "searchset",
  total: 14,
  entry: [
    {
      fullUrl: `${base}/Patient/p-100`,
      resource: {
        resourceType: "Patient",
        id: "p-100",
        name: [{ given: ["Jane"], family: "Doe" }],
        birthDate: "1985-06-15",
        gender: "female",
      },
      search: { mode: "match" },
    },
    {
      fullUrl: `${base}/Practitioner/dr-ruiz`,
      resource: {
        resourceType: "Practitioner",
        id: "dr-ruiz",
        name: [{ prefix: ["Dr."], given: ["Ana"], family: "Ruiz", text: "Dr. Ana Ruiz" }],
      },
      search: { mode: "include" },
    },
    {
      fullUrl: `${base}/Organization/lakeside-lab`,
      resource: { resourceType: "Organization", id: "lakeside-lab", name: "Lakeside Hospital Laboratory" },
      search: { mode: "include" },
    },
    {
      fullUrl: `${base}/Condition/htn`,
      resource: {
        resourceType: "Condition",
        id: "htn",
        clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }] },
        code: {
          coding: [{ system: "http://snomed.info/sct", code: "38341003", display: "Hypertensive disorder" }],
          text: "High blood pressure",
        },
        subject: { reference: "Patient/p-100" },
        onsetDateTime: "2022-09-12",
        recorder: { reference: "Practitioner/dr-ruiz" },
      },
    },
    {
      fullUrl: `${base}/Condition/bronchitis`,
      resource: {
        resourceType: "Condition",
        id: "bronchitis",
        clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "resolved" }] },
        code: { text: "Acute bronchitis" },
        subject: { reference: `${base}/Patient/p-100` },
        onsetDateTime: "2024-01-08",
        abatementDateTime: "2024-01-29",
      },
    },
    {
      fullUrl: `${base}/AllergyIntolerance/latex`,
      resource: {
        resourceType: "AllergyIntolerance",
        id: "latex",
        category: ["environment"],
        criticality: "low",
        code: { coding: [{ system: "http://snomed.info/sct", code: "111088007", display: "Latex" }] },
        patient: { reference: "Patient/p-100" },
        reaction: [{ manifestation: [{ text: "Itchy rash" }], severity: "mild" }],
      },
    },
    {
      fullUrl: `${base}/Medication/lisinopril-10`,
      resource: {
        resourceType: "Medication",
        id: "lisinopril-10",
        code: {
          coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "314076", display: "lisinopril 10 MG Oral Tablet" }],
        },
      },
      search: { mode: "include" },
    },
    {
      fullUrl: `${base}/MedicationRequest/rx-lis`,
      resource: {
        resourceType: "MedicationRequest",
        id: "rx-lis",
        status: "active",
        intent: "order",
        medicationReference: { reference: "Medication/lisinopril-10" },
        subject: { reference: "Patient/p-100" },
        authoredOn: "2022-09-12",
        requester: { reference: `${base}/Practitioner/dr-ruiz/_history/3` },
        dosageInstruction: [{ text: "1 tablet by mouth once a day", doseAndRate: [{ doseQuantity: { value: 10, unit: "mg" } }] }],
      },
    },
    {
      fullUrl: `${base}/Observation/k-1`,
      resource: {
        resourceType: "Observation",
        id: "k-1",
        status: "final",
        category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
        code: {
          coding: [{ system: "http://loinc.org", code: "2823-3", display: "Potassium [Moles/volume] in Serum or Plasma" }],
          text: "Potassium",
        },
        subject: { reference: "Patient/p-100" },
        effectiveDateTime: "2026-01-20T08:30:00+01:00",
        performer: [{ reference: "Organization/lakeside-lab" }],
        valueQuantity: { value: 4.1, unit: "mmol/L", system: "http://unitsofmeasure.org", code: "mmol/L" },
        referenceRange: [{ low: { value: 3.5, unit: "mmol/L" }, high: { value: 5.1, unit: "mmol/L" } }],
      },
    },
    {
      fullUrl: `${base}/Observation/bp-1`,
      resource: {
        resourceType: "Observation",
        id: "bp-1",
        status: "final",
        category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "vital-signs" }] }],
        code: { coding: [{ system: "http://loinc.org", code: "85354-9", display: "Blood pressure panel" }], text: "Blood pressure" },
        subject: { reference: "Patient/p-100" },
        effectiveDateTime: "2026-01-20",
        component: [
          { code: { text: "Systolic" }, valueQuantity: { value: 138, unit: "mmHg" } },
          { code: { text: "Diastolic" }, valueQuantity: { value: 86, unit: "mmHg" } },
        ],
      },
    },
    {
      fullUrl: `${base}/DiagnosticReport/cxr-1`,
      resource: {
        resourceType: "DiagnosticReport",
        id: "cxr-1",
        status: "final",
        category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "RAD" }] }],
        code: { text: "Chest X-ray" },
        subject: { reference: "Patient/p-100" },
        effectiveDateTime: "2024-01-10",
        conclusion: "No consolidation.",
      },
    },
    {
      fullUrl: `${base}/Immunization/td-1`,
      resource: {
        resourceType: "Immunization",
        id: "td-1",
        status: "completed",
        vaccineCode: { coding: [{ system: "http://hl7.org/fhir/sid/cvx", code: "115", display: "Tdap" }] },
        patient: { reference: "Patient/p-100" },
        occurrenceDateTime: "2023-05-04",
      },
    },
    {
      fullUrl: `${base}/DocumentReference/dc-1`,
      resource: {
        resourceType: "DocumentReference",
        id: "dc-1",
        status: "current",
        type: { coding: [{ system: "http://loinc.org", code: "18842-5", display: "Discharge summary" }] },
        subject: { reference: "Patient/p-100" },
        author: [{ reference: "Practitioner/dr-ruiz" }],
        description: "Discharge summary, January 2024",
        content: [{ attachment: { contentType: "application/pdf", url: `${base}/Binary/dc-1-pdf`, title: "discharge.pdf" } }],
        context: { period: { start: "2024-01-12" } },
      },
    },
    {
      // The server lists the hypertension again (it matched two search criteria).
      fullUrl: `${base}/Condition/htn`,
      resource: {
        resourceType: "Condition",
        id: "htn",
        code: { text: "High blood pressure" },
        subject: { reference: "Patient/p-100" },
      },
    },
    {
      fullUrl: "urn:uuid:4b7c1d2e-9a57-4cda-8d0a-6f1f0e2b9c11",
      resource: {
        resourceType: "OperationOutcome",
        issue: [{ severity: "information", code: "informational", diagnostics: "Results limited to the last 5 years" }],
      },
      search: { mode: "outcome" },
    },
    { request: { method: "DELETE", url: "Observation/old-1" } },
  ],
};
