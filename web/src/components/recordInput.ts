import { isFhirResource } from "./fhirFacts";

/**
 * The bytes to encrypt for a record a person is adding: the chosen file as it is, or else the typed text, which must
 * be a FHIR resource (malformed or non-FHIR JSON is refused before anything is encrypted).
 */
export async function recordPlaintext(file: File | undefined, text: string): Promise<Uint8Array> {
  if (file) return new Uint8Array(await file.arrayBuffer());
  const parsed: unknown = JSON.parse(text);
  if (!isFhirResource(parsed)) throw new Error('The text is JSON but not a FHIR resource: it needs a "resourceType".');
  return new TextEncoder().encode(text);
}
