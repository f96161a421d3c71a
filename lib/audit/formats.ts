/** Output formats of an audit export. */
export const AUDIT_FORMATS = ["csv", "json", "ndjson", "fhir", "accounting-csv", "accounting-html"] as const;

/** One of {@link AUDIT_FORMATS}. */
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** The media type each format is served as (the gateway's `Content-Type`; the API document lists them all). */
export const AUDIT_MEDIA_TYPES: Record<AuditFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json",
  ndjson: "application/x-ndjson",
  fhir: "application/fhir+json",
  "accounting-csv": "text/csv; charset=utf-8",
  "accounting-html": "text/html; charset=utf-8",
};
