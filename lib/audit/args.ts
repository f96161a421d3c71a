import { getAddress, isAddress } from "ethers";
import { AuditError } from "./errors";

/** Latest time a JavaScript Date (and so an ISO string) can hold, in unix seconds. */
const MAX_DATE_SECONDS = 8.64e12;
/** 10000-01-01T00:00:00Z: FHIR dateTimes stop at year 9999. */
const YEAR_10000 = 253_402_300_800;

/**
 * ISO 8601 UTC time of unix seconds, whole seconds (`2026-11-25T15:26:23Z`). Expiries far in the future (a patient
 * may grant "forever" as uint64 max) have no calendar date: they print as `unix:<seconds>`.
 */
export function isoTime(seconds: number): string {
  // Events of one block share a time and grants share expiries; exports format them once per row: remember them.
  let iso = ISO_CACHE.get(seconds);
  if (iso === undefined) {
    iso =
      !Number.isFinite(seconds) || Math.abs(seconds) > MAX_DATE_SECONDS
        ? `unix:${seconds}`
        : new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
    if (ISO_CACHE.size >= 4096) ISO_CACHE.clear();
    ISO_CACHE.set(seconds, iso);
  }
  return iso;
}

const ISO_CACHE = new Map<number, string>();

/** The ISO time when it is a valid FHIR dateTime (year ≤ 9999), else undefined (an open-ended period). */
export function fhirTime(seconds: number): string | undefined {
  return seconds >= 0 && seconds < YEAR_10000 ? isoTime(seconds) : undefined;
}

/**
 * Parses an address argument, accepting any letter case but refusing a mixed-case spelling with a wrong EIP-55
 * checksum (almost always a typo). Returns the checksummed address.
 *
 * @throws AuditError BAD_ADDRESS naming the option and the value
 */
export function parseAddressArg(value: string, option: string): string {
  const text = value.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new AuditError(
      "BAD_ADDRESS",
      `${option} ${JSON.stringify(value)} is not an Ethereum address (expected 0x followed by 40 hex digits).`,
    );
  }
  if (!isAddress(text)) {
    throw new AuditError("BAD_ADDRESS", `${option} ${value} has a wrong EIP-55 checksum; check it for typos or write it in lower case.`);
  }
  return getAddress(text);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a date into unix seconds: `YYYY-MM-DD` (UTC; with `endOfDay` the first second of the next day, so a `to` of
 * 2026-03-31 includes all of March 31st) or a full ISO 8601 date-time with a zone (`Z` or `±hh:mm`). The one reading
 * of a date shared by the CLI's --from/--to and the audit API's from/to. Returns what is wrong with it otherwise
 * (phrased to follow the name of the option or field).
 */
export function readDate(text: string, endOfDay = false): { seconds: number } | { problem: string; quoted: boolean } {
  const dateOnly = DATE_ONLY.exec(text);
  const dateTime = DATE_TIME.exec(text);
  if (dateOnly === null && dateTime === null) {
    return {
      problem: "is not a date: use YYYY-MM-DD (UTC) or an ISO 8601 date-time such as 2026-03-31T14:00:00Z.",
      quoted: true,
    };
  }
  const [, y, m, d] = (dateOnly ?? dateTime)!;
  const probe = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (probe.getUTCFullYear() !== Number(y) || probe.getUTCMonth() !== Number(m) - 1 || probe.getUTCDate() !== Number(d)) {
    return { problem: "is not a calendar date.", quoted: false };
  }
  if (dateTime !== null && (Number(dateTime[4]) > 23 || Number(dateTime[5]) > 59 || Number(dateTime[6] ?? 0) > 59)) {
    return { problem: "is not a valid time of day.", quoted: false };
  }
  const ms = Date.parse(dateOnly !== null ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) return { problem: "is not a date.", quoted: false };
  return { seconds: Math.floor(ms / 1000) + (dateOnly !== null && endOfDay ? 86_400 : 0) };
}

/**
 * Parses a date argument into unix seconds (see readDate).
 *
 * @throws AuditError BAD_DATE naming the option and the value
 */
export function parseDateArg(value: string, option: string, endOfDay = false): number {
  const read = readDate(value.trim(), endOfDay);
  if ("seconds" in read) return read.seconds;
  throw new AuditError("BAD_DATE", `${option} ${read.quoted ? JSON.stringify(value) : value} ${read.problem}`);
}

/**
 * What is wrong with a range that ends at or before it starts, phrased to follow the name of its end
 * (`(2020-01-02T00:00:00Z) must be after --from (…)`), or undefined when nothing is.
 */
export function rangeProblem(from: number | undefined, to: number | undefined, fromName = "--from"): string | undefined {
  if (from !== undefined && to !== undefined && to <= from) return `(${isoTime(to)}) must be after ${fromName} (${isoTime(from)}).`;
  return undefined;
}

/** Checks that a range does not end before it starts. */
export function checkRange(from: number | undefined, to: number | undefined): void {
  const problem = rangeProblem(from, to);
  if (problem !== undefined) throw new AuditError("BAD_DATE", `--to ${problem}`);
}
