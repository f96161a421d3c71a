import { z } from "zod";
import { DRUG_CLASS_IDS } from "./drugClasses";

/**
 * The shape of an interaction table, checked with zod so that a table read from JSON (a site's own rules) is
 * held to the same contract as the shipped one. Cross-references (ingredient names, sources, condition groups)
 * are checked afterwards by `parseInteractionTable`, which can name the missing item.
 */

const drugClass = z.enum(DRUG_CLASS_IDS);
const nonEmpty = z.string().trim().min(1);

const drugSet = z
  .strictObject({ ingredients: z.array(nonEmpty).optional(), classes: z.array(drugClass).optional() })
  .refine((set) => (set.ingredients?.length ?? 0) + (set.classes?.length ?? 0) > 0, "a drug set names no ingredient and no class");

const ruleBase = {
  id: nonEmpty,
  severity: z.enum(["contraindicated", "major", "moderate"]),
  effect: nonEmpty,
  sources: z.array(nonEmpty).min(1, "every rule names at least one source"),
  fallback: z.boolean().optional(),
};

/** Schema of a whole {@link InteractionTableSource}. */
export const interactionTableSchema = z.strictObject({
  ingredients: z
    .array(
      z.strictObject({
        name: nonEmpty,
        rxcui: z.string().regex(/^\d+$/, "an RxCUI is digits").optional(),
        codeCheck: z.enum(["cpic", "atc-list", "cross-checked", "unverified"]),
        synonyms: z.array(nonEmpty).optional(),
        classes: z.array(drugClass).optional(),
      }),
    )
    .min(1),
  clinicalDrugs: z.array(
    z.strictObject({ rxcui: z.string().regex(/^\d+$/, "an RxCUI is digits"), name: nonEmpty, ingredients: z.array(nonEmpty).min(1) }),
  ),
  allergenTerms: z.array(
    z.strictObject({
      terms: z.array(nonEmpty),
      snomed: z.array(z.string().regex(/^\d+$/, "a SNOMED CT code is digits")).optional(),
      classes: z.array(drugClass).optional(),
      ingredients: z.array(nonEmpty).optional(),
    }),
  ),
  conditionGroups: z.array(
    z.strictObject({
      id: nonEmpty,
      label: nonEmpty,
      snomed: z.array(z.string().regex(/^\d+$/, "a SNOMED CT code is digits")),
      icd10: z.array(nonEmpty),
      text: z.array(nonEmpty),
    }),
  ),
  sources: z.array(z.strictObject({ id: nonEmpty, citation: nonEmpty, url: z.url().optional() })).min(1),
  rules: z
    .array(
      z.discriminatedUnion("kind", [
        z.strictObject({ ...ruleBase, kind: z.literal("drug-drug"), a: drugSet, b: drugSet }),
        z.strictObject({
          ...ruleBase,
          kind: z.literal("drug-allergy"),
          allergen: z.union([drugSet, z.literal("same-ingredient")]),
          drug: z.union([drugSet, z.literal("any")]),
        }),
        z.strictObject({ ...ruleBase, kind: z.literal("drug-condition"), drug: drugSet, condition: nonEmpty }),
      ]),
    )
    .min(1),
});
