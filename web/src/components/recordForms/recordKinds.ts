import {
  ALLERGY_CATEGORIES,
  buildAllergyIntolerance,
  buildCondition,
  buildDocumentReference,
  buildImmunization,
  buildLabResult,
  buildMedicationStatement,
  CONDITION_STATUSES,
  CRITICALITIES,
  INTERPRETATIONS,
  MEDICATION_STATEMENT_STATUSES,
  REACTION_SEVERITIES,
  type AllergyCategory,
  type BuildResult,
  type ConditionStatus,
  type Criticality,
  type InterpretationKey,
  type MedicationStatementStatus,
  type PartyInput,
  type ReactionSeverity,
} from "../../../../lib/fhir";
import {
  codeFor,
  COMMON_CONDITIONS,
  COMMON_DRUG_ALLERGENS,
  COMMON_LAB_TESTS,
  COMMON_MEDICATIONS,
  COMMON_OTHER_ALLERGENS,
  COMMON_VACCINES,
  type CommonCode,
} from "../../../../lib/fhir/commonCodes";
import { CATEGORY, type Category } from "../../../../lib/consent/codes";

/** One input of a record form; `name` is the builder's field name, so its errors land next to it. */
export interface FieldSpec {
  name: string;
  label: string;
  /** The label when a clinician fills the form for a patient, where the patient's own words would be wrong. */
  clinicianLabel?: string;
  kind: "text" | "textarea" | "date" | "number" | "select";
  options?: readonly { key: string; label: string }[];
  /** Common answers offered as the person types (a datalist); picking one also stores its code. */
  suggestions?: readonly CommonCode[];
  optional?: boolean;
  hint?: string;
  /** Shown only when the other answers make it relevant (an end date only for a condition that went away). */
  showIf?: (values: FormValues) => boolean;
}

/** A form's values as its inputs hold them. */
export type FormValues = Record<string, string>;

/** Who fills a record form: the patient about themselves, or a clinician about a patient (the labels differ). */
export type FormVoice = "patient" | "clinician";

/** A kind of record added by form: its fields and how the values become a FHIR resource. */
export interface RecordKind {
  key: string;
  /** What the kind picker shows ("A condition or problem"). */
  label: string;
  clinicianLabel?: string;
  fields: readonly FieldSpec[];
  initial: FormValues;
  /** The category its records are usually filed under (lib/fhir categoryOf of what it builds). */
  category: Category;
  /**
   * The FHIR resource about `patient`, recorded by `author` (the patient when absent): the author goes where the
   * resource names who recorded or reported it (recorder, informationSource, performer, DocumentReference.author).
   */
  build(values: FormValues, patient: PartyInput, author?: PartyInput): BuildResult<object>;
}

/** Whether the author is the patient (a patient's own entry), judged by wallet address. */
function byPatient(patient: PartyInput, author: PartyInput | undefined): boolean {
  return author === undefined || (author.address ?? "").toLowerCase() === (patient.address ?? "").toLowerCase();
}

const NOTE: FieldSpec = { name: "note", label: "Notes", kind: "textarea", optional: true };
/** An optional choice needs an empty option, so "not said" stays possible. */
const none = (label: string) => [{ key: "", label }];

const condition: RecordKind = {
  key: "condition",
  label: "A condition or problem",
  fields: [
    { name: "name", label: "Condition", kind: "text", suggestions: COMMON_CONDITIONS, hint: "For example Asthma." },
    { name: "onsetDate", label: "When it started", kind: "date" },
    {
      name: "clinicalStatus",
      label: "Do you still have it?",
      clinicianLabel: "Does the patient still have it?",
      kind: "select",
      options: CONDITION_STATUSES,
    },
    { name: "resolvedDate", label: "When it went away", kind: "date", optional: true, showIf: (v) => v.clinicalStatus === "resolved" },
    NOTE,
  ],
  initial: { name: "", onsetDate: "", clinicalStatus: "active", resolvedDate: "", note: "" },
  category: CATEGORY.PROBLEMS,
  build: (v, me, author = me) =>
    buildCondition({
      name: v.name,
      snomedCode: codeFor(COMMON_CONDITIONS, v.name)?.code,
      onsetDate: v.onsetDate,
      clinicalStatus: v.clinicalStatus as ConditionStatus,
      resolvedDate: v.resolvedDate,
      note: v.note,
      patient: me,
      recorder: author,
    }),
};

const allergy: RecordKind = {
  key: "allergy",
  label: "An allergy",
  fields: [
    {
      name: "substance",
      label: "Allergic to",
      kind: "text",
      suggestions: [...COMMON_DRUG_ALLERGENS, ...COMMON_OTHER_ALLERGENS],
      hint: "For example Penicillin or Peanut.",
    },
    { name: "category", label: "It is", kind: "select", options: ALLERGY_CATEGORIES },
    { name: "criticality", label: "How dangerous could a reaction be?", kind: "select", options: CRITICALITIES },
    { name: "reaction", label: "What happened", kind: "text", optional: true, hint: "For example Hives or Anaphylaxis." },
    {
      name: "reactionSeverity",
      label: "How bad was it?",
      kind: "select",
      options: [...none("Not said"), ...REACTION_SEVERITIES],
      optional: true,
    },
    { name: "onsetDate", label: "First reaction", kind: "date", optional: true },
    NOTE,
  ],
  initial: { substance: "", category: "medication", criticality: "high", reaction: "", reactionSeverity: "", onsetDate: "", note: "" },
  category: CATEGORY.ALLERGIES,
  build: (v, me, author = me) => {
    const drug = codeFor(COMMON_DRUG_ALLERGENS, v.substance);
    const other = codeFor(COMMON_OTHER_ALLERGENS, v.substance);
    return buildAllergyIntolerance({
      substance: v.substance,
      code: (drug ?? other)?.code,
      codeSystem: drug ? "rxnorm" : other ? "snomed" : undefined,
      category: v.category as AllergyCategory,
      criticality: v.criticality as Criticality,
      reaction: v.reaction,
      reactionSeverity: (v.reactionSeverity || undefined) as ReactionSeverity | undefined,
      onsetDate: v.onsetDate,
      note: v.note,
      patient: me,
      recorder: author,
    });
  },
};

const medication: RecordKind = {
  key: "medication",
  label: "A medication I take",
  clinicianLabel: "A medication the patient takes",
  fields: [
    { name: "drug", label: "Medicine", kind: "text", suggestions: COMMON_MEDICATIONS, hint: "For example Metformin 500 mg tablets." },
    { name: "dose", label: "Dose and how often", kind: "text", optional: true, hint: "For example 1 tablet twice a day." },
    {
      name: "status",
      label: "Do you take it now?",
      clinicianLabel: "Does the patient take it now?",
      kind: "select",
      options: MEDICATION_STATEMENT_STATUSES,
    },
    { name: "startDate", label: "Started", kind: "date", optional: true },
    { name: "reason", label: "What it is for", kind: "text", optional: true },
    NOTE,
  ],
  initial: { drug: "", dose: "", status: "active", startDate: "", reason: "", note: "" },
  category: CATEGORY.MEDICATIONS,
  build: (v, me, author = me) =>
    buildMedicationStatement({
      drug: v.drug,
      rxnormCode: codeFor(COMMON_MEDICATIONS, v.drug)?.code,
      dose: v.dose,
      status: v.status as MedicationStatementStatus,
      startDate: v.startDate,
      reason: v.reason,
      note: v.note,
      patient: me,
      informationSource: author,
    }),
};

const labResult: RecordKind = {
  key: "lab",
  label: "A lab or test result",
  fields: [
    { name: "test", label: "Test", kind: "text", suggestions: COMMON_LAB_TESTS, hint: "For example HbA1c." },
    { name: "value", label: "Result (a number)", kind: "number", optional: true },
    { name: "unit", label: "Unit", kind: "text", optional: true, hint: "For example % or mg/dL." },
    { name: "valueText", label: "…or the result in words", kind: "text", optional: true, hint: "For example Negative." },
    { name: "referenceLow", label: "Normal range from", kind: "number", optional: true, hint: "For example 4." },
    { name: "referenceHigh", label: "Normal range to", kind: "number", optional: true, hint: "For example 5.6." },
    { name: "effectiveDate", label: "Date of the test", kind: "date" },
    { name: "interpretation", label: "Was it normal?", kind: "select", options: [...none("Not said"), ...INTERPRETATIONS], optional: true },
    NOTE,
  ],
  initial: {
    test: "",
    value: "",
    unit: "",
    valueText: "",
    referenceLow: "",
    referenceHigh: "",
    effectiveDate: "",
    interpretation: "",
    note: "",
  },
  category: CATEGORY.LABS,
  build: (v, me, author) => {
    const known = codeFor(COMMON_LAB_TESTS, v.test);
    return buildLabResult({
      test: v.test,
      loincCode: known?.code,
      value: v.value,
      // A picked test brings its usual unit when the person gives a number without one.
      unit: v.unit || (v.value.trim() !== "" ? known?.unit : undefined),
      valueText: v.valueText,
      referenceLow: v.referenceLow,
      referenceHigh: v.referenceHigh,
      effectiveDate: v.effectiveDate,
      interpretation: (v.interpretation || undefined) as InterpretationKey | undefined,
      note: v.note,
      patient: me,
      // A patient copies a result from a report; a clinician who enters one vouches for it.
      performer: byPatient(me, author) ? undefined : author,
    });
  },
};

const immunization: RecordKind = {
  key: "immunization",
  label: "A vaccination",
  fields: [
    { name: "vaccine", label: "Vaccine", kind: "text", suggestions: COMMON_VACCINES, hint: "For example Influenza." },
    { name: "date", label: "Date given", kind: "date" },
    { name: "performer", label: "Where or by whom", kind: "text", optional: true },
    { name: "lotNumber", label: "Lot number", kind: "text", optional: true },
    NOTE,
  ],
  initial: { vaccine: "", date: "", performer: "", lotNumber: "", note: "" },
  category: CATEGORY.IMMUNIZATIONS,
  build: (v, me, author) =>
    buildImmunization({
      vaccine: v.vaccine,
      cvxCode: codeFor(COMMON_VACCINES, v.vaccine)?.code,
      date: v.date,
      // Left empty by a clinician, it is the clinician who gave it.
      performer: v.performer.trim() ? { display: v.performer } : byPatient(me, author) ? undefined : author,
      lotNumber: v.lotNumber,
      // The patient enters it from memory or a card, not from the record of whoever gave it; a clinician from theirs.
      reportedByPatient: byPatient(me, author),
      note: v.note,
      patient: me,
    }),
};

const clinicalNote: RecordKind = {
  key: "note",
  label: "A clinical note (typed)",
  fields: [
    { name: "title", label: "Title", kind: "text", hint: "For example Visit with Dr. Chen." },
    { name: "date", label: "Date", kind: "date" },
    { name: "text", label: "Note", kind: "textarea" },
  ],
  initial: { title: "", date: "", text: "" },
  category: CATEGORY.NOTES,
  build: (v, me, author = me) => {
    const result = buildDocumentReference({
      title: v.title,
      kind: "note",
      contentType: "text/plain",
      date: v.date,
      text: v.text,
      author,
      patient: me,
    });
    // The builder treats the text as optional (a document may be a file); a typed note without text says nothing.
    if (v.text.trim() === "")
      return { ok: false, errors: [...(result.ok ? [] : result.errors), { field: "text", message: "Write the note." }] };
    return result;
  },
};

/** The record kinds the patient's "Add a record" panel offers, in the order people most often add them. */
export const RECORD_KINDS: readonly RecordKind[] = [condition, allergy, medication, labResult, immunization, clinicalNote];

/** The record kinds as `voice` reads them: the same kinds and builders, with a clinician's labels where they differ. */
export function recordKindsFor(voice: FormVoice): readonly RecordKind[] {
  if (voice === "patient") return RECORD_KINDS;
  return RECORD_KINDS.map((k) => ({
    ...k,
    label: k.clinicianLabel ?? k.label,
    fields: k.fields.map((f) => ({ ...f, label: f.clinicianLabel ?? f.label })),
  }));
}
