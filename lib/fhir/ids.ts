/** A fresh resource id: a random UUID (Web Crypto, present in browsers and Node 20). */
export function newResourceId(): string {
  return globalThis.crypto.randomUUID();
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Whether `id` is a valid FHIR id (letters, digits, `-`, `.`, at most 64 characters). */
export function isFhirId(id: string): boolean {
  return FHIR_ID.test(id);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `urn:uuid:<id>` when the id is a UUID (how document Bundles name their entries), else a fresh one. */
export function uuidUrnFor(id: string | undefined): string {
  return `urn:uuid:${id !== undefined && UUID.test(id) ? id.toLowerCase() : newResourceId()}`;
}
