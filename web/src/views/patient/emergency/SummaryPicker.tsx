import "../../../components/plainList.css";
import { SUMMARY_SECTIONS, type SummaryChoice } from "./emergencyChoices";

/** Checkboxes for the records an emergency summary may carry, one fieldset per section, in triage order. */
export function SummaryPicker({
  choices,
  isPicked,
  onPick,
  stillDecrypting,
}: {
  choices: readonly SummaryChoice[];
  isPicked: (choice: SummaryChoice) => boolean;
  onPick: (cid: string, on: boolean) => void;
  stillDecrypting: boolean;
}) {
  return (
    <div className="summary-picker" data-testid="summary-picker">
      {SUMMARY_SECTIONS.map((section) => {
        const mine = choices.filter((c) => c.section === section.key);
        return (
          <fieldset key={section.key}>
            <legend>{section.title}</legend>
            {mine.length === 0 ? (
              <p className="muted">
                {stillDecrypting
                  ? "Reading your records…"
                  : `No ${section.title.toLowerCase()} in your vault yet: add them under “Add a record”.`}
              </p>
            ) : (
              <ul className="record-choices plain-list">
                {mine.map((c) => (
                  <li key={c.cid}>
                    <label className="check">
                      <input type="checkbox" checked={isPicked(c)} onChange={(e) => onPick(c.cid, e.target.checked)} />
                      {c.title}
                      {!c.current && <span className="muted"> (no longer current)</span>}
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}
