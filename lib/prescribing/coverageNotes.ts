import { categoryLabel } from "../consent/codes";

/** Whether the prescriber's grants cover a category of the patient's vault. */
export type CoverageState = "granted" | "partial" | "not-granted";

/** What the prescriber's client could read, per category the check needs. */
export interface Coverage {
  medications: CoverageState;
  allergies: CoverageState;
  conditions: CoverageState;
}

/** Category numbers as in `lib/consent/codes.ts`, so the notes use the names the patient grants by. */
const CATEGORY_OF: Record<keyof Coverage, number> = { conditions: 1, allergies: 2, medications: 3 };

/** What goes unchecked, per category, in plain words. */
const UNCHECKED: Record<keyof Coverage, { none: string; partial: string }> = {
  medications: {
    none: "interactions with other providers' medications were not checked",
    partial: "interactions with medications outside those grants were not checked",
  },
  allergies: {
    none: "the patient's recorded allergies were not checked",
    partial: "allergies outside those grants were not checked",
  },
  conditions: {
    none: "contraindications with the patient's conditions were not checked",
    partial: "conditions outside those grants were not checked",
  },
};

/** Plain-language notes on what the check could not see because no grant, or only part of one, covers it. */
export function coverageNotes(coverage: Coverage): string[] {
  const notes: string[] = [];
  for (const key of ["medications", "allergies", "conditions"] as const) {
    const label = categoryLabel(CATEGORY_OF[key]);
    if (coverage[key] === "not-granted") notes.push(`No grant covers ${label}: ${UNCHECKED[key].none}.`);
    else if (coverage[key] === "partial") notes.push(`Grants cover only part of ${label}: ${UNCHECKED[key].partial}.`);
  }
  return notes;
}

/** The note for a proposed drug the table does not know. */
export function unknownProposedNote(display: string): string {
  return `'${display}' is not in the interaction table: it was not checked.`;
}

/** The note for a medication in the vault the table does not know. */
export function unknownMedicationNote(display: string, author?: string): string {
  return `'${display}'${author ? ` (recorded by ${author})` : ""} is not in the interaction table: interactions with it were not checked.`;
}

/** The note for an allergy that names no drug or drug class the table knows. */
export function unknownAllergyNote(display: string, author?: string): string {
  return `Allergy '${display}'${author ? ` (recorded by ${author})` : ""} names no drug or drug class in the interaction table: it was not checked.`;
}
