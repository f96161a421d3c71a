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

/** Category numbers by name: `CATEGORY.EMERGENCY_SUMMARY === 12`. */
export const CATEGORY = Object.fromEntries(CATEGORIES.map((c) => [c.key, c.id])) as {
  readonly [C in (typeof CATEGORIES)[number] as C["key"]]: C["id"];
};

/** The only category break-glass access opens (the International Patient Summary). */
export const EMERGENCY_CATEGORY = CATEGORY.EMERGENCY_SUMMARY;

/** Highest category number the contracts accept. */
export const MAX_CATEGORY = 12;

/** Scope bit that lets a grantee add records of the granted categories to the patient's vault (2^31, kept unsigned). */
export const WRITE_BIT = 0x80000000;

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

/** Highest purpose number the contracts accept. */
export const MAX_PURPOSE = 9;

/** Purpose numbers by HL7 code: `PURPOSE.TREAT === 1`. */
export const PURPOSE = Object.fromEntries(PURPOSES.map((p) => [p.code, p.id])) as {
  readonly [P in (typeof PURPOSES)[number] as P["code"]]: P["id"];
};

/** The reasons a provider may give to break the glass (`breakGlass` refuses any other). */
export const BREAK_GLASS_PURPOSES: readonly Purpose[] = [PURPOSE.ETREAT, PURPOSE.BTG];

/** The break-glass reasons with their codes and labels, for pickers. */
export const BREAK_GLASS_REASONS = PURPOSES.filter((p) => (BREAK_GLASS_PURPOSES as readonly number[]).includes(p.id));

/** Human label of a purpose number ("purpose 42" when unknown). */
export function purposeLabel(id: number): string {
  return PURPOSES.find((p) => p.id === id)?.label ?? `purpose ${id}`;
}

/** True when `scope` opens `category`. */
export function scopeCovers(scope: number, category: number): boolean {
  return ((scope >>> category) & 1) === 1;
}

/** True when `scope` carries the write bit. */
export function scopeCanWrite(scope: number): boolean {
  return (scope & WRITE_BIT) !== 0;
}

/** What a verified provider is, numbered as `ConsentCodes.PROVIDER_*` (the registry stores one per provider). */
export const PROVIDER_KINDS = [
  { id: 1, key: "CLINICIAN", name: "clinician", label: "Clinician" },
  { id: 2, key: "PHARMACY", name: "pharmacy", label: "Pharmacy" },
  { id: 3, key: "LABORATORY", name: "laboratory", label: "Laboratory" },
] as const;

/** A provider-kind number. */
export type ProviderKind = (typeof PROVIDER_KINDS)[number]["id"];

/** The API's name of a provider kind ("clinician", "pharmacy", "laboratory"). */
export type ProviderKindName = (typeof PROVIDER_KINDS)[number]["name"];

/** Provider-kind numbers by name: `PROVIDER_KIND.PHARMACY === 2`. */
export const PROVIDER_KIND = Object.fromEntries(PROVIDER_KINDS.map((k) => [k.key, k.id])) as {
  readonly [K in (typeof PROVIDER_KINDS)[number] as K["key"]]: K["id"];
};

/** The API's name of a provider-kind number (a clinician when unknown: the registry accepts no other). */
export function providerKindName(kind: number): ProviderKindName {
  return PROVIDER_KINDS.find((k) => k.id === kind)?.name ?? "clinician";
}

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

/** Human label of a provider kind ("provider kind 7" when unknown). */
export function providerKindLabel(id: number): string {
  return PROVIDER_KINDS.find((k) => k.id === id)?.label ?? `provider kind ${id}`;
}
