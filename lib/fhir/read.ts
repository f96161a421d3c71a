/**
 * Total readers of FHIR data types: each takes whatever the JSON holds and returns readable text or undefined,
 * never throws, so cards, timelines and the triage view survive resources written by other systems.
 */

interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
interface CodeableConcept {
  text?: string;
  coding?: Coding[];
}
interface Quantity {
  value?: number;
  unit?: string;
  code?: string;
}

/** The readable text of a CodeableConcept: its text, else the first display, else the first code. */
export function conceptText(c: unknown): string | undefined {
  const concept = c as CodeableConcept | undefined;
  if (concept === undefined || concept === null || typeof concept !== "object") return undefined;
  const codings = Array.isArray(concept.coding) ? concept.coding : [];
  return str(concept.text) ?? str(codings.find((x) => x?.display)?.display) ?? str(codings[0]?.code);
}

/** The code of the first coding of a CodeableConcept in `system` (any system when omitted). */
export function codeIn(c: unknown, system?: string): string | undefined {
  const codings = (c as CodeableConcept | undefined)?.coding;
  if (!Array.isArray(codings)) return undefined;
  return str(codings.find((x) => x && (system === undefined || x.system === system))?.code);
}

/** "7.2 mmol/L": a Quantity's value and unit (UCUM code when there is no unit text). */
export function quantityText(q: unknown): string | undefined {
  const v = q as Quantity | undefined;
  if (v === undefined || v === null || typeof v.value !== "number") return undefined;
  const unit = v.unit ?? v.code;
  return unit ? `${v.value} ${unit}` : String(v.value);
}

/** "4 % – 5.6 %": a Range, or the text of a reference range. */
export function rangeText(r: unknown): string | undefined {
  const range = r as { low?: Quantity; high?: Quantity; text?: string } | undefined;
  if (range === undefined || range === null) return undefined;
  if (range.text) return range.text;
  const low = quantityText(range.low);
  const high = quantityText(range.high);
  if (low && high) return `${low} – ${high}`;
  if (low) return `≥ ${low}`;
  if (high) return `≤ ${high}`;
  return undefined;
}

/**
 * A FHIR date or dateTime for people, without depending on the reader's locale: dates stay "2019-04-02",
 * date-times become "2026-01-20 08:30 UTC". Anything else is returned as given.
 */
export function fhirDate(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return v;
  const t = new Date(v);
  if (Number.isNaN(t.getTime())) return v;
  return t.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** A primitive (string, number, boolean) as text; anything else is undefined. Empty strings count as absent. */
export function str(v: unknown): string | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  return typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

/** The first element of an array, or undefined for anything else. */
export function first<T>(v: unknown): T | undefined {
  return Array.isArray(v) ? (v[0] as T) : undefined;
}

/** "Jane Doe": a HumanName's text, else its given names and family name. */
export function humanName(n: unknown): string | undefined {
  const name = n as { text?: string; given?: string[]; family?: string } | undefined;
  if (name === undefined || name === null || typeof name !== "object") return undefined;
  return (
    str(name.text) ??
    ([...(Array.isArray(name.given) ? name.given : []), name.family].filter((p) => typeof p === "string" && p).join(" ") || undefined)
  );
}

/** The display text of a Reference ({ display }), or undefined. */
export function referenceDisplay(r: unknown): string | undefined {
  return r !== null && typeof r === "object" ? str((r as { display?: unknown }).display) : undefined;
}
