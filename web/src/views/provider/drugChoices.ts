import { INTERACTION_TABLE } from "../../../../lib/prescribing";

/** A drug the prescribing form offers: its name and the RxNorm ingredient code the interaction check keys on. */
export interface DrugChoice {
  name: string;
  rxnormCode: string;
}

/**
 * The drugs the interaction table knows with an RxNorm code, by name: picking one of these means the check can
 * identify what is prescribed (a free-typed name might not be). Built from the shipped table, not a second list.
 */
export const DRUG_CHOICES: readonly DrugChoice[] = [...INTERACTION_TABLE.ingredients.values()]
  .filter((i) => i.rxcui !== undefined)
  .map((i) => ({ name: i.name.charAt(0).toUpperCase() + i.name.slice(1), rxnormCode: i.rxcui! }))
  .sort((a, b) => a.name.localeCompare(b.name));
