import type { ReactNode } from "react";
import { triageSummary, type SectionState, type TriageItem } from "../../../../../lib/fhir";
import "../../../components/plainList.css";

const EMPTY: Record<SectionState, string> = {
  listed: "",
  "none-known": "None known.",
  "not-recorded": "Nothing included.",
};

/** One section of the preview: its items, or why there are none. */
function Section<T>({
  title,
  items,
  state,
  line,
}: {
  title: string;
  items: readonly T[];
  state: SectionState;
  line: (item: T) => ReactNode;
}) {
  return (
    <>
      <h4>{title}</h4>
      {items.length === 0 ? <p className="muted">{EMPTY[state]}</p> : <ul className="plain-list">{items.map(line)}</ul>}
    </>
  );
}

/** A problem's or medication's line: its title, then its detail as `after` words it ("Asthma (since 2019)"). */
function titled(after: (detail: string) => string) {
  return (item: TriageItem) => (
    <li key={item.title}>
      {item.title}
      {item.detail && after(item.detail)}
    </li>
  );
}

/**
 * An emergency summary as an ER clinician reads it, in triage order: allergies (high risk first, marked in words and
 * colour), then active problems, then current medications.
 */
export function TriagePreview({ bundle }: { bundle: object }) {
  const t = triageSummary(bundle);
  return (
    <div className="triage card" data-testid="emergency-preview" aria-label="What an emergency department will see" role="group">
      <h3>What an emergency department will see{t.patient.name ? ` for ${t.patient.name}` : ""}</h3>
      <Section
        title="Allergies"
        items={t.allergies}
        state={t.allergiesState}
        line={(a) => (
          <li key={a.title} className={a.highRisk ? "high-risk" : undefined}>
            {a.highRisk && "⚠ "}
            {a.title} — {a.risk}
            {a.reaction && `; reaction: ${a.reaction}${a.severity ? ` (${a.severity})` : ""}`}
          </li>
        )}
      />
      <Section title="Active problems" items={t.problems} state={t.problemsState} line={titled((detail) => ` (${detail})`)} />
      <Section title="Current medications" items={t.medications} state={t.medicationsState} line={titled((detail) => ` — ${detail}`)} />
    </div>
  );
}
