import { categoryLabel } from "../../../../lib/consent/codes";
import type { PartyInput } from "../../../../lib/fhir";

/**
 * Whose vault a record form adds to, who is adding, and what they may file: the patient in their own vault, or a
 * provider under a grant with the write bit (who may file only the categories the grant covers).
 */
export interface RecordTarget {
  /** Whom the records are about. */
  patient: PartyInput;
  /** Who records them (the patient in their own vault). */
  author: PartyInput;
  /** The vault in a sentence: "your" or "Jane Doe's" ("Added to … vault"). */
  whose: string;
  /** What the form's main button says ("Encrypt & add to my vault"). */
  addLabel: string;
  /** The categories the author may file under; every category when absent. */
  categories?: readonly number[];
}

/** The patient adding to their own vault. */
export function ownVault(address: string): RecordTarget {
  const me = { address };
  return { patient: me, author: me, whose: "your", addLabel: "Encrypt & add to my vault" };
}

/** Why `category` cannot be filed for this target, in words, or undefined when it can. */
export function categoryProblem(target: RecordTarget, category: number): string | undefined {
  const allowed = target.categories;
  if (allowed === undefined || allowed.includes(category)) return undefined;
  const names = allowed.map(categoryLabel).join(", ");
  return (
    `Your grant does not let you add ${categoryLabel(category)} to ${target.whose} vault, only ${names}. ` +
    `Choose one of those under “File it under”, or add another kind of record.`
  );
}

/** The line said once a record is added: "Added to your vault as Allergies: Penicillin." (the title when it has one). */
export function addedWords(target: RecordTarget, category: number, title?: string): string {
  return `Added to ${target.whose} vault as ${categoryLabel(category)}${title === undefined ? "" : `: ${title}`}.`;
}
