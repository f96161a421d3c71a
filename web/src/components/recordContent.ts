import { isFhirResource, resourcesOf, type FhirResource } from "./fhirFacts";

/** What a decrypted record turned out to be, judged from its bytes (records carry no content type of their own). */
export type RecordContentKind =
  | { kind: "fhir"; resources: FhirResource[]; bundle: boolean; json: string }
  | { kind: "pdf"; mime: "application/pdf" }
  | { kind: "image"; mime: string }
  | { kind: "json"; json: string }
  | { kind: "text"; text: string }
  | { kind: "binary" };

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((b, i) => bytes[at + i] === b);
}

/** The image MIME type of well-known magic numbers (PNG, JPEG, GIF, WebP), if any. */
export function imageMime(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return "image/gif";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return undefined;
}

/**
 * Sorts a record's plaintext into FHIR JSON (shown as cards), a PDF (offered as a download), an image (shown),
 * other JSON or text (shown as text on request), or opaque bytes.
 */
export function classifyRecord(bytes: Uint8Array): RecordContentKind {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { kind: "pdf", mime: "application/pdf" }; // "%PDF-"
  const mime = imageMime(bytes);
  if (mime !== undefined) return { kind: "image", mime };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { kind: "binary" };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isFhirResource(parsed))
      return { kind: "fhir", resources: resourcesOf(parsed), bundle: parsed.resourceType === "Bundle", json: text };
    return { kind: "json", json: text };
  } catch {
    return { kind: "text", text };
  }
}

/** "12.3 KB": a byte count for people. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
