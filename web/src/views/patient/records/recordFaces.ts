import type { VaultRecord } from "../../../../../lib/client/gatewayClient";
import { describeResource, type FhirResource } from "../../../../../lib/fhir";
import { describeError } from "../../../api";
import { classifyRecord, formatBytes } from "../../../components/recordContent";

/** What the timeline and the emergency summary know of a record once it is decrypted. */
export interface RecordFace {
  kind: string;
  title: string;
  /** The clinical date the record gives (FHIR date or dateTime), if any. */
  date?: string;
  summary?: string;
  /** The FHIR resource itself, for the emergency summary. */
  resource?: FhirResource;
  /** Why it could not be read (it still shows, by category and date). */
  error?: string;
}

/** What a decrypted record is, for people: a FHIR resource's own description, or the kind of file. */
export function faceOf(plaintext: Uint8Array): RecordFace {
  const content = classifyRecord(plaintext);
  switch (content.kind) {
    case "fhir": {
      const resource = content.bundle ? (JSON.parse(content.json) as FhirResource) : content.resources[0];
      return { ...describeResource(resource), resource };
    }
    case "pdf":
      return { kind: "Document", title: `PDF document (${formatBytes(plaintext.byteLength)})` };
    case "image":
      return { kind: "Image", title: `Image (${formatBytes(plaintext.byteLength)})` };
    default:
      return { kind: "File", title: `File (${formatBytes(plaintext.byteLength)})` };
  }
}

// Decrypted faces for this tab's session only (memory, never storage), keyed by reader and content address: a CID
// names immutable bytes, so a face never goes stale.
const cache = new Map<string, Promise<RecordFace>>();

/** The face of a record, decrypting it once per session. */
export function recordFace(reader: string, record: VaultRecord, open: (record: VaultRecord) => Promise<Uint8Array>): Promise<RecordFace> {
  const key = `${reader.toLowerCase()}|${record.cid}`;
  let face = cache.get(key);
  if (face === undefined) {
    face = open(record).then(faceOf, (err: unknown) => {
      // A failure (the gateway briefly down) is not remembered: the next refresh tries again.
      cache.delete(key);
      return { kind: "Record", title: "Could not be opened", error: describeError(err) };
    });
    cache.set(key, face);
  }
  return face;
}
