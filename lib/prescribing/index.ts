/**
 * The prescriber's interaction check (issue 17): a proposed drug against every medication, allergy and active
 * problem the prescriber's client could decrypt from the patient's vault, from a sourced table shipped in the
 * repository; findings become FHIR R4 DetectedIssue resources when the prescriber overrides them. Isomorphic:
 * pure TypeScript and zod, no network, no Node or DOM API.
 */
export * from "./errors";
export * from "./fhirTypes";
export * from "./tableTypes";
export * from "./drugClasses";
export * from "./table";
export * from "./concepts";
export * from "./identifyDrug";
export * from "./identifyAllergy";
export * from "./identifyCondition";
export * from "./matchRules";
export * from "./findings";
export * from "./coverageNotes";
export * from "./checkPrescription";
export * from "./detectedIssue";
export * from "./partitionVault";
export { words, nameKey } from "./normalize";
