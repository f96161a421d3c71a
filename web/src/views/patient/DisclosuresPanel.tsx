import type { DisclosureEntry } from "../../../../lib/disclosure/entries";
import { disclosureRow, type DisclosureRow } from "../../components/disclosureRows";
import { formatWhen } from "../../components/format";
import type { Directory } from "../../components/names";

function Rows({ rows, testId }: { rows: DisclosureRow[]; testId: string }) {
  return (
    <ol className="log" data-testid={testId}>
      {rows.map((r) => (
        <li key={r.seq} className={r.emergency ? "emergency" : undefined}>
          <time dateTime={r.time}>{formatWhen(r.time)}</time>
          <span className="who">{r.emergency ? `Emergency access by ${r.readerName}` : r.readerName === "you" ? "You" : r.readerName}</span>
          <span className="what">{r.categoryText}</span>
          <span className="why muted">
            {r.purposeText} · {r.basisText}
          </span>
          {r.justification && <span className="justification">Reason given: {r.justification}</span>}
        </li>
      ))}
    </ol>
  );
}

/**
 * "Who saw what, when": others' reads of the patient's records (emergency accesses first, then newest first), and
 * apart from them, folded, the patient's own reads — so a provider's access never hides among the patient's own.
 */
export function DisclosuresPanel({
  disclosures,
  dir,
  fresh = 0,
}: {
  disclosures: readonly DisclosureEntry[];
  dir: Directory;
  fresh?: number;
}) {
  const rows = disclosures.map((d) => disclosureRow(d, dir)).sort((a, b) => Number(b.emergency) - Number(a.emergency) || b.seq - a.seq);
  const others = rows.filter((r) => r.basis !== "patient");
  const own = rows.filter((r) => r.basis === "patient");

  return (
    <section className="panel wide" aria-labelledby="disclosures-title">
      <h2 id="disclosures-title">
        Who saw what, when{" "}
        {fresh > 0 && (
          <span className="badge" data-testid="new-disclosures">
            {fresh} new
          </span>
        )}
      </h2>
      <h3>Others who opened your records</h3>
      {others.length === 0 && <p className="muted">Nobody else has opened your records.</p>}
      <Rows rows={others} testId="disclosures" />
      <details>
        <summary>Your own reads ({own.length})</summary>
        {own.length === 0 ? <p className="muted">You have not opened your records here yet.</p> : <Rows rows={own} testId="own-reads" />}
      </details>
    </section>
  );
}
