import { tableOf } from "../data/tableOf";

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
export const COMMON_CONDITIONS: readonly CommonCode[] = tableOf(
  ["label", "code"],
  [
    ["Asthma", "195967001"],
    ["High blood pressure (hypertension)", "38341003"],
    ["Type 2 diabetes", "44054006"],
    ["High cholesterol", "55822004"],
    ["Underactive thyroid (hypothyroidism)", "40930008"],
    ["Migraine", "37796009"],
    ["Atrial fibrillation", "49436004"],
    ["COPD", "13645005"],
  ],
);

/** Medicines people are allergic to (RxNorm ingredients). */
export const COMMON_DRUG_ALLERGENS: readonly CommonCode[] = tableOf(
  ["label", "code"],
  [
    ["Penicillin", "7980"],
    ["Amoxicillin", "723"],
    ["Aspirin", "1191"],
    ["Ibuprofen", "5640"],
    ["Sulfamethoxazole (sulfa)", "10180"],
  ],
);

/** Foods and other substances people are allergic to (SNOMED CT substances). */
export const COMMON_OTHER_ALLERGENS: readonly CommonCode[] = tableOf(
  ["label", "code"],
  [
    ["Peanut", "256349002"],
    ["Egg", "102263004"],
    ["Latex", "111088007"],
  ],
);

/** Medicines people take (RxNorm ingredients). */
export const COMMON_MEDICATIONS: readonly CommonCode[] = tableOf(
  ["label", "code"],
  [
    ["Salbutamol (albuterol)", "435"],
    ["Metformin", "6809"],
    ["Lisinopril", "29046"],
    ["Atorvastatin", "83367"],
    ["Levothyroxine", "10582"],
    ["Amlodipine", "17767"],
  ],
);

/** Lab tests (LOINC), with the unit the result usually comes in. */
export const COMMON_LAB_TESTS: readonly (CommonCode & { unit: string })[] = tableOf(
  ["label", "code", "unit"],
  [
    ["HbA1c", "4548-4", "%"],
    ["Glucose", "2345-7", "mg/dL"],
    ["Total cholesterol", "2093-3", "mg/dL"],
    ["Hemoglobin", "718-7", "g/dL"],
    ["Potassium", "2823-3", "mmol/L"],
    ["Creatinine", "2160-0", "mg/dL"],
    ["TSH", "3016-3", "mIU/L"],
  ],
);

/** Vaccines (CDC CVX). */
export const COMMON_VACCINES: readonly CommonCode[] = tableOf(
  ["label", "code"],
  [
    ["Influenza (flu), seasonal", "141"],
    ["COVID-19, mRNA", "208"],
    ["Tetanus, diphtheria, pertussis (Tdap)", "115"],
    ["Measles, mumps, rubella (MMR)", "03"],
    ["Hepatitis B, adult", "43"],
    ["Shingles (zoster, recombinant)", "187"],
  ],
);

/** The code of the suggestion a person picked, matched on its exact words (any case); undefined for free text. */
export function codeFor<T extends CommonCode>(list: readonly T[], text: string): T | undefined {
  const wanted = text.trim().toLowerCase();
  return list.find((c) => c.label.toLowerCase() === wanted);
}
