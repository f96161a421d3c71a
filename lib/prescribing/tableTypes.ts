/**
 * The shape of an interaction table: ingredients (keyed by RxNorm ingredient RxCUI and by name), drug classes,
 * condition groups, allergen terms, public sources and the rules themselves. The shipped table is the data file
 * `interactionTable.json` (described in `interactionTable.md`); `table.ts` checks and indexes it.
 */
import type { DrugClassId } from "./drugClasses";

export type { DrugClassId } from "./drugClasses";

/** How bad a finding is. `contraindicated` and `major` need an override reason to sign. */
export type Severity = "contraindicated" | "major" | "moderate";

/** What the proposed drug was checked against. */
export type FindingKind = "drug-drug" | "drug-allergy" | "drug-condition";

/**
 * How an ingredient's RxCUI was checked against public code lists (read through the project's search tool):
 * - `cpic`: listed in CPIC's drug table (cpicpgx/cpic-schema `drug.sql`, RxNorm ingredient ids);
 * - `atc-list`: in a public RxNav ATC-class-to-ingredient list;
 * - `cross-checked`: the same code for the same ingredient in at least two independent public code lists;
 * - `unverified`: from memory. The ingredient is matched by its name as well (every ingredient is), and a coding
 *   with this RxCUI is only trusted when its display, if it has one, names the same ingredient.
 */
export type CodeCheck = "cpic" | "atc-list" | "cross-checked" | "unverified";

/** One drug ingredient the table knows. `name` is its identity inside the table. */
export interface IngredientEntry {
  /** RxNorm ingredient name, lower case (`warfarin`, `potassium chloride`). */
  name: string;
  /** RxCUI of the ingredient (term type IN); absent when no code could be checked and it is matched by name only. */
  rxcui?: string;
  /** How the RxCUI was checked. */
  codeCheck: CodeCheck;
  /** Other names: international names (salbutamol), abbreviations (HCTZ) and brand names (Advil, Ventolin). */
  synonyms?: string[];
  /** Drug classes the rules refer to. */
  classes?: DrugClassId[];
}

/** A set of drugs: named ingredients and/or whole classes. */
export interface DrugSet {
  ingredients?: string[];
  classes?: DrugClassId[];
}

/** A clinical drug or brand RxCUI (not an ingredient) and the ingredients it contains. */
export interface ClinicalDrugEntry {
  rxcui: string;
  /** The RxNorm name, for the reader. */
  name: string;
  ingredients: string[];
}

/** Words and codes that name an allergen group in an AllergyIntolerance ("penicillins", "sulfa"), not a drug. */
export interface AllergenTerm {
  /** Phrases matched as whole words in the allergy's text and displays. */
  terms: string[];
  /** SNOMED CT codes (substances or "allergy to …" findings) that mean the same. */
  snomed?: string[];
  /** The allergy covers these classes… */
  classes?: DrugClassId[];
  /** …and/or these ingredients. */
  ingredients?: string[];
}

/** A clinical condition a rule refers to, recognised by SNOMED CT code, ICD-10 code prefix or words. */
export interface ConditionGroup {
  id: string;
  label: string;
  /** Exact SNOMED CT codes (descendants are not inferred: their text is matched instead). */
  snomed: string[];
  /** ICD-10 / ICD-10-CM code prefixes (`J45` matches `J45.909`). */
  icd10: string[];
  /** Phrases matched as whole words in the condition's text and displays. */
  text: string[];
}

/** A public source a rule is taken from. */
export interface SourceEntry {
  id: string;
  citation: string;
  url?: string;
}

/** Fields every rule has. */
interface RuleBase {
  /** Stable id, recorded in DetectedIssue resources. */
  id: string;
  severity: Severity;
  /** One line: what happens to the patient. */
  effect: string;
  /** Ids into the source list; at least one. */
  sources: string[];
  /** Reported only when no other rule of the same kind fired for the same record (a generic catch-all). */
  fallback?: boolean;
}

/** The proposed drug interacts with a drug the patient takes. Symmetric: either side may be the proposed one. */
export interface DrugDrugRule extends RuleBase {
  kind: "drug-drug";
  a: DrugSet;
  b: DrugSet;
}

/** The proposed drug is one the patient is allergic to, or cross-reacts with it. */
export interface DrugAllergyRule extends RuleBase {
  kind: "drug-allergy";
  /** What the allergy names, or `same-ingredient`: the allergy names the proposed ingredient itself. */
  allergen: DrugSet | "same-ingredient";
  /** The proposed drugs concerned, or `any` ingredient of the table. */
  drug: DrugSet | "any";
}

/** The proposed drug is contraindicated, or risky, with a condition the patient has. */
export interface DrugConditionRule extends RuleBase {
  kind: "drug-condition";
  drug: DrugSet;
  /** A {@link ConditionGroup} id. */
  condition: string;
}

/** One rule of the table. */
export type InteractionRule = DrugDrugRule | DrugAllergyRule | DrugConditionRule;

/** A whole table, as written (before checking and indexing). */
export interface InteractionTableSource {
  ingredients: IngredientEntry[];
  clinicalDrugs: ClinicalDrugEntry[];
  allergenTerms: AllergenTerm[];
  conditionGroups: ConditionGroup[];
  sources: SourceEntry[];
  rules: InteractionRule[];
}
