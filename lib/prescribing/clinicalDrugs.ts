import type { ClinicalDrugEntry } from "./tableTypes";

/**
 * Clinical-drug (SCD) and multi-ingredient RxCUIs that are not ingredients, mapped to the ingredients they contain.
 * Kept small on purpose: each code here was found with the same name in several public FHIR examples, Synthea's
 * modules or CPIC's drug table. A clinical drug missing from this map is still recognised by its display or text.
 */
export const CLINICAL_DRUGS: ClinicalDrugEntry[] = [
  { rxcui: "855332", name: "warfarin sodium 5 MG Oral Tablet", ingredients: ["warfarin"] },
  { rxcui: "309362", name: "clopidogrel 75 MG Oral Tablet", ingredients: ["clopidogrel"] },
  { rxcui: "312961", name: "simvastatin 20 MG Oral Tablet", ingredients: ["simvastatin"] },
  { rxcui: "308182", name: "amoxicillin 250 MG Oral Capsule", ingredients: ["amoxicillin"] },
  { rxcui: "745679", name: "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", ingredients: ["albuterol"] },
  { rxcui: "10831", name: "sulfamethoxazole / trimethoprim", ingredients: ["sulfamethoxazole", "trimethoprim"] },
];
