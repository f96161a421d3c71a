/**
 * Short lists of common things people record, each with the standard code a form may attach without the person
 * knowing it: picking "Asthma" from the suggestions stores SNOMED CT 195967001 too; anything else typed stays free
 * text (a code is optional everywhere). Kept short on purpose: a form suggests, it is not a terminology browser.
 */

/** A suggestion: the words shown and stored as text, and its code in the field's system. */
export interface CommonCode {
  label: string;
  code: string;
}

/** Problems (SNOMED CT clinical findings). */
export const COMMON_CONDITIONS: readonly CommonCode[] = [
  { label: "Asthma", code: "195967001" },
  { label: "High blood pressure (hypertension)", code: "38341003" },
  { label: "Type 2 diabetes", code: "44054006" },
  { label: "High cholesterol", code: "55822004" },
  { label: "Underactive thyroid (hypothyroidism)", code: "40930008" },
  { label: "Migraine", code: "37796009" },
  { label: "Atrial fibrillation", code: "49436004" },
  { label: "COPD", code: "13645005" },
];

/** Medicines people are allergic to (RxNorm ingredients). */
export const COMMON_DRUG_ALLERGENS: readonly CommonCode[] = [
  { label: "Penicillin", code: "7980" },
  { label: "Amoxicillin", code: "723" },
  { label: "Aspirin", code: "1191" },
  { label: "Ibuprofen", code: "5640" },
  { label: "Sulfamethoxazole (sulfa)", code: "10180" },
];

/** Foods and other substances people are allergic to (SNOMED CT substances). */
export const COMMON_OTHER_ALLERGENS: readonly CommonCode[] = [
  { label: "Peanut", code: "256349002" },
  { label: "Egg", code: "102263004" },
  { label: "Latex", code: "111088007" },
];

/** Medicines people take (RxNorm ingredients). */
export const COMMON_MEDICATIONS: readonly CommonCode[] = [
  { label: "Salbutamol (albuterol)", code: "435" },
  { label: "Metformin", code: "6809" },
  { label: "Lisinopril", code: "29046" },
  { label: "Atorvastatin", code: "83367" },
  { label: "Levothyroxine", code: "10582" },
  { label: "Amlodipine", code: "17767" },
];

/** Lab tests (LOINC), with the unit the result usually comes in. */
export const COMMON_LAB_TESTS: readonly (CommonCode & { unit: string })[] = [
  { label: "HbA1c", code: "4548-4", unit: "%" },
  { label: "Glucose", code: "2345-7", unit: "mg/dL" },
  { label: "Total cholesterol", code: "2093-3", unit: "mg/dL" },
  { label: "Hemoglobin", code: "718-7", unit: "g/dL" },
  { label: "Potassium", code: "2823-3", unit: "mmol/L" },
  { label: "Creatinine", code: "2160-0", unit: "mg/dL" },
  { label: "TSH", code: "3016-3", unit: "mIU/L" },
];

/** Vaccines (CDC CVX). */
export const COMMON_VACCINES: readonly CommonCode[] = [
  { label: "Influenza (flu), seasonal", code: "141" },
  { label: "COVID-19, mRNA", code: "208" },
  { label: "Tetanus, diphtheria, pertussis (Tdap)", code: "115" },
  { label: "Measles, mumps, rubella (MMR)", code: "03" },
  { label: "Hepatitis B, adult", code: "43" },
  { label: "Shingles (zoster, recombinant)", code: "187" },
];

/** The code of the suggestion a person picked, matched on its exact words (any case); undefined for free text. */
export function codeFor<T extends CommonCode>(list: readonly T[], text: string): T | undefined {
  const wanted = text.trim().toLowerCase();
  return list.find((c) => c.label.toLowerCase() === wanted);
}
