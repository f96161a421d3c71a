import type { IdentifiedAllergy } from "./identifyAllergy";
import type { CompiledRule, InteractionTable } from "./table";

/** A rule that fired for one proposed ingredient against one record. */
export interface RuleMatch {
  rule: CompiledRule;
  /** The proposed ingredient the rule concerns. */
  proposedIngredient: string;
}

/**
 * One match per rule (a combination product can meet the same rule through two ingredients), and fallback rules
 * only when no other rule fired for the record.
 */
function settle(matches: RuleMatch[]): RuleMatch[] {
  const unique = matches.filter((m, i) => matches.findIndex((other) => other.rule.rule.id === m.rule.rule.id) === i);
  const specific = unique.filter((m) => !m.rule.rule.fallback);
  return specific.length > 0 ? specific : unique;
}

/**
 * Drug–drug rules between the proposed ingredients and those of one medication record, in either direction. An
 * ingredient is never checked against itself (that is duplicate therapy, not an interaction).
 */
export function matchDrugDrug(table: InteractionTable, proposed: readonly string[], other: readonly string[]): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const rule of table.rules) {
    if (rule.kind !== "drug-drug") continue;
    for (const p of proposed) {
      for (const o of other) {
        if (p === o) continue;
        if ((rule.a.has(p) && rule.b.has(o)) || (rule.b.has(p) && rule.a.has(o))) matches.push({ rule, proposedIngredient: p });
      }
    }
  }
  return settle(matches);
}

function overlaps<T>(x: ReadonlySet<T>, y: ReadonlySet<T>): boolean {
  return [...x].some((item) => y.has(item));
}

/** Drug–allergy rules between the proposed ingredients and one allergy. */
export function matchDrugAllergy(table: InteractionTable, proposed: readonly string[], allergy: IdentifiedAllergy): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const rule of table.rules) {
    if (rule.kind !== "drug-allergy") continue;
    for (const p of proposed) {
      if (rule.drug !== "any" && !rule.drug.has(p)) continue;
      const allergen = rule.allergen;
      const allergic =
        allergen === "same-ingredient"
          ? allergy.ingredients.has(p)
          : overlaps(allergy.classes, allergen.classes) || overlaps(allergy.ingredients, allergen.ingredients);
      if (allergic) matches.push({ rule, proposedIngredient: p });
    }
  }
  return settle(matches);
}

/** Drug–condition rules between the proposed ingredients and one condition's groups. */
export function matchDrugCondition(table: InteractionTable, proposed: readonly string[], groups: ReadonlySet<string>): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const rule of table.rules) {
    if (rule.kind !== "drug-condition" || !groups.has(rule.condition)) continue;
    for (const p of proposed) if (rule.drug.has(p)) matches.push({ rule, proposedIngredient: p });
  }
  return settle(matches);
}
