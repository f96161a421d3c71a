import { ISSUE_KINDS, ISSUE_SEVERITIES, keysOf, OVERRIDE_REASONS, type IssueKind, type IssueSeverity, type OverrideKind } from "../choices";
import { instantOf, type DateInput } from "../dateChecks";
import { FieldChecks } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import type { PartyInput, ReferenceInput } from "../references";
import { ACT_CODE } from "../systems";
import type { DetectedIssue, Reference } from "../types";

/**
 * A finding of the prescribing check (issue 17) — an interaction, an allergy, a contraindication — and, when the
 * prescriber goes ahead anyway, the reason. A severe finding cannot be recorded without one.
 */
export interface DetectedIssueForm {
  kind: IssueKind;
  severity: IssueSeverity;
  /** The clinical effect in a sentence ("Increased risk of bleeding"). */
  detail: string;
  /** The records involved: the new prescription and the medication, allergy or condition it clashes with. */
  implicated: readonly ReferenceInput[];
  /** Why the prescriber goes ahead despite the finding, in words. */
  overrideReason?: string;
  /** The kind of reason (coded); "therapy-appropriate" when omitted. */
  overrideKind?: OverrideKind;
  /** The public source of the rule that fired (a URL). */
  source?: string;
  /** The prescriber. */
  author: PartyInput;
  patient?: PartyInput;
  identified?: DateInput;
}

/** Builds a FHIR R4 DetectedIssue from a check finding and the prescriber's answer, or says what to fix. */
export function buildDetectedIssue(form: DetectedIssueForm, options?: BuildOptions): BuildResult<DetectedIssue> {
  const c = new FieldChecks(options);
  const kind = c.choice("kind", form.kind, keysOf(ISSUE_KINDS), "Choose the kind of finding.", true);
  const severity = c.choice("severity", form.severity, keysOf(ISSUE_SEVERITIES), "Choose how serious the finding is.", true);
  const detail = c.text("detail", form.detail, "Describe the finding in a sentence, for example Increased risk of bleeding.", 1000);
  const implicated = (form.implicated ?? [])
    .map((ref, i) =>
      c.reference(
        `implicated.${i}`,
        ref,
        "A record this finding is about",
        "A record this finding is about is empty: remove it or link the record.",
      ),
    )
    .filter((r): r is Reference => r !== undefined);
  if ((form.implicated ?? []).length === 0)
    c.fail("implicated", "Link the records this finding is about (the prescription and what it clashes with).");
  const reason = c.text(
    "overrideReason",
    form.overrideReason,
    severity === "high" ? "Give the reason for prescribing despite this severe finding." : undefined,
    1000,
  );
  const overrideKind =
    c.choice("overrideKind", form.overrideKind, keysOf(OVERRIDE_REASONS), "Choose the kind of reason.") ?? "therapy-appropriate";
  const source = c.text("source", form.source, undefined, 2000);
  if (source !== undefined && !/^https?:\/\/\S+$/.test(source))
    c.fail("source", "The source of the rule must be a web address (https://…).");
  const author = c.party("author", form.author, "the prescriber", "Name the prescriber.");
  const patient = c.patient(form.patient, false);
  const identified = c.pastTime("identified", form.identified, "the time of the check") ?? instantOf(c.now);
  const code = ISSUE_KINDS.find((k) => k.key === kind);
  const override = OVERRIDE_REASONS.find((o) => o.key === overrideKind)!;
  return c.resource<DetectedIssue>("DetectedIssue", () => ({
    status: "final",
    code: { coding: [{ system: ACT_CODE, code: code!.code, display: code!.display }], text: code!.label },
    severity: severity!,
    patient,
    identifiedDateTime: identified,
    author: author!,
    implicated,
    detail: detail!,
    reference: source,
    mitigation: reason
      ? [
          {
            action: { coding: [{ system: ACT_CODE, code: override.code, display: override.display }], text: reason },
            date: identified,
            author: author!,
          },
        ]
      : undefined,
  }));
}
