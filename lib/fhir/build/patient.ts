import { GENDERS, keysOf, type Gender } from "../choices";
import type { DateInput } from "../dateChecks";
import { FieldChecks } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import type { Patient } from "../types";

/** A person's demographics as a form collects them. */
export interface PatientForm {
  /** The name as the person writes it ("Jane Doe"); not split into parts, since name order varies by culture. */
  name: string;
  birthDate?: DateInput;
  gender?: Gender;
  /** The person's wallet address, kept as an identifier so the record ties to the ledger account. */
  address?: string;
}

/** Builds a FHIR R4 Patient from a form, or says what to fix. */
export function buildPatient(form: PatientForm, options?: BuildOptions): BuildResult<Patient> {
  const c = new FieldChecks(options);
  const name = c.text("name", form.name, "Enter the person’s name.", 200);
  const birthDate = c.date("birthDate", form.birthDate, { what: "the date of birth", past: true });
  const gender = c.choice("gender", form.gender, keysOf(GENDERS), "Choose a gender, or “Prefer not to say”.");
  const identity = c.party("address", form.address === undefined ? undefined : { address: form.address }, "the person");
  return c.resource<Patient>("Patient", () => ({
    identifier: identity?.identifier ? [identity.identifier] : undefined,
    name: [{ text: name! }],
    gender,
    birthDate,
  }));
}
