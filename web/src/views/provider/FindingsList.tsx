import type { PrescriptionReview } from "../../../../lib/client";
import "../clinical.css";

const SEVERITY_WORDS = { contraindicated: "Contraindicated", major: "Major", moderate: "Moderate" } as const;

/** What the interaction check found (severity, effect, what it is against, source) and what it could not see. */
export function FindingsList({ review }: { review: PrescriptionReview }) {
  const { checkedAgainst: n } = review;
  return (
    <div className="findings" data-testid="findings">
      <p>
        Checked against {n.medications} medication{n.medications === 1 ? "" : "s"}, {n.allergies} allerg
        {n.allergies === 1 ? "y" : "ies"} and {n.conditions} active problem{n.conditions === 1 ? "" : "s"} in the patient's vault.
      </p>
      {review.findings.length === 0 ? (
        <p className="ok">No interaction found in what the check could read.</p>
      ) : (
        <ul className="list">
          {review.findings.map((f) => (
            <li key={`${f.ruleId}-${f.against.resourceRef ?? f.against.display}`} className={`finding ${f.severity}`}>
              <span>
                <strong>
                  {SEVERITY_WORDS[f.severity]}: {f.proposed.display} with {f.against.display}
                </strong>
                {f.against.author && <span className="muted"> (recorded by {f.against.author})</span>}
                <br />
                {f.effect}
                <br />
                <span className="muted">Source: {f.source}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {review.notChecked.length > 0 && (
        <div className="warning" data-testid="not-checked">
          <strong>Not checked:</strong>
          <ul>
            {review.notChecked.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
