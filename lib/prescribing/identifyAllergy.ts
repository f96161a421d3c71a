import { codingsOf, conceptDisplay, ingredientsOf, statusCodes, textsOf } from "./concepts";
import type { DrugClassId } from "./drugClasses";
import type { FhirAllergyIntolerance } from "./fhirTypes";
import { SNOMED_SYSTEM } from "./fhirTypes";
import type { InteractionTable } from "./table";
import type { AllergenTerm } from "./tableTypes";

/** An allergy as the check understands it. */
export interface IdentifiedAllergy {
  display: string;
  /** Ingredients the allergy names (directly, or through an allergen term such as "Allergy to aspirin"). */
  ingredients: ReadonlySet<string>;
  /** Drug classes the allergy covers: named ("penicillins", "sulfa") or those of its ingredients. */
  classes: ReadonlySet<DrugClassId>;
}

/**
 * True unless the allergy was refuted or entered in error, or is inactive or resolved. An unconfirmed allergy
 * still counts: the check errs on the side of a warning.
 */
export function isAllergyActive(resource: FhirAllergyIntolerance): boolean {
  const verification = statusCodes(resource.verificationStatus);
  if (verification.some((c) => c === "refuted" || c === "entered-in-error")) return false;
  const clinical = statusCodes(resource.clinicalStatus);
  return !clinical.some((c) => c === "inactive" || c === "resolved");
}

/** True when the allergy may concern a drug (its category is medication, or not given). */
export function mayConcernDrugs(resource: FhirAllergyIntolerance): boolean {
  const categories = Array.isArray(resource.category) ? resource.category : [];
  return categories.length === 0 || categories.includes("medication");
}

/** Recognises the ingredients and drug classes an allergy names. */
export function identifyAllergy(resource: FhirAllergyIntolerance, table: InteractionTable): IdentifiedAllergy {
  const ingredients = new Set(ingredientsOf(resource.code, table).map((m) => m.name));
  const terms = new Set<AllergenTerm>();
  for (const coding of codingsOf(resource.code)) {
    if (coding.system === SNOMED_SYSTEM && coding.code) for (const term of table.allergenSnomed.get(coding.code) ?? []) terms.add(term);
  }
  for (const text of textsOf(resource.code)) for (const term of table.allergenWords.find(text)) terms.add(term);

  const classes = new Set<DrugClassId>();
  for (const term of terms) {
    for (const cls of term.classes ?? []) classes.add(cls);
    for (const name of term.ingredients ?? []) ingredients.add(name);
  }
  for (const name of ingredients) for (const cls of table.ingredients.get(name)?.classes ?? []) classes.add(cls);
  return { display: conceptDisplay(resource.code, "unnamed allergy"), ingredients, classes };
}
