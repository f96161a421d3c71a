import { tableOf } from "../data/tableOf";

/**
 * Record categories and purposes of use, numbered exactly as `contracts/libraries/ConsentCodes.sol` numbers them.
 * A grant's scope is a bitmask with bit `category` set for each category granted, plus {@link WRITE_BIT}.
 */
export const CATEGORIES = tableOf(
  ["id", "key", "label"],
  [
    [0, "DEMOGRAPHICS", "Demographics"],
    [1, "PROBLEMS", "Problems & diagnoses"],
    [2, "ALLERGIES", "Allergies"],
    [3, "MEDICATIONS", "Medications"],
    [4, "LABS", "Lab results"],
    [5, "IMAGING", "Imaging"],
    [6, "IMMUNIZATIONS", "Immunizations"],
    [7, "NOTES", "Clinical notes & documents"],
    [8, "MENTAL_HEALTH", "Mental health"],
    [9, "SEXUAL_REPRODUCTIVE", "Sexual & reproductive health"],
    [10, "GENETIC", "Genetic"],
    [11, "SUBSTANCE_USE", "Substance use"],
    [12, "EMERGENCY_SUMMARY", "Emergency summary"],
  ],
);

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
export const PURPOSES = tableOf(
  ["id", "code", "label"],
  [
    [1, "TREAT", "Treatment"],
    [2, "ETREAT", "Emergency treatment"],
    [3, "BTG", "Break the glass"],
    [4, "HPAYMT", "Healthcare payment"],
    [5, "HOPERAT", "Healthcare operations"],
    [6, "HRESCH", "Healthcare research"],
    [7, "PATRQT", "Patient requested"],
    [8, "CAREMGT", "Care management"],
    [9, "PUBHLTH", "Public health"],
  ],
);

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
export const PROVIDER_KINDS = tableOf(
  ["id", "key", "name", "label"],
  [
    [1, "CLINICIAN", "clinician", "Clinician"],
    [2, "PHARMACY", "pharmacy", "Pharmacy"],
    [3, "LABORATORY", "laboratory", "Laboratory"],
  ],
);

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
