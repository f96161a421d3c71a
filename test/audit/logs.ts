import { GENESIS_HASH, entryHash, type DisclosureEntry, type DisclosureFacts } from "../../lib/disclosure";

/** A well-formed hash-chained log in memory, with the entry times the test chooses (the gateway's writer stamps the wall clock). */
export function buildLog(items: ReadonlyArray<DisclosureFacts & { time: string }>): DisclosureEntry[] {
  const entries: DisclosureEntry[] = [];
  for (const item of items) {
    const body = { seq: entries.length, ...item, prevHash: entries.at(-1)?.hash ?? GENESIS_HASH };
    entries.push({ ...body, hash: entryHash(body) });
  }
  return entries;
}

/** ISO time `seconds` after `base` (unix seconds). */
export function at(base: number, seconds: number): string {
  return new Date((base + seconds) * 1000).toISOString();
}
