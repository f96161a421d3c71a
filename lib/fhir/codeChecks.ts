/**
 * Format and check-digit tests for the clinical codes a form may carry, so a mistyped code is caught at the form
 * instead of travelling into a record. Hand-written because the two check-digit schemes are a few lines each and
 * no installed library implements them.
 */

/** The code systems a form field may hold. */
export type CodeKind = "snomed" | "rxnorm" | "loinc" | "cvx";

// Verhoeff's check digit (SNOMED CT specifies it for its identifiers) works in the dihedral group D5, the symmetries of
// a pentagon: digits 0-4 are its rotations, 5-9 its reflections. Both of the scheme's tables follow from that
// definition, so they are derived here rather than copied as 180 numbers that a typo could silently break.

/** The product of two D5 elements (the scheme's multiplication table `d`). */
function d5(j: number, k: number): number {
  const mod5 = (n: number): number => ((n % 5) + 5) % 5;
  return j < 5 ? mod5(j + k) + (k < 5 ? 0 : 5) : mod5(j - k) + (k < 5 ? 5 : 0);
}

/** The permutation applied to a digit at each position from the right; position i applies it i times (period 8). */
const VERHOEFF_STEP = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
const VERHOEFF_P: number[][] = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]];
for (let i = 1; i < 8; i++) VERHOEFF_P.push(VERHOEFF_STEP.map((n) => VERHOEFF_P[i - 1][n]));

/** Whether a digit string ends in a correct Verhoeff check digit (SNOMED CT identifiers do). */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) c = d5(c, VERHOEFF_P[i % 8][Number(digits[digits.length - 1 - i])]);
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
