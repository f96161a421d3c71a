import { codeProblem, type CodeKind } from "./codeChecks";
import { readDate, type DateInput, type DateRule } from "./dateChecks";
import type { BuildOptions, BuildResult, FieldError } from "./formResult";
import { isFhirId, newResourceId } from "./ids";
import { readParty, readReference, type PartyInput, type ReferenceInput } from "./references";
import type { Reference, ResourceBase } from "./types";

/** A number as a form holds it: a number, or the text of an `<input>`. */
export type NumberInput = number | string | null | undefined;

/** How to speak of a number field, and its bounds. */
export interface NumberRule {
  missing?: string;
  /** The number's name inside a sentence ("the dose"). */
  what: string;
  example: string;
  /** Smallest allowed value; `exclusive` refuses the bound itself (a dose of 0). */
  min?: number;
  exclusive?: boolean;
  max?: number;
  integer?: boolean;
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Reads a form field by field, collecting every problem as a {@link FieldError} instead of stopping at the first,
 * so a form can mark all wrong fields at once. Each reader returns the clean value, or undefined when the field is
 * empty or wrong.
 */
export class FieldChecks {
  readonly errors: FieldError[] = [];
  readonly now: Date;
  readonly id: string;

  constructor(options: BuildOptions = {}) {
    this.now = options.now ?? new Date();
    if (options.id !== undefined && !isFhirId(options.id)) {
      this.fail("id", "The record id may use only letters, digits, “-” and “.”, at most 64 characters.");
    }
    this.id = options.id ?? newResourceId();
  }

  /** Records a problem with a field. */
  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }

  /** Trimmed text; `missing` makes it required. */
  text(field: string, value: unknown, missing?: string, max = 2000): string | undefined {
    if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
      return missing ? this.fail(field, missing) : undefined;
    }
    if (typeof value !== "string") return this.fail(field, missing ?? "Enter text here.");
    const text = value.trim();
    if (text.length > max) return this.fail(field, `This is too long: keep it under ${max} characters.`);
    return text;
  }

  /** One of a fixed set of choices; `message` says what to choose, for a wrong value and, when `required`, a missing one. */
  choice<T extends string>(field: string, value: unknown, allowed: readonly T[], message: string, required = false): T | undefined {
    if (value === undefined || value === null || value === "") return required ? this.fail(field, message) : undefined;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    return this.fail(field, message);
  }

  /** A number from a number or its text ("0,5" reads as 0.5). */
  number(field: string, value: NumberInput, rule: NumberRule): number | undefined {
    if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
      return rule.missing ? this.fail(field, rule.missing) : undefined;
    }
    const text = typeof value === "number" ? String(value) : value.trim().replace(/^(\d+),(\d+)$/, "$1.$2");
    const n = typeof value === "number" ? value : /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(n)) return this.fail(field, `Enter ${rule.what} as a number, for example ${rule.example}.`);
    if (rule.integer && !Number.isInteger(n)) return this.fail(field, `${capitalized(rule.what)} must be a whole number.`);
    if (rule.min !== undefined && (rule.exclusive ? n <= rule.min : n < rule.min))
      return this.fail(field, `${capitalized(rule.what)} must be ${rule.exclusive ? "more than" : "at least"} ${rule.min}.`);
    if (rule.max !== undefined && n > rule.max) return this.fail(field, `${capitalized(rule.what)} must be at most ${rule.max}.`);
    return n;
  }

  /** A FHIR date or dateTime (see `dateChecks.ts`). */
  date(field: string, value: DateInput, rule: DateRule): string | undefined {
    const reading = readDate(value, rule, this.now);
    if (reading.kind === "bad") return this.fail(field, reading.message);
    return reading.kind === "ok" ? reading.value : undefined;
  }

  /**
   * A clinical moment that has happened (onset, vaccination, sample, hand-over): a date or date-time, never in the
   * future. One rule for every builder, so a record's "when" reads the same way in every form.
   */
  pastTime(field: string, value: DateInput, what: string, missing?: string): string | undefined {
    return this.date(field, value, { missing, what, time: true, past: true });
  }

  /** A code of a given system, checked for shape and check digit; empty is allowed unless `missing`. */
  code(field: string, value: unknown, kind: CodeKind, missing?: string): string | undefined {
    const code = this.text(field, value, missing, 64);
    if (code === undefined) return undefined;
    const problem = codeProblem(kind, code);
    return problem ? this.fail(field, problem) : code;
  }

  /** A person or organization as a Reference; `missing` makes it required. */
  party(field: string, value: PartyInput | undefined, who: string, missing?: string): Reference | undefined {
    const reading = readParty(value, who);
    if (reading.kind === "bad") return this.fail(field, reading.message);
    if (reading.kind === "absent") return missing ? this.fail(field, missing) : undefined;
    return reading.value;
  }

  /** Whom the record is about, read from the form's `patient` field; `false` makes it optional. */
  patient(value: PartyInput | undefined, missing: string | false = "Choose whom this record is about."): Reference | undefined {
    return this.party("patient", value, "the patient", missing || undefined);
  }

  /** A reference to another record; `missing` makes it required. */
  reference(field: string, value: ReferenceInput | undefined, what: string, missing?: string): Reference | undefined {
    const reading = readReference(value, what);
    if (reading.kind === "bad") return this.fail(field, reading.message);
    if (reading.kind === "absent") return missing ? this.fail(field, missing) : undefined;
    return reading.value;
  }

  /**
   * The resource when no field failed, else every error: `resourceType` and this form's `id` first, then the
   * fields, with empty elements dropped (the skeleton every builder shares).
   */
  resource<T extends ResourceBase>(resourceType: T["resourceType"], fields: () => Omit<T, "resourceType" | "id">): BuildResult<T> {
    return this.result(() => compact({ resourceType, id: this.id, ...fields() } as T));
  }

  /** The resource built by `build` when no field failed, else every error. */
  result<T>(build: () => T): BuildResult<T> {
    return this.errors.length > 0 ? { ok: false, errors: [...this.errors] } : { ok: true, resource: build() };
  }
}

/** Drops keys whose value is undefined, so built JSON carries no empty elements (FHIR forbids `null` and `{}`). */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
