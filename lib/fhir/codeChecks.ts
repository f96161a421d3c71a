/**
 * Format and check-digit tests for the clinical codes a form may carry, so a mistyped code is caught at the form
 * instead of travelling into a record. Hand-written because the two check-digit schemes are a few lines each and
 * no installed library implements them.
 */

/** The code systems a form field may hold. */
export type CodeKind = "snomed" | "rxnorm" | "loinc" | "cvx";

// Verhoeff's dihedral-group tables, as SNOMED CT specifies for the check digit of its identifiers.
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Whether a digit string ends in a correct Verhoeff check digit (SNOMED CT identifiers do). */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) c = VERHOEFF_D[c][VERHOEFF_P[i % 8][Number(digits[digits.length - 1 - i])]];
  return c === 0;
}

/** Whether a LOINC code's digit after the hyphen is its mod-10 check digit (LOINC's published algorithm). */
export function loincCheckValid(code: string): boolean {
  const [body, check] = code.split("-");
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    // From the right, the first, third, … digits are doubled (and a two-digit product contributes both digits).
    const digit = Number(body[body.length - 1 - i]);
    const value = i % 2 === 0 ? digit * 2 : digit;
    sum += value > 9 ? value - 9 : value;
  }
  return (10 - (sum % 10)) % 10 === Number(check);
}

const NAMES: Record<CodeKind, { name: string; example: string; shape: RegExp; shapeHelp: string }> = {
  snomed: { name: "SNOMED CT", example: "195967001", shape: /^[1-9]\d{5,17}$/, shapeHelp: "6 to 18 digits" },
  rxnorm: { name: "RxNorm", example: "723", shape: /^[1-9]\d{0,7}$/, shapeHelp: "a number of up to 8 digits" },
  loinc: { name: "LOINC", example: "4548-4", shape: /^\d{1,7}-\d$/, shapeHelp: "digits, a hyphen and one check digit" },
  cvx: { name: "CVX", example: "140", shape: /^\d{1,3}$/, shapeHelp: "1 to 3 digits" },
};

/** Why `code` is not a well-formed code of `kind`, in words, or undefined when it is. */
export function codeProblem(kind: CodeKind, code: string): string | undefined {
  const { name, example, shape, shapeHelp } = NAMES[kind];
  if (!shape.test(code)) return `A ${name} code is ${shapeHelp}, for example ${example}. Check it, or leave the code empty.`;
  if (kind === "snomed" && !verhoeffValid(code))
    return `${code} is not a valid SNOMED CT code (its last digit does not match): check it for a typo, or leave the code empty.`;
  if (kind === "loinc" && !loincCheckValid(code))
    return `${code} is not a valid LOINC code (the digit after the hyphen does not match): check it for a typo, or leave the code empty.`;
  return undefined;
}
