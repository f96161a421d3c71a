import type { Narrative } from "./types";

/** Text made safe for FHIR's XHTML narrative (the five XML special characters escaped). */
export function escapeXhtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A generated narrative: a bulleted list of lines, or one paragraph when there are none. */
export function listNarrative(lines: readonly string[], whenEmpty: string): Narrative {
  const body =
    lines.length > 0 ? `<ul>${lines.map((l) => `<li>${escapeXhtml(l)}</li>`).join("")}</ul>` : `<p>${escapeXhtml(whenEmpty)}</p>`;
  return { status: "generated", div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` };
}
