/** One problem with a form's input, in words a patient or clinician can act on, tied to the field to highlight. */
export interface FieldError {
  /** The input field (key of the form object, dotted for nested lists: `implicated.1`). */
  field: string;
  /** A sentence that says what to do: "Enter the date the condition started". */
  message: string;
}

/** What a builder returns: the resource, or every problem found (all fields are checked, not only the first). */
export type BuildResult<T> = { ok: true; resource: T } | { ok: false; errors: FieldError[] };

/** Options every builder takes. */
export interface BuildOptions {
  /** The resource id; a random UUID when omitted. Give one when another resource must refer to this one. */
  id?: string;
  /** The clock: recorded dates default to it and dates after it are refused. Defaults to the current time. */
  now?: Date;
}

/** Thrown by {@link unwrap} when a form did not build: carries the field errors. Stable code `INVALID_FORM`. */
export class FhirFormError extends Error {
  readonly code = "INVALID_FORM";
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.map((e) => e.message).join(" "));
    this.name = "FhirFormError";
  }
}

/** The built resource, or a thrown {@link FhirFormError}: for callers that are not forms (scripts, tests, seeding). */
export function unwrap<T>(result: BuildResult<T>): T {
  if (!result.ok) throw new FhirFormError(result.errors);
  return result.resource;
}
