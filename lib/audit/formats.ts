/** Output formats of an audit export. */
export const AUDIT_FORMATS = ["csv", "json", "ndjson", "fhir", "accounting-csv", "accounting-html"] as const;

/** One of {@link AUDIT_FORMATS}. */
export type AuditFormat = (typeof AUDIT_FORMATS)[number];
