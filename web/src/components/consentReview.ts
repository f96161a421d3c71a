import { categoriesOf, categoryLabel, purposeLabel, scopeCanWrite } from "../../../lib/consent/codes";
import type { GrantView } from "../../../lib/client/gatewayClient";
import { formatDuration, formatWhen } from "./format";

/** The terms a patient is about to sign, in words: what the review step shows before any signature. */
export interface TermsInWords {
  categories: string[];
  write: boolean;
  purpose: string;
  /** "28 Nov 2026, 15:03 (1 hour from now)". */
  until: string;
}

/** A scope, purpose and end (unix seconds) as words; `now` is chain time, for the "from now" part. */
export function termsInWords(scope: number, purpose: number, expiresAt: number, now: number): TermsInWords {
  return {
    categories: categoriesOf(scope).map(categoryLabel),
    write: scopeCanWrite(scope),
    purpose: purposeLabel(purpose),
    until: `${formatWhen(expiresAt)} (${formatDuration(Math.max(0, expiresAt - now))} from now)`,
  };
}

/** How signing new terms changes a live grant the provider already holds (a grant replaces it, never adds to it). */
export interface GrantChange {
  scopeBefore: string;
  scopeAfter: string;
  endBefore: string;
  endAfter: string;
  /** Categories the provider holds now and would lose. */
  lost: string[];
}

function scopeWords(scope: number): string {
  const words = categoriesOf(scope).map(categoryLabel).join(", ") || "no category";
  return scopeCanWrite(scope) ? `${words}, and may add records` : words;
}

/** The before → after of replacing `held` with (scope, expiresAt); undefined when there is no live grant to replace. */
export function grantChange(held: GrantView | undefined, scope: number, expiresAt: number): GrantChange | undefined {
  if (held === undefined || !held.live) return undefined;
  const after = new Set(categoriesOf(scope));
  return {
    scopeBefore: scopeWords(held.scope),
    scopeAfter: scopeWords(scope),
    endBefore: formatWhen(held.expiresAt),
    endAfter: formatWhen(expiresAt),
    lost: categoriesOf(held.scope)
      .filter((c) => !after.has(c))
      .map(categoryLabel),
  };
}
