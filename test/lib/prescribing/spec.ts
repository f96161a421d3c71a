import { SHIPPED_TABLE_SOURCE, type DrugSet, type IngredientEntry } from "../../../lib/prescribing";
import type { DrugSpelling } from "./fixtures";

/**
 * The table read the plain way, as a specification the engine is tested against: which ingredients a rule's
 * drug set means, and whether two things are related by any rule. Deliberately naive (no indexes), so that it
 * and the engine can disagree.
 */
export const SOURCE = SHIPPED_TABLE_SOURCE;

/** Every ingredient name of the shipped table. */
export const INGREDIENT_NAMES = SOURCE.ingredients.map((i) => i.name);

/** The ingredient entry called `name`. */
export function ingredient(name: string): IngredientEntry {
  const entry = SOURCE.ingredients.find((i) => i.name === name);
  if (!entry) throw new Error(`no ingredient ${name}`);
  return entry;
}

/** The ingredients a drug set means. */
export function members(set: DrugSet): string[] {
  return SOURCE.ingredients
    .filter((i) => set.ingredients?.includes(i.name) || i.classes?.some((c) => set.classes?.includes(c)))
    .map((i) => i.name);
}

/** True when some drug–drug rule relates `x` and `y`, in either direction. */
export function ddiRelated(x: string, y: string): boolean {
  return SOURCE.rules.some((rule) => {
    if (rule.kind !== "drug-drug") return false;
    const [a, b] = [members(rule.a), members(rule.b)];
    return (a.includes(x) && b.includes(y)) || (b.includes(x) && a.includes(y));
  });
}

/** True when an allergy to `allergen` (an ingredient) concerns proposed `drug` under some rule. */
export function allergyRelated(allergen: string, drug: string): boolean {
  if (allergen === drug) return true;
  const allergenClasses = ingredient(allergen).classes ?? [];
  return SOURCE.rules.some(
    (rule) =>
      rule.kind === "drug-allergy" &&
      rule.allergen !== "same-ingredient" &&
      rule.drug !== "any" &&
      members(rule.drug).includes(drug) &&
      (members({ ingredients: rule.allergen.ingredients }).includes(allergen) ||
        allergenClasses.some((c) => rule.allergen !== "same-ingredient" && rule.allergen.classes?.includes(c))),
  );
}

/** True when some drug–condition rule concerns `drug` with condition group `group`. */
export function conditionRelated(drug: string, group: string): boolean {
  return SOURCE.rules.some((rule) => rule.kind === "drug-condition" && rule.condition === group && members(rule.drug).includes(drug));
}

/** An ingredient written by its RxCUI alone (by name when the table has no code for it). */
export function coded(name: string): DrugSpelling {
  const { rxcui } = ingredient(name);
  return rxcui ? { rxcui } : { text: name };
}

/** An ingredient written the way a record's text would: capitalised, with a strength and a form. */
export function named(name: string): string {
  return `${name[0].toUpperCase()}${name.slice(1)} 10 MG Oral Tablet`;
}
