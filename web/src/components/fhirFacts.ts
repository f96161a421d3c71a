/**
 * What a clinician reads on a FHIR R4 resource. The pure reading now lives in the isomorphic library
 * (`lib/fhir`), shared with the record forms, the import and the emergency summary; this re-export keeps the
 * web's imports as they were.
 */
export { conceptText, factsOf, fhirDate, headlineOf, isFhirResource, quantityText, resourcesOf } from "../../../lib/fhir";
export type { Fact, FhirResource } from "../../../lib/fhir";
