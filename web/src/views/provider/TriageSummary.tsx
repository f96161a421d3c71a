import { useMemo } from "react";
import { triageSummary, type SectionState, type TriageItem } from "../../../../lib/fhir";
import "../../components/plainList.css";
import "./TriageSummary.css";

const EMPTY: Record<Exclude<SectionState, "listed">, string> = {
  "none-known": "None known (the summary says so).",
  "not-recorded": "Not recorded in the summary: ask, do not assume none.",
};

/**
 * The emergency summary in the order triage needs it: allergies (high risk first and highlighted), then active
 * problems, then current medications. The reading itself is lib/fhir's triageSummary, shared with the patient's side.
 */
export function TriageSummary({ plaintext }: { plaintext: Uint8Array }) {
  const summary = useMemo(() => {
    try {
      return triageSummary(JSON.parse(new TextDecoder().decode(plaintext)));
    } catch {
      return undefined;
    }
  }, [plaintext]);
  if (summary === undefined) return <p className="warning">The summary is not FHIR JSON; read it in full below.</p>;
  const { patient } = summary;

  return (
    <div className="triage" data-testid="triage">
      {(patient.name || patient.birthDate) && (
        <p>
          <strong>{patient.name ?? "Patient"}</strong>
          {patient.birthDate && ` · born ${patient.birthDate}`}
          {patient.gender && ` · ${patient.gender}`}
          {summary.date && <span className="muted"> · summary of {summary.date}</span>}
        </p>
      )}
      <h3>1. Allergies</h3>
      {summary.allergies.length === 0 ? (
        <p>{EMPTY[summary.allergiesState === "listed" ? "not-recorded" : summary.allergiesState]}</p>
      ) : (
        <ul className="plain-list" data-testid="triage-allergies">
          {summary.allergies.map((a, i) => (
            <li key={i} className={a.highRisk ? "high-risk" : undefined}>
              <span className="risk">{a.risk}</span>
              {a.title}
              {a.reaction && ` — reaction: ${a.reaction}`}
              {a.severity && ` (${a.severity})`}
            </li>
          ))}
        </ul>
      )}
      <Section title="2. Active problems" items={summary.problems} state={summary.problemsState} testId="triage-problems" />
      <Section title="3. Current medications" items={summary.medications} state={summary.medicationsState} testId="triage-medications" />
      {summary.notShown > 0 && <p className="muted">{summary.notShown} past or refuted entries are left out here; see the full summary.</p>}
    </div>
  );
}

function Section({ title, items, state, testId }: { title: string; items: TriageItem[]; state: SectionState; testId: string }) {
  return (
    <>
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p>{EMPTY[state === "listed" ? "not-recorded" : state]}</p>
      ) : (
        <ul className="plain-list" data-testid={testId}>
          {items.map((item, i) => (
            <li key={i}>
              {item.title}
              {item.detail && <span className="muted"> · {item.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
