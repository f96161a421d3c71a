import type { FhirCodeableConcept, FhirCoding } from "./fhirTypes";
import { RXNORM_SYSTEM } from "./fhirTypes";
import type { InteractionTable } from "./table";

/** How an ingredient was recognised: its own RxCUI, a clinical drug's RxCUI, or its name in the text. */
export type IngredientEvidence = "rxcui" | "clinical-drug" | "name";

/** An ingredient of the table recognised in a FHIR concept. */
export interface IngredientMatch {
  /** The ingredient's name in the table. */
  name: string;
  /** Its RxCUI, when the table has one. */
  rxcui?: string;
  by: IngredientEvidence;
}

/** RxNorm's FHIR system URI and its OID form, both seen in the wild. */
const RXNORM_SYSTEMS = new Set([RXNORM_SYSTEM, "urn:oid:2.16.840.1.113883.6.88"]);

/** The codings of a concept (never undefined). */
export function codingsOf(concept: FhirCodeableConcept | undefined): FhirCoding[] {
  return Array.isArray(concept?.coding) ? concept.coding : [];
}

/** Every human-readable text of a concept: its `text` and each coding's `display`. */
export function textsOf(concept: FhirCodeableConcept | undefined): string[] {
  const texts = [concept?.text, ...codingsOf(concept).map((c) => c.display)];
  return texts.filter((t): t is string => typeof t === "string" && t.trim().length > 0);
}

/** What to call a concept: its text, else the first display, else the first code. */
export function conceptDisplay(concept: FhirCodeableConcept | undefined, fallback: string): string {
  return textsOf(concept)[0] ?? codingsOf(concept).find((c) => c.code)?.code ?? fallback;
}

/**
 * The table's ingredients named by a concept: by RxNorm code (an ingredient, or a clinical drug the table maps),
 * then by name in every text. A code whose RxCUI the table marks `unverified` is trusted only when the coding's
 * display, if any, names the same ingredient: a wrong remembered code must not turn another drug into this one.
 */
export function ingredientsOf(concept: FhirCodeableConcept | undefined, table: InteractionTable): IngredientMatch[] {
  const found: IngredientMatch[] = [];
  const add = (match: IngredientMatch) => {
    if (!found.some((f) => f.name === match.name)) found.push(match);
  };
  for (const coding of codingsOf(concept)) {
    if (!coding.system || !RXNORM_SYSTEMS.has(coding.system) || !coding.code) continue;
    const entry = table.byRxcui.get(coding.code.trim());
    if (!entry) continue;
    for (const name of entry.ingredients) {
      const ingredient = table.ingredients.get(name);
      const displayDisagrees = coding.display !== undefined && !table.names.find(coding.display).includes(name);
      if (!entry.clinicalDrug && ingredient?.codeCheck === "unverified" && displayDisagrees) continue;
      add({ name, rxcui: ingredient?.rxcui, by: entry.clinicalDrug ? "clinical-drug" : "rxcui" });
    }
  }
  for (const text of textsOf(concept)) {
    for (const name of table.names.find(text)) add({ name, rxcui: table.ingredients.get(name)?.rxcui, by: "name" });
  }
  return found;
}

/** Lower-cased codes (and text) of a status concept such as `clinicalStatus`. */
export function statusCodes(concept: FhirCodeableConcept | undefined): string[] {
  const codes = codingsOf(concept).map((c) => c.code);
  return [...codes, concept?.text].filter((c): c is string => typeof c === "string").map((c) => c.trim().toLowerCase());
}
