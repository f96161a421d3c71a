/** A synthetic lab result a provider may add to a patient's vault (FHIR R4 Observation, HbA1c). */
export const SAMPLE_LAB_RESULT = JSON.stringify(
  {
    resourceType: "Observation",
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }] }],
    code: { coding: [{ system: "http://loinc.org", code: "4548-4", display: "Hemoglobin A1c/Hemoglobin.total in Blood" }], text: "HbA1c" },
    effectiveDateTime: "2026-01-20T08:30:00Z",
    valueQuantity: { value: 6.1, unit: "%", system: "http://unitsofmeasure.org", code: "%" },
    referenceRange: [{ low: { value: 4, unit: "%" }, high: { value: 5.6, unit: "%" } }],
    interpretation: [
      { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", code: "H", display: "High" }] },
    ],
  },
  null,
  2,
);
