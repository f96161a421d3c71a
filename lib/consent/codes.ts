/**
 * Record categories and purposes of use, numbered exactly as `contracts/libraries/ConsentCodes.sol` numbers them.
 * A grant's scope is a bitmask with bit `category` set for each category granted, plus {@link WRITE_BIT}.
 */
export const CATEGORIES = [
  { id: 0, key: "DEMOGRAPHICS", label: "Demographics" },
  { id: 1, key: "PROBLEMS", label: "Problems & diagnoses" },
  { id: 2, key: "ALLERGIES", label: "Allergies" },
  { id: 3, key: "MEDICATIONS", label: "Medications" },
  { id: 4, key: "LABS", label: "Lab results" },
  { id: 5, key: "IMAGING", label: "Imaging" },
  { id: 6, key: "IMMUNIZATIONS", label: "Immunizations" },
  { id: 7, key: "NOTES", label: "Clinical notes & documents" },
  { id: 8, key: "MENTAL_HEALTH", label: "Mental health" },
  { id: 9, key: "SEXUAL_REPRODUCTIVE", label: "Sexual & reproductive health" },
  { id: 10, key: "GENETIC", label: "Genetic" },
  { id: 11, key: "SUBSTANCE_USE", label: "Substance use" },
  { id: 12, key: "EMERGENCY_SUMMARY", label: "Emergency summary" },
] as const;

/** A category number (bit index in a scope). */
export type Category = (typeof CATEGORIES)[number]["id"];

/** Highest category number the contracts accept. */
export const MAX_CATEGORY = 12;

/** Scope bit that lets a grantee add records of the granted categories to the patient's vault. */
export const WRITE_BIT = 1 << 31;

/** HL7 v3 PurposeOfUse codes (code system 2.16.840.1.113883.5.8) as the small integers the contracts store. */
export const PURPOSES = [
  { id: 1, code: "TREAT", label: "Treatment" },
  { id: 2, code: "ETREAT", label: "Emergency treatment" },
  { id: 3, code: "BTG", label: "Break the glass" },
  { id: 4, code: "HPAYMT", label: "Healthcare payment" },
  { id: 5, code: "HOPERAT", label: "Healthcare operations" },
  { id: 6, code: "HRESCH", label: "Healthcare research" },
  { id: 7, code: "PATRQT", label: "Patient requested" },
  { id: 8, code: "CAREMGT", label: "Care management" },
  { id: 9, code: "PUBHLTH", label: "Public health" },
] as const;

/** A purpose-of-use number. */
export type Purpose = (typeof PURPOSES)[number]["id"];

/** Builds a scope bitmask from categories (and the write bit when `write`). Unsigned, as the contract's uint32. */
export function scopeOf(categories: readonly number[], write = false): number {
  let scope = 0;
  for (const c of categories) scope |= 1 << c;
  if (write) scope |= WRITE_BIT;
  return scope >>> 0;
}

/** The categories a scope grants. */
export function categoriesOf(scope: number): number[] {
  return CATEGORIES.filter((c) => (scope >>> c.id) & 1).map((c) => c.id);
}

/** Human label of a category number ("category 42" when unknown). */
export function categoryLabel(id: number): string {
  return CATEGORIES.find((c) => c.id === id)?.label ?? `category ${id}`;
}

/** HL7 code of a purpose number ("UNKNOWN" when unknown). */
export function purposeCode(id: number): string {
  return PURPOSES.find((p) => p.id === id)?.code ?? "UNKNOWN";
}
