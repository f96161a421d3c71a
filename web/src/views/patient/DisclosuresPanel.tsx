import { useState } from "react";
import type { DisclosureEntry } from "../../../../lib/disclosure/entries";
import { disclosureRow } from "../../components/disclosureRows";
import { formatWhen } from "../../components/format";
import type { Directory } from "../../components/names";

/** "Who saw what, when": the disclosure log of the patient's records, newest first; emergency accesses stand out. */
export function DisclosuresPanel({ disclosures, dir }: { disclosures: readonly DisclosureEntry[]; dir: Directory }) {
  const [includeOwn, setIncludeOwn] = useState(false);
  const rows = disclosures
    .filter((d) => includeOwn || d.basis !== "patient")
    .map((d) => disclosureRow(d, dir))
    .reverse();
  const emergencies = rows.filter((r) => r.emergency).length;

  return (
    <section className="panel wide" aria-labelledby="disclosures-title">
      <h2 id="disclosures-title">Who saw what, when</h2>
      {emergencies > 0 && (
        <p className="emergency-note" role="status">
          {emergencies} emergency access{emergencies === 1 ? "" : "es"} to your records — see the red lines below.
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
          </li>
        ))}
      </ol>
    </section>
  );
}
