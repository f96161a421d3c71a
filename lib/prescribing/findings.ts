import type { RuleMatch } from "./matchRules";
import type { InteractionTable } from "./table";
import type { FindingKind, Severity } from "./tableTypes";

/** What a finding was raised against: a medication, an allergy or a condition in the patient's vault. */
export interface FindingTarget {
  /** What the record calls it ("Ibuprofen 400 MG Oral Tablet", "Penicillin", "Asthma"). */
  display: string;
  /** Who recorded it, when known (e.g. another provider). */
  author?: string;
  /** How to refer to the record. */
  resourceRef?: string;
}

/** One problem the check found with the proposed drug. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** One line: what happens to the patient. */
  effect: string;
  /** The public sources of the rule, cited. */
  source: string;
  /** Links to those sources, where they have one. */
  sourceUrls: string[];
  /** The table rule that fired. */
  ruleId: string;
  /** The proposed drug, and the ingredient of it the rule concerns. */
  proposed: { display: string; ingredient: string };
  against: FindingTarget;
}

/** Severities, most serious first. */
export const SEVERITY_ORDER: readonly Severity[] = ["contraindicated", "major", "moderate"];

const KIND_ORDER: readonly FindingKind[] = ["drug-allergy", "drug-drug", "drug-condition"];

/** True when signing with this finding needs an override reason (contraindicated or major). */
export function needsOverride(finding: Pick<Finding, "severity">): boolean {
  return finding.severity === "contraindicated" || finding.severity === "major";
}

/** Turns a rule match into a finding. */
export function findingOf(table: InteractionTable, match: RuleMatch, proposedDisplay: string, against: FindingTarget): Finding {
  const { rule } = match.rule;
  const sources = rule.sources.map((id) => table.sources.get(id)).filter((s) => s !== undefined);
  return {
    kind: rule.kind,
    severity: rule.severity,
    effect: rule.effect,
    source: sources.map((s) => s.citation).join("; "),
    sourceUrls: sources.flatMap((s) => (s.url ? [s.url] : [])),
    ruleId: rule.id,
    proposed: { display: proposedDisplay, ingredient: match.proposedIngredient },
    against,
  };
}

/** Orders findings most serious first, then allergy, drug, condition, then by what they concern: stable output. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (x, y) =>
      SEVERITY_ORDER.indexOf(x.severity) - SEVERITY_ORDER.indexOf(y.severity) ||
      KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) ||
      x.against.display.localeCompare(y.against.display) ||
      x.ruleId.localeCompare(y.ruleId),
  );
}
