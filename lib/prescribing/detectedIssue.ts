import { ACT_CODE_SYSTEM, FHIR_BASE } from "../audit/fhirCodes";
import { PrescribingError } from "./errors";
import type { FhirDetectedIssue, FhirMedicationRequest, FhirReference } from "./fhirTypes";
import { needsOverride, type Finding } from "./findings";
import type { FindingKind } from "./tableTypes";

/** Identifier system of the table rule a DetectedIssue records (see `lib/audit/fhirCodes.ts` on `FHIR_BASE`). */
export const INTERACTION_RULE_SYSTEM = `${FHIR_BASE}/NamingSystem/interaction-rule`;

/** HL7 v3 ActCode detected-issue codes for each kind of finding. */
const ISSUE_CODE: Record<FindingKind, { code: string; display: string; text: string }> = {
  "drug-drug": { code: "DRG", display: "Drug Interaction Alert", text: "Drug–drug interaction" },
  "drug-allergy": { code: "ALGY", display: "Allergy Alert", text: "Drug–allergy contraindication" },
  "drug-condition": { code: "COND", display: "Condition Alert", text: "Drug–condition contraindication" },
};

/** Optional context the finding itself does not carry. */
export interface DetectedIssueContext {
  /** Resource id (needed to contain it in a MedicationRequest; {@link withDetectedIssues} assigns one). */
  id?: string;
  patient?: FhirReference;
  /** The prescriber who saw the issue and decided. */
  author?: FhirReference;
  /** When (ISO 8601 date-time); also the date of the mitigation. */
  identified?: string;
  /** The proposed MedicationRequest, when it already has a reference. */
  proposedRef?: FhirReference;
}

/**
 * The FHIR R4 DetectedIssue recording a finding and, when the prescriber goes ahead, the reason: severity
 * `high` for contraindicated and major findings, `moderate` for moderate ones; the rule's source as `reference`;
 * the override as a mitigation ("Therapy Appropriate", with the reason as its text). A contraindicated or major
 * finding cannot be recorded without a reason (`OVERRIDE_REASON_REQUIRED`).
 */
export function detectedIssueFor(
  finding: Finding,
  overrideReason: string | undefined,
  context: DetectedIssueContext = {},
): FhirDetectedIssue {
  const reason = overrideReason?.trim() ?? "";
  if (needsOverride(finding) && reason === "") {
    throw new PrescribingError(
      "OVERRIDE_REASON_REQUIRED",
      `A ${finding.severity} finding (${finding.ruleId}) can only be signed with a reason for the override.`,
    );
  }
  const against: FhirReference = { display: finding.against.display };
  if (finding.against.resourceRef) against.reference = finding.against.resourceRef;
  const by = finding.against.author ? ` (recorded by ${finding.against.author})` : "";
  return {
    resourceType: "DetectedIssue",
    ...(context.id ? { id: context.id } : {}),
    identifier: [{ system: INTERACTION_RULE_SYSTEM, value: finding.ruleId }],
    status: "final",
    code: {
      coding: [{ system: ACT_CODE_SYSTEM, code: ISSUE_CODE[finding.kind].code, display: ISSUE_CODE[finding.kind].display }],
      text: ISSUE_CODE[finding.kind].text,
    },
    severity: needsOverride(finding) ? "high" : "moderate",
    ...(context.patient ? { patient: context.patient } : {}),
    ...(context.identified ? { identifiedDateTime: context.identified } : {}),
    ...(context.author ? { author: context.author } : {}),
    implicated: [...(context.proposedRef ? [context.proposedRef] : []), against],
    detail: `${finding.proposed.display} with ${finding.against.display}${by}: ${finding.effect} Source: ${finding.source}.`,
    ...(finding.sourceUrls[0] ? { reference: finding.sourceUrls[0] } : {}),
    ...(reason
      ? {
          mitigation: [
            {
              action: { coding: [{ system: ACT_CODE_SYSTEM, code: "1", display: "Therapy Appropriate" }], text: reason },
              ...(context.identified ? { date: context.identified } : {}),
              ...(context.author ? { author: context.author } : {}),
            },
          ],
        }
      : {}),
  };
}

/**
 * A copy of `request` that carries `issues` as contained resources, referenced from `detectedIssue` ("#id"), so
 * the prescription and its overrides travel as one record. Issues without an id get `detected-issue-<n>`.
 */
export function withDetectedIssues(request: FhirMedicationRequest, issues: readonly FhirDetectedIssue[]): FhirMedicationRequest {
  const contained = issues.map((issue, i) => ({ ...issue, id: issue.id ?? `detected-issue-${i + 1}` }));
  return {
    ...request,
    contained: [...(request.contained ?? []), ...contained],
    detectedIssue: [...(request.detectedIssue ?? []), ...contained.map((issue) => ({ reference: `#${issue.id}` }))],
  };
}
