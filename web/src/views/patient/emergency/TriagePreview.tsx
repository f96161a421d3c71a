import { triageSummary, type SectionState } from "../../../../../lib/fhir";

const EMPTY: Record<SectionState, string> = {
  listed: "",
  "none-known": "None known.",
  "not-recorded": "Nothing included.",
};

/**
 * An emergency summary as an ER clinician reads it, in triage order: allergies (high risk first, marked in words and
 * colour), then active problems, then current medications.
 */
export function TriagePreview({ bundle }: { bundle: object }) {
  const t = triageSummary(bundle);
  return (
    <div className="triage card" data-testid="emergency-preview" aria-label="What an emergency department will see" role="group">
      <h3>What an emergency department will see{t.patient.name ? ` for ${t.patient.name}` : ""}</h3>
      <h4>Allergies</h4>
      {t.allergies.length === 0 ? (
        <p className="muted">{EMPTY[t.allergiesState]}</p>
      ) : (
        <ul>
          {t.allergies.map((a, i) => (
            <li key={i} className={a.highRisk ? "high-risk" : undefined}>
              {a.highRisk && "⚠ "}
              {a.title} — {a.risk}
              {a.reaction && `; reaction: ${a.reaction}${a.severity ? ` (${a.severity})` : ""}`}
            </li>
          ))}
        </ul>
      )}
      <h4>Active problems</h4>
      {t.problems.length === 0 ? (
        <p className="muted">{EMPTY[t.problemsState]}</p>
      ) : (
        <ul>
          {t.problems.map((p, i) => (
            <li key={i}>
              {p.title}
              {p.detail && ` (${p.detail})`}
            </li>
          ))}
        </ul>
      )}
      <h4>Current medications</h4>
      {t.medications.length === 0 ? (
        <p className="muted">{EMPTY[t.medicationsState]}</p>
      ) : (
        <ul>
          {t.medications.map((m, i) => (
            <li key={i}>
              {m.title}
              {m.detail && ` — ${m.detail}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
