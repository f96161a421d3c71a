import { describeResource, patientName } from "./describe";
import { doseText, medicationName } from "./facts";
import { codeIn, conceptText, first, fhirDate, str } from "./read";
import { isFhirResource, resourcesOf, type FhirResource } from "./resource";
import { IPS, LIST_EMPTY_REASON, LOINC } from "./systems";

/** An allergy as triage reads it. */
export interface TriageAllergy {
  title: string;
  criticality?: "high" | "low" | "unable-to-assess";
  /** Criticality high, or a past reaction recorded as severe: show it first and highlighted. */
  highRisk: boolean;
  /** "High risk", "Low risk", "Risk not assessed". */
  risk: string;
  reaction?: string;
  severity?: string;
}

/** An active problem or a current medication as triage reads it. */
export interface TriageItem {
  title: string;
  /** Dose and directions for a medication; "since …" for a problem. */
  detail?: string;
}

/** Whether a section lists items, says there are none known, or says nothing. */
export type SectionState = "listed" | "none-known" | "not-recorded";

/** What an emergency clinician sees, in triage order: allergies (highest risk first), active problems, current medications. */
export interface TriageSummary {
  patient: { name?: string; birthDate?: string; gender?: string };
  /** When the summary was made, and by whom. */
  date?: string;
  author?: string;
  allergies: TriageAllergy[];
  allergiesState: SectionState;
  problems: TriageItem[];
  problemsState: SectionState;
  medications: TriageItem[];
  medicationsState: SectionState;
  /** Records in the summary that triage leaves out (resolved problems, stopped medicines, inactive allergies). */
  notShown: number;
}

const RISK: Record<string, string> = { high: "High risk", low: "Low risk", "unable-to-assess": "Risk not assessed" };
const INVALID = new Set(["entered-in-error", "refuted"]);
const INACTIVE_ALLERGY = new Set(["inactive", "resolved"]);
const ACTIVE_PROBLEM = new Set(["active", "recurrence", "relapse"]);
const CURRENT_MEDICATION = new Set(["active", "intended", "on-hold", "unknown"]);

function statusCode(c: unknown): string | undefined {
  return codeIn(c) ?? conceptText(c)?.toLowerCase();
}

function rank(a: TriageAllergy): number {
  return a.highRisk ? 0 : a.criticality === "low" ? 2 : 1;
}

function sectionState(listed: number, composition: FhirResource | undefined, loinc: string): SectionState {
  if (listed > 0) return "listed";
  const sections = Array.isArray(composition?.section) ? (composition.section as Array<{ code?: unknown; emptyReason?: unknown }>) : [];
  const section = sections.find((s) => codeIn(s.code, LOINC) === loinc);
  return codeIn(section?.emptyReason, LIST_EMPTY_REASON) === "nilknown" ? "none-known" : "not-recorded";
}

/**
 * Reads an emergency summary (an IPS document Bundle, or any Bundle or resource) in the order an emergency
 * clinician needs it: allergies with the high-risk ones first and flagged, then active problems, then current
 * medications. Works from the entries themselves, so summaries written by other systems read the same. Never throws.
 */
export function triageSummary(bundle: unknown): TriageSummary {
  const resources = isFhirResource(bundle) ? resourcesOf(bundle) : [];
  const composition = resources.find((r) => r.resourceType === "Composition");
  const patient = resources.find((r) => r.resourceType === "Patient");
  const allergies: TriageAllergy[] = [];
  const problems: TriageItem[] = [];
  const medications: TriageItem[] = [];
  let notShown = 0;
  for (const r of resources) {
    if (INVALID.has(statusCode(r.verificationStatus) ?? "") || r.status === "entered-in-error") {
      if (["AllergyIntolerance", "Condition", "MedicationStatement", "MedicationRequest"].includes(r.resourceType)) notShown++;
      continue;
    }
    switch (r.resourceType) {
      case "AllergyIntolerance": {
        if (INACTIVE_ALLERGY.has(statusCode(r.clinicalStatus) ?? "")) {
          notShown++;
          break;
        }
        const reaction = first<{ manifestation?: unknown[]; severity?: string }>(r.reaction);
        const criticality = ["high", "low", "unable-to-assess"].includes(String(r.criticality))
          ? (r.criticality as TriageAllergy["criticality"])
          : undefined;
        const severity = str(reaction?.severity);
        allergies.push({
          title: describeResource(r).title,
          criticality,
          highRisk: criticality === "high" || severity === "severe",
          risk: RISK[criticality ?? "unable-to-assess"],
          reaction: conceptText(first(reaction?.manifestation)),
          severity,
        });
        break;
      }
      case "Condition": {
        const status = statusCode(r.clinicalStatus);
        if (status !== undefined && !ACTIVE_PROBLEM.has(status)) {
          notShown++;
          break;
        }
        const since = fhirDate(r.onsetDateTime) ?? str(r.onsetString);
        problems.push({ title: describeResource(r).title, detail: since ? `since ${since}` : undefined });
        break;
      }
      case "MedicationStatement":
      case "MedicationRequest": {
        if (!CURRENT_MEDICATION.has(String(r.status))) {
          notShown++;
          break;
        }
        const dosage = first<{ text?: string }>(r.dosage) ?? first<{ text?: string }>(r.dosageInstruction);
        medications.push({ title: medicationName(r) ?? describeResource(r).title, detail: str(dosage?.text) ?? doseText(r) });
        break;
      }
    }
  }
  // Stable sort: within a risk level the summary's own order stays.
  allergies.sort((a, b) => rank(a) - rank(b));
  const description = composition ? describeResource(composition) : undefined;
  const bundleDate = isFhirResource(bundle) ? str(bundle.timestamp) : undefined;
  return {
    patient: { name: patientName(patient), birthDate: str(patient?.birthDate), gender: str(patient?.gender) },
    date: description?.date ?? bundleDate,
    author: description?.author,
    allergies,
    allergiesState: sectionState(allergies.length, composition, IPS.allergies.code),
    problems,
    problemsState: sectionState(problems.length, composition, IPS.problems.code),
    medications,
    medicationsState: sectionState(medications.length, composition, IPS.medications.code),
    notShown,
  };
}
