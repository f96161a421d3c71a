import { isFhirResource } from "./resource";

/** One item of an imported file, numbered from 1 as people count. */
export interface FileEntry {
  /** Position in the file: bundle entry, array element or NDJSON line. */
  number: number;
  fullUrl?: string;
  resource: unknown;
  /** A transaction entry's instruction (`DELETE Patient/1`), shown when it carries no resource. */
  request?: string;
}

/** A file read as FHIR: its shape, entries, and problems with individual entries — or why it is not FHIR at all. */
export type ParsedFhirFile =
  | { ok: true; shape: "bundle" | "resource" | "list" | "ndjson"; bundleType?: string; entries: FileEntry[]; problems: string[] }
  | { ok: false; problem: string };

const EXPORT_ADVICE = "Export your records from the other portal as FHIR JSON (a Bundle or a single resource) and import that file.";

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Why a file that is not JSON is not FHIR, in words (the parser's own message never reaches people). */
function notJson(text: string): string {
  if (text.startsWith("%PDF")) return "This is a PDF document, not a FHIR file: add it as a document instead.";
  const head = text.slice(0, 1024);
  // NUL, other C0 controls that never occur in JSON text, or U+FFFD (bytes a UTF-8 decoder could not read).
  if ([...head].some((ch) => ch.charCodeAt(0) < 9 || ch === "\uFFFD"))
    return `This file is not a FHIR file: it is not text. ${EXPORT_ADVICE}`;
  if (text.startsWith("<")) return `This file is XML or a web page, not a FHIR JSON file. ${EXPORT_ADVICE}`;
  return `This file is not a FHIR file: FHIR files are JSON text, and this one could not be read as JSON. ${EXPORT_ADVICE}`;
}

/** Newline-delimited JSON, one resource a line (FHIR Bulk Data exports), when the first line is a resource. */
function asNdjson(text: string): ParsedFhirFile | undefined {
  const lines = text.split(/\r?\n/);
  const firstLine = lines.findIndex((l) => l.trim() !== "");
  const first = firstLine < 0 ? undefined : tryJson(lines[firstLine]);
  if (!first?.ok || !isFhirResource(first.value)) return undefined;
  const entries: FileEntry[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const parsed = tryJson(line);
    if (parsed.ok) entries.push({ number: i + 1, resource: parsed.value });
    else problems.push(`Line ${i + 1} could not be read as JSON, so it was skipped.`);
  });
  return { ok: true, shape: "ndjson", entries, problems };
}

/**
 * Reads the text of a file someone wants to import as FHIR: a Bundle of any type, a single resource, a JSON array
 * of resources, or NDJSON. Never throws; every refusal is a sentence that says what to do.
 */
export function parseFhirText(input: string): ParsedFhirFile {
  const text = input.replace(/^\uFEFF/, "").trim();
  if (text === "") return { ok: false, problem: "The file is empty." };
  const parsed = tryJson(text);
  if (!parsed.ok) return asNdjson(text) ?? { ok: false, problem: notJson(text) };
  const value = parsed.value;
  if (Array.isArray(value)) {
    if (!value.some(isFhirResource))
      return { ok: false, problem: `This file is JSON but not a FHIR file: it holds no FHIR resources. ${EXPORT_ADVICE}` };
    return { ok: true, shape: "list", entries: value.map((resource, i) => ({ number: i + 1, resource })), problems: [] };
  }
  if (!isFhirResource(value))
    return { ok: false, problem: `This file is JSON but not a FHIR file: it has no “resourceType”. ${EXPORT_ADVICE}` };
  if (value.resourceType !== "Bundle") return { ok: true, shape: "resource", entries: [{ number: 1, resource: value }], problems: [] };
  const raw = Array.isArray(value.entry) ? (value.entry as unknown[]) : [];
  if (raw.length === 0) return { ok: false, problem: "This FHIR Bundle is empty: there is nothing to import." };
  const entries = raw.map((e, i): FileEntry => {
    const entry = (typeof e === "object" && e !== null ? e : {}) as {
      fullUrl?: unknown;
      resource?: unknown;
      request?: { method?: unknown; url?: unknown };
    };
    const request =
      entry.request && typeof entry.request.method === "string"
        ? `${entry.request.method} ${String(entry.request.url ?? "")}`.trim()
        : undefined;
    return {
      number: i + 1,
      fullUrl: typeof entry.fullUrl === "string" ? entry.fullUrl : undefined,
      resource: entry.resource,
      request,
    };
  });
  return { ok: true, shape: "bundle", bundleType: typeof value.type === "string" ? value.type : undefined, entries, problems: [] };
}
