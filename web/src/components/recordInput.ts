import { parseFhirText } from "../../../lib/fhir/parseFhirText";

/**
 * The bytes to encrypt for a record a person is adding: the chosen file as it is, or else the typed text, which must
 * be one FHIR resource or Bundle. Anything else is refused in words before anything is encrypted (the JSON parser's
 * own message never reaches people).
 */
export async function recordPlaintext(file: File | undefined, text: string): Promise<Uint8Array> {
  if (file) return new Uint8Array(await file.arrayBuffer());
  const parsed = parseFhirText(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  if (parsed.shape !== "resource" && parsed.shape !== "bundle")
    throw new Error("Paste one FHIR resource or one Bundle here; to add a list of records, import it as a file instead.");
  return new TextEncoder().encode(text);
}
