import {
  ALLERGY_CATEGORIES,
  CRITICALITIES,
  keysOf,
  REACTION_SEVERITIES,
  type AllergyCategory,
  type Criticality,
  type ReactionSeverity,
} from "../choices";
import { instantOf, type DateInput } from "../dateChecks";
import { compact, FieldChecks } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import type { PartyInput } from "../references";
import { ALLERGY_CLINICAL, RXNORM, SNOMED } from "../systems";
import type { AllergyIntolerance } from "../types";
import { coded, concept, notes } from "./elements";

/** An allergy or intolerance as a form collects it. */
export interface AllergyForm {
  /** What the person reacts to, in their words ("Penicillin", "Peanuts"). */
  substance: string;
  /** A code for the substance, when the form offers one. */
  code?: string;
  /** The code's system: RxNorm for medicines, SNOMED CT otherwise. Defaults by category (medication → RxNorm). */
  codeSystem?: "rxnorm" | "snomed";
  category: AllergyCategory;
  criticality: Criticality;
  /** What happened ("Hives", "Anaphylaxis"). */
  reaction?: string;
  reactionSeverity?: ReactionSeverity;
  onsetDate?: DateInput;
  note?: string;
  patient: PartyInput;
  recorder?: PartyInput;
}

/** Builds a FHIR R4 AllergyIntolerance from a form, or says what to fix. */
export function buildAllergyIntolerance(form: AllergyForm, options?: BuildOptions): BuildResult<AllergyIntolerance> {
  const c = new FieldChecks(options);
  const substance = c.text("substance", form.substance, "Enter what you are allergic to, for example Penicillin.", 200);
  const category = c.choice(
    "category",
    form.category,
    keysOf(ALLERGY_CATEGORIES),
    "Choose whether the allergy is to a medicine, a food or something in the environment.",
    true,
  );
  const criticality = c.choice(
    "criticality",
    form.criticality,
    keysOf(CRITICALITIES),
    "Choose how dangerous a reaction could be, or “Not sure”.",
    true,
  );
  const codeSystem =
    c.choice("codeSystem", form.codeSystem, ["rxnorm", "snomed"] as const, "Choose whether the code is an RxNorm or a SNOMED CT code.") ??
    (category === "medication" ? "rxnorm" : "snomed");
  const code = c.code("code", form.code, codeSystem);
  const reaction = c.text("reaction", form.reaction, undefined, 200);
  const severity = c.choice("reactionSeverity", form.reactionSeverity, keysOf(REACTION_SEVERITIES), "Choose mild, moderate or severe.");
  if (severity !== undefined && reaction === undefined)
    c.fail("reaction", "Describe the reaction (for example Hives) before choosing how severe it was.");
  const onset = c.pastTime("onsetDate", form.onsetDate, "the date of the first reaction");
  const note = c.text("note", form.note);
  const patient = c.patient(form.patient);
  const recorder = c.party("recorder", form.recorder, "the person recording it");
  return c.resource<AllergyIntolerance>("AllergyIntolerance", () => ({
    clinicalStatus: coded(ALLERGY_CLINICAL, "active", "Active"),
    category: [category!],
    criticality: criticality!,
    code: concept(substance!, codeSystem === "rxnorm" ? RXNORM : SNOMED, code),
    patient: patient!,
    onsetDateTime: onset,
    recordedDate: instantOf(c.now),
    recorder,
    reaction: reaction ? [compact({ manifestation: [{ text: reaction }], severity })] : undefined,
    note: notes(note),
  }));
}
