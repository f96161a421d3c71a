import { categoriesOf, categoryLabel, WRITE_BIT } from "../../../lib/consent/codes";

/** Small formatting helpers shared by the views. Pure, so they are tested without a browser. */

/** "1 hour", "7 days", "15 min", "90 s": a duration in seconds for people. */
export function formatDuration(seconds: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (seconds % 86_400 === 0 && seconds >= 86_400) return plural(seconds / 86_400, "day");
  if (seconds % 3600 === 0 && seconds >= 3600) return plural(seconds / 3600, "hour");
  if (seconds < 3600) return seconds % 60 === 0 && seconds > 0 ? `${seconds / 60} min` : `${seconds} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** "0x7099…79C8": an address short enough for a list line (the full one goes in a title). */
export function shortAddress(address: string): string {
  return /^0x[0-9a-fA-F]{40}$/.test(address) ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** A date and time in the reader's locale, from an ISO string or unix seconds. */
export function formatWhen(when: string | number, locale?: string): string {
  const date = typeof when === "number" ? new Date(when * 1000) : new Date(when);
  if (Number.isNaN(date.getTime())) return String(when);
  return date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** "Problems & diagnoses, Lab results · may add records": what a scope covers. */
export function scopeText(scope: number): string {
  const categories = categoriesOf(scope).map(categoryLabel).join(", ") || "no category";
  return (scope & WRITE_BIT) !== 0 ? `${categories} · may add records` : categories;
}
