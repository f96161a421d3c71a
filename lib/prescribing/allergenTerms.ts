import type { AllergenTerm } from "./tableTypes";

/**
 * How allergies name groups of drugs rather than one drug ("Penicillin", "sulfa drugs", "NSAIDs"). An allergy is
 * also matched through the ingredient table itself: an allergy to amoxicillin is an allergy to an ingredient of
 * the penicillin class. SNOMED CT codes were found with these meanings in public FHIR examples and HL7 guides.
 */
export const ALLERGEN_TERMS: AllergenTerm[] = [
  {
    // 91936005 Allergy to penicillin; 764146007 Penicillin (substance); 373270004 penicillin class (substance).
    terms: ["penicillin", "penicillins", "beta lactam", "beta lactams"],
    snomed: ["91936005", "764146007", "373270004"],
    classes: ["penicillin"],
  },
  { terms: ["cephalosporin", "cephalosporins"], classes: ["cephalosporin"] },
  {
    // Sulfonamide antibiotics only: cross-reactivity with non-antibiotic sulfonamides (furosemide, thiazides) is
    // not established, and the table does not flag them.
    terms: ["sulfa", "sulfonamide", "sulfonamides", "sulphonamide", "sulphonamides", "sulfa drugs"],
    classes: ["sulfonamide-antibiotic"],
  },
  {
    terms: ["nsaid", "nsaids", "non steroidal anti inflammatory", "nonsteroidal anti inflammatory"],
    classes: ["nsaid"],
  },
  // 293586001 Allergy to aspirin.
  { terms: [], snomed: ["293586001"], ingredients: ["aspirin"] },
];
