import { PrescribingError } from "./errors";
import shippedTable from "./interactionTable.json";
import { nameKey, PhraseIndex } from "./normalize";
import { interactionTableSchema } from "./tableSchema";
import type {
  AllergenTerm,
  ConditionGroup,
  DrugAllergyRule,
  DrugClassId,
  DrugConditionRule,
  DrugDrugRule,
  DrugSet,
  IngredientEntry,
  InteractionTableSource,
  SourceEntry,
} from "./tableTypes";

/** A rule with its drug sets expanded to ingredient names, ready to match. */
export type CompiledRule =
  | { kind: "drug-drug"; rule: DrugDrugRule; a: ReadonlySet<string>; b: ReadonlySet<string> }
  | {
      kind: "drug-allergy";
      rule: DrugAllergyRule;
      allergen: { classes: ReadonlySet<DrugClassId>; ingredients: ReadonlySet<string> } | "same-ingredient";
      drug: ReadonlySet<string> | "any";
    }
  | { kind: "drug-condition"; rule: DrugConditionRule; drug: ReadonlySet<string>; condition: string };

/** A checked, indexed interaction table. */
export interface InteractionTable {
  /** The table as written. */
  readonly source: InteractionTableSource;
  /** Ingredients by name. */
  readonly ingredients: ReadonlyMap<string, IngredientEntry>;
  /** Ingredient names by RxCUI: an ingredient's own code, or a clinical drug's ingredients. */
  readonly byRxcui: ReadonlyMap<string, { ingredients: string[]; clinicalDrug: boolean }>;
  /** Ingredient names and synonyms → ingredient name. */
  readonly names: PhraseIndex<string>;
  /** Allergen words → allergen term; and allergen SNOMED CT codes → allergen terms. */
  readonly allergenWords: PhraseIndex<AllergenTerm>;
  readonly allergenSnomed: ReadonlyMap<string, AllergenTerm[]>;
  /** Condition groups by id, and their phrases → group id. */
  readonly conditionGroups: ReadonlyMap<string, ConditionGroup>;
  readonly conditionWords: PhraseIndex<string>;
  /** Sources by id. */
  readonly sources: ReadonlyMap<string, SourceEntry>;
  /** The rules, in table order. */
  readonly rules: readonly CompiledRule[];
}

function bad(message: string): never {
  throw new PrescribingError("BAD_TABLE", message);
}

/** Checks that every name in `names` is an ingredient of the table. */
function requireIngredients(names: readonly string[] | undefined, known: ReadonlyMap<string, IngredientEntry>, where: string): void {
  for (const name of names ?? []) if (!known.has(name)) bad(`${where} names "${name}", which is not an ingredient of the table`);
}

/** Expands a drug set to ingredient names; refuses one that names nothing real. */
function expand(set: DrugSet, ingredients: readonly IngredientEntry[], where: string): Set<string> {
  const names = new Set(set.ingredients ?? []);
  for (const entry of ingredients) if (entry.classes?.some((c) => set.classes?.includes(c))) names.add(entry.name);
  for (const cls of set.classes ?? []) {
    if (!ingredients.some((entry) => entry.classes?.includes(cls))) bad(`${where}: no ingredient is in class "${cls}"`);
  }
  return names;
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string, what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(key(item))) bad(`duplicate ${what} "${key(item)}"`);
    map.set(key(item), item);
  }
  return map;
}

function compileRule(rule: InteractionTableSource["rules"][number], source: InteractionTableSource): CompiledRule {
  const where = `rule ${rule.id}`;
  const set = (drugs: DrugSet, side: string) => expand(drugs, source.ingredients, `${where} (${side})`);
  switch (rule.kind) {
    case "drug-drug":
      return { kind: rule.kind, rule, a: set(rule.a, "a"), b: set(rule.b, "b") };
    case "drug-allergy":
      return {
        kind: rule.kind,
        rule,
        allergen:
          rule.allergen === "same-ingredient"
            ? "same-ingredient"
            : { classes: new Set(rule.allergen.classes ?? []), ingredients: set({ ingredients: rule.allergen.ingredients }, "allergen") },
        drug: rule.drug === "any" ? "any" : set(rule.drug, "drug"),
      };
    case "drug-condition":
      return { kind: rule.kind, rule, drug: set(rule.drug, "drug"), condition: rule.condition };
  }
}

/**
 * Checks a table (its shape, then every cross-reference) and indexes it for matching. Throws
 * `PrescribingError("BAD_TABLE")` naming the first problem.
 */
export function parseInteractionTable(raw: unknown): InteractionTable {
  const parsed = interactionTableSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    bad(`${issue.path.join(".") || "table"}: ${issue.message}`);
  }
  const source: InteractionTableSource = parsed.data;

  for (const entry of source.ingredients) {
    if (entry.name !== nameKey(entry.name)) bad(`ingredient "${entry.name}" must be written "${nameKey(entry.name)}"`);
  }
  const ingredients = uniqueBy(source.ingredients, (entry) => entry.name, "ingredient");
  const sources = uniqueBy(source.sources, (entry) => entry.id, "source");
  const conditionGroups = uniqueBy(source.conditionGroups, (group) => group.id, "condition group");
  uniqueBy(source.rules, (rule) => rule.id, "rule id");

  const byRxcui = new Map<string, { ingredients: string[]; clinicalDrug: boolean }>();
  for (const entry of source.ingredients) {
    if (!entry.rxcui) continue;
    if (byRxcui.has(entry.rxcui)) bad(`RxCUI ${entry.rxcui} is given to two ingredients`);
    byRxcui.set(entry.rxcui, { ingredients: [entry.name], clinicalDrug: false });
  }
  for (const drug of source.clinicalDrugs) {
    requireIngredients(drug.ingredients, ingredients, `clinical drug ${drug.rxcui}`);
    if (byRxcui.has(drug.rxcui)) bad(`RxCUI ${drug.rxcui} is both an ingredient and a clinical drug, or listed twice`);
    byRxcui.set(drug.rxcui, { ingredients: [...drug.ingredients], clinicalDrug: true });
  }

  const names = new PhraseIndex<string>();
  for (const entry of source.ingredients) for (const name of [entry.name, ...(entry.synonyms ?? [])]) names.add(name, entry.name);

  const allergenWords = new PhraseIndex<AllergenTerm>();
  const allergenSnomed = new Map<string, AllergenTerm[]>();
  source.allergenTerms.forEach((term, i) => {
    requireIngredients(term.ingredients, ingredients, `allergen term ${i}`);
    if (!term.classes?.length && !term.ingredients?.length) bad(`allergen term ${i} names no class and no ingredient`);
    for (const phrase of term.terms) allergenWords.add(phrase, term);
    for (const code of term.snomed ?? []) allergenSnomed.set(code, [...(allergenSnomed.get(code) ?? []), term]);
  });

  const conditionWords = new PhraseIndex<string>();
  for (const group of source.conditionGroups) for (const phrase of group.text) conditionWords.add(phrase, group.id);

  for (const rule of source.rules) {
    for (const id of rule.sources) if (!sources.has(id)) bad(`rule ${rule.id} cites source "${id}", which the table does not list`);
    if (rule.kind === "drug-drug") {
      requireIngredients(rule.a.ingredients, ingredients, `rule ${rule.id}`);
      requireIngredients(rule.b.ingredients, ingredients, `rule ${rule.id}`);
    } else if (rule.kind === "drug-allergy") {
      if (rule.allergen !== "same-ingredient") requireIngredients(rule.allergen.ingredients, ingredients, `rule ${rule.id}`);
      if (rule.drug !== "any") requireIngredients(rule.drug.ingredients, ingredients, `rule ${rule.id}`);
    } else {
      requireIngredients(rule.drug.ingredients, ingredients, `rule ${rule.id}`);
      if (!conditionGroups.has(rule.condition))
        bad(`rule ${rule.id} names condition group "${rule.condition}", which the table does not list`);
    }
  }

  return {
    source,
    ingredients,
    byRxcui,
    names,
    allergenWords,
    allergenSnomed,
    conditionGroups,
    conditionWords,
    sources,
    rules: source.rules.map((rule) => compileRule(rule, source)),
  };
}

/**
 * The shipped table, checked and indexed once at load. Its content is data (`interactionTable.json`, described in
 * `interactionTable.md`), held to the same schema and cross-reference checks as a site's own table.
 */
export const INTERACTION_TABLE: InteractionTable = parseInteractionTable(shippedTable);

/** The table shipped in the repository, as written (typed by the check that loaded it). */
export const SHIPPED_TABLE_SOURCE: InteractionTableSource = INTERACTION_TABLE.source;
