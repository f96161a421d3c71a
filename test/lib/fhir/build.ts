import {
  buildAllergyIntolerance,
  buildCondition,
  buildDetectedIssue,
  buildDocumentReference,
  buildImmunization,
  buildLabResult,
  buildMedicationDispense,
  buildMedicationRequest,
  buildMedicationStatement,
  buildPatient,
  buildPatientSummary,
  type BuildOptions,
  type BuildResult,
} from "../../../lib/fhir";
import { NOW } from "./fixtures";

/** A builder run at the test clock, so recorded dates are fixed; `id` when another resource must refer to this one. */
function atTestClock<F, R>(builder: (form: F, options?: BuildOptions) => BuildResult<R>): (form: F, id?: string) => BuildResult<R> {
  return (form, id) => builder(form, { now: NOW, id });
}

/** Every FHIR form builder, run at {@link NOW}: what each fhir test fills its forms in with. */
export const build = {
  allergyIntolerance: atTestClock(buildAllergyIntolerance),
  condition: atTestClock(buildCondition),
  detectedIssue: atTestClock(buildDetectedIssue),
  documentReference: atTestClock(buildDocumentReference),
  immunization: atTestClock(buildImmunization),
  labResult: atTestClock(buildLabResult),
  medicationDispense: atTestClock(buildMedicationDispense),
  medicationRequest: atTestClock(buildMedicationRequest),
  medicationStatement: atTestClock(buildMedicationStatement),
  patient: atTestClock(buildPatient),
  patientSummary: atTestClock(buildPatientSummary),
};
