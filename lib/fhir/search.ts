import { categoryLabel } from "../consent/codes";
import { earliestInstant, readDate } from "./dateChecks";
import type { FieldError } from "./formResult";

/** The searchable face of a record on a timeline: its category and, once opened or described, its description. */
export interface TimelineItem {
  category: number;
  title?: string;
  kind?: string;
  summary?: string;
  /** Author by name (or address when the name is unknown). */
  author?: string;
  /** FHIR date or dateTime, or an ISO timestamp (e.g. when the record was added). */
  date?: string;
}

/** What a person searches by; every part is optional and all given parts must match. */
export interface TimelineFilter {
  /** Words that must all appear (any order, any case, accents ignored) in title, kind, summary, author or category. */
  text?: string;
  categories?: readonly number[];
  /** Exact author (any case), as offered by {@link authorsOf}. */
  author?: string;
  /** First day to include (YYYY-MM-DD). */
  from?: string;
  /** Last day to include (YYYY-MM-DD). */
  to?: string;
}

function folded(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The span of days a (possibly partial) date covers, as YYYY-MM-DD bounds: "2019" covers 2019-01-01…2019-12-31. */
function daySpan(date: string): [string, string] | undefined {
  const day = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date);
  if (!day) return undefined;
  const [, y, m, d] = day;
  if (d) return [`${y}-${m}-${d}`, `${y}-${m}-${d}`];
  if (m) return [`${y}-${m}-01`, `${y}-${m}-31`];
  return [`${y}-01-01`, `${y}-12-31`];
}

/** Problems with a filter's dates, for the search form: not a date, or the range ends before it starts. */
export function checkTimelineFilter(filter: TimelineFilter): FieldError[] {
  const errors: FieldError[] = [];
  const now = new Date();
  for (const [field, what] of [
    ["from", "the first date to show"],
    ["to", "the last date to show"],
  ] as const) {
    const reading = readDate(filter[field], { what }, now);
    if (reading.kind === "bad") errors.push({ field, message: reading.message });
  }
  if (errors.length === 0 && filter.from && filter.to && filter.from > filter.to)
    errors.push({ field: "to", message: "The last date to show is before the first one." });
  return errors;
}

/**
 * The items matching a filter, in their given order. A date range compares days as written in the record (a
 * partial date matches when its span overlaps); undated items are left out once a range is set.
 */
export function filterTimeline<T extends TimelineItem>(items: readonly T[], filter: TimelineFilter): T[] {
  const words = folded(filter.text ?? "")
    .split(/\s+/)
    .filter(Boolean);
  const categories = filter.categories && filter.categories.length > 0 ? new Set(filter.categories) : undefined;
  const author = filter.author ? folded(filter.author.trim()) : undefined;
  const from = filter.from ? daySpan(filter.from)?.[0] : undefined;
  const to = filter.to ? daySpan(filter.to)?.[1] : undefined;
  return items.filter((item) => {
    if (categories && !categories.has(item.category)) return false;
    if (author !== undefined && folded(item.author ?? "") !== author) return false;
    if (from !== undefined || to !== undefined) {
      const span = item.date ? daySpan(item.date) : undefined;
      if (!span) return false;
      if (from !== undefined && span[1] < from) return false;
      if (to !== undefined && span[0] > to) return false;
    }
    if (words.length > 0) {
      const haystack = folded([item.title, item.kind, item.summary, item.author, categoryLabel(item.category)].filter(Boolean).join(" "));
      if (!words.every((w) => haystack.includes(w))) return false;
    }
    return true;
  });
}

/** Items newest first by date (undated last; ties keep their order). */
export function newestFirst<T extends { date?: string }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => [item, i] as const)
    .sort(([a, i], [b, j]) => {
      const ta = a.date ? earliestInstant(a.date) : NaN;
      const tb = b.date ? earliestInstant(b.date) : NaN;
      if (Number.isNaN(ta) || Number.isNaN(tb)) return Number.isNaN(ta) ? (Number.isNaN(tb) ? i - j : 1) : -1;
      return tb - ta || i - j;
    })
    .map(([item]) => item);
}

/** The distinct authors of some items, sorted, for an author filter's choices. */
export function authorsOf(items: readonly TimelineItem[]): string[] {
  return [...new Set(items.map((i) => i.author).filter((a): a is string => !!a))].sort((a, b) => a.localeCompare(b));
}
