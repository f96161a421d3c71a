import type { DisclosureEntry } from "../../../../lib/disclosure/entries";
import { disclosureRow } from "../../components/disclosureRows";
import { formatWhen } from "../../components/format";
import type { Directory } from "../../components/names";

/**
 * The top-of-page alarm for break-glass: who opened the patient's emergency summary, when, and the reason they gave.
 * A patient must not find an emergency access only by scrolling to the log.
 */
export function EmergencyBanner({ disclosures, dir }: { disclosures: readonly DisclosureEntry[]; dir: Directory }) {
  const emergencies = disclosures
    .filter((d) => d.basis === "emergency")
    .map((d) => disclosureRow(d, dir))
    .sort((a, b) => b.seq - a.seq);
  if (emergencies.length === 0) return null;
  // One break-glass logs two entries (the key release, which carries the reason, and the summary's download): one line
  // per reader, at their latest access, with the reason they gave.
  const readers = [...new Set(emergencies.map((r) => r.reader))].map((reader) => {
    const theirs = emergencies.filter((r) => r.reader === reader);
    return { ...theirs[0], justification: theirs.find((r) => r.justification)?.justification ?? "" };
  });
  return (
    <section className="breakglass-alert" role="alert" aria-labelledby="emergency-banner-title" data-testid="emergency-banner">
      <h2 id="emergency-banner-title">Emergency access to your records</h2>
      <ul>
        {readers.map((r) => (
          <li key={r.seq}>
            <strong>{r.readerName}</strong> opened your emergency summary on {formatWhen(r.time)}.
            {r.justification && <> Reason given: “{r.justification}”</>}
          </li>
        ))}
      </ul>
      <p>This was recorded on the ledger and is audited. If you did not expect it, revoke everything below and contact the provider.</p>
    </section>
  );
}
