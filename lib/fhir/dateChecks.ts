/**
 * Dates from forms → FHIR `date` / `dateTime` text. Accepts what date pickers give (`2019-04-02`), partial dates
 * people remember (`2019`, `2019-04`), date-times with a time zone, and `Date` objects (a browser's
 * `datetime-local` value read with `new Date(value)` carries the person's zone). Explains every refusal in words.
 */

/** A date as a form holds it. */
export type DateInput = string | Date | null | undefined;

/** What to call a date field in messages, and what it allows. */
export interface DateRule {
  /** The sentence for a missing required date ("Enter the date the condition started"); omit when optional. */
  missing?: string;
  /** The date's name inside a sentence ("the date the condition started"). */
  what: string;
  /** Whether a time of day is allowed (FHIR dateTime) or only a date (FHIR date). */
  time?: boolean;
  /** Whether a date after `now` is refused. */
  past?: boolean;
}

/** Outcome of reading a date: absent, the FHIR text, or a message. */
export type DateReading = { kind: "absent" } | { kind: "ok"; value: string } | { kind: "bad"; message: string };

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
// A date typed where the person lives may be "tomorrow" in UTC: the furthest zone ahead is UTC+14.
const ZONE_SLACK_MS = 14 * 3600 * 1000;

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function realDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The first instant a FHIR date or dateTime can mean (its start), in milliseconds since the epoch. */
export function earliestInstant(value: string): number {
  const m = DATE.exec(value);
  if (m) return Date.UTC(Number(m[1]), Number(m[2] ?? "1") - 1, Number(m[3] ?? "1"));
  return Date.parse(value);
}

/** Reads a form date under a rule. Never throws. */
export function readDate(input: DateInput, rule: DateRule, now: Date): DateReading {
  const example = rule.time ? "2026-01-20, or a date and time with its time zone" : "2019-04-02";
  let value: string;
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return { kind: "bad", message: `Enter ${rule.what} as a date like ${example}.` };
    value = rule.time ? input.toISOString() : input.toISOString().slice(0, 10);
  } else if (typeof input === "string" && input.trim() !== "") {
    value = input.trim();
    const date = DATE.exec(value);
    const dateTime = DATE_TIME.exec(value);
    if (date) {
      const [, y, mo, d] = date;
      if (Number(y) < 1900) return { kind: "bad", message: `${capitalized(rule.what)} is before 1900: check the year.` };
      if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12))
        return { kind: "bad", message: `${value} is not a real date: check the month of ${rule.what}.` };
      if (d !== undefined && !realDay(Number(y), Number(mo), Number(d)))
        return { kind: "bad", message: `${value} is not a real date: check the day and month of ${rule.what}.` };
    } else if (dateTime) {
      if (!rule.time) return { kind: "bad", message: `Enter only the day for ${rule.what}, like ${example}, without a time.` };
      const [, y, mo, d, h, mi, s, fraction, zone] = dateTime;
      if (!realDay(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? "0") > 59)
        return { kind: "bad", message: `${value} is not a real date and time: check ${rule.what}.` };
      if (zone === undefined)
        return { kind: "bad", message: `Add the time zone to ${rule.what} (for example 08:30+01:00), or enter the date only.` };
      // FHIR's dateTime requires seconds once a time is given.
      value = `${y}-${mo}-${d}T${h}:${mi}:${s ?? "00"}${fraction ?? ""}${zone}`;
    } else {
      return { kind: "bad", message: `Enter ${rule.what} as a date like ${example}.` };
    }
  } else if (input === undefined || input === null || input === "" || (typeof input === "string" && input.trim() === "")) {
    return rule.missing ? { kind: "bad", message: rule.missing } : { kind: "absent" };
  } else {
    return { kind: "bad", message: `Enter ${rule.what} as a date like ${example}.` };
  }
  if (rule.past && earliestInstant(value) > now.getTime() + ZONE_SLACK_MS)
    return { kind: "bad", message: `${capitalized(rule.what)} is in the future: check the date.` };
  return { kind: "ok", value };
}

/** `now` as a FHIR instant/dateTime in UTC, to the second. */
export function instantOf(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}
