import { useState } from "react";
import type { DisclosureEntry } from "../../../../lib/disclosure/entries";
import { disclosureRow } from "../../components/disclosureRows";
import { formatWhen } from "../../components/format";
import type { Directory } from "../../components/names";

/** "Who saw what, when": the disclosure log of the patient's records, emergency accesses on top, then newest first. */
export function DisclosuresPanel({ disclosures, dir }: { disclosures: readonly DisclosureEntry[]; dir: Directory }) {
  const [includeOwn, setIncludeOwn] = useState(false);
  const rows = disclosures
    .filter((d) => includeOwn || d.basis !== "patient")
    .map((d) => disclosureRow(d, dir))
    // Emergency accesses first (a patient must not have to scroll to find one), then everything else; newest first.
    .sort((a, b) => Number(b.emergency) - Number(a.emergency) || b.seq - a.seq);
  const emergencies = rows.filter((r) => r.emergency).length;

  return (
    <section className="panel wide" aria-labelledby="disclosures-title">
      <h2 id="disclosures-title">Who saw what, when</h2>
      {emergencies > 0 && (
        <p className="emergency-note" role="status">
          {emergencies} emergency access{emergencies === 1 ? "" : "es"} to your records — at the top, in red.
        </p>
      )}
      <label className="check">
        <input type="checkbox" checked={includeOwn} onChange={(e) => setIncludeOwn(e.target.checked)} />
        Include my own reads
      </label>
      {rows.length === 0 && <p className="muted">Nobody else has opened your records.</p>}
      <ol className="log" data-testid="disclosures">
        {rows.map((r) => (
          <li key={r.seq} className={r.emergency ? "emergency" : undefined}>
            <time dateTime={r.time}>{formatWhen(r.time)}</time>
            <span className="who">
              {r.emergency ? `Emergency access by ${r.readerName}` : r.readerName === "you" ? "You" : r.readerName}
            </span>
            <span className="what">{r.categoryText}</span>
            <span className="why muted">
              {r.purposeText} · {r.basisText}
            </span>
            {r.justification && <span className="justification">Reason given: {r.justification}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
