import { coverageNotes, unknownAllergyNote, unknownMedicationNote, unknownProposedNote, type Coverage } from "./coverageNotes";
import { PrescribingError } from "./errors";
import type { FhirAllergyIntolerance, FhirCondition, MedicationResource, VaultRecord } from "./fhirTypes";
import { findingOf, needsOverride, sortFindings, type Finding, type FindingTarget } from "./findings";
import { identifyAllergy, isAllergyActive, mayConcernDrugs } from "./identifyAllergy";
import { identifyCondition, isConditionActive } from "./identifyCondition";
import { identifyDrug, isMedicationCurrent, isMedicationResource, medicationAuthor, type IdentifiedDrug } from "./identifyDrug";
import { matchDrugAllergy, matchDrugCondition, matchDrugDrug } from "./matchRules";
import { INTERACTION_TABLE, type InteractionTable } from "./table";

/** What the prescriber's client hands the check. */
export interface PrescriptionCheckInput {
  /** The drug about to be prescribed (a draft MedicationRequest, usually). */
  proposed: MedicationResource;
  /** Every medication record the client could decrypt from the patient's vault, from every provider. */
  medications: readonly VaultRecord<MedicationResource>[];
  /** Every AllergyIntolerance it could decrypt. */
  allergies: readonly VaultRecord<FhirAllergyIntolerance>[];
  /** Every Condition it could decrypt. */
  conditions: readonly VaultRecord<FhirCondition>[];
  /** Which categories the prescriber's grants cover: what was not readable was not checked. */
  coverage: Coverage;
  /** Another table (a site's own); the shipped one by default. */
  table?: InteractionTable;
}

/** The outcome of a check. */
export interface PrescriptionCheck {
  /** The proposed drug as identified (its ingredients may be empty: then nothing was checked). */
  proposed: IdentifiedDrug;
  /** Problems found, most serious first. */
  findings: Finding[];
  /** True when a finding is contraindicated or major: signing needs an override reason. */
  overrideRequired: boolean;
  /** Plain-language notes on what the check could not see or could not identify. */
  notChecked: string[];
  /** How many current, identified records of each kind the proposed drug was checked against. */
  checkedAgainst: { medications: number; allergies: number; conditions: number };
}

/** What a finding is against: the record's display, its author (the vault's, else the resource's) and reference. */
function target(record: VaultRecord<{ resourceType: string; id?: string }>, display: string, author: string | undefined): FindingTarget {
  const resourceRef = record.resourceRef ?? (record.resource.id ? `${record.resource.resourceType}/${record.resource.id}` : undefined);
  return { display, ...(author ? { author } : {}), ...(resourceRef ? { resourceRef } : {}) };
}

/**
 * Checks a proposed drug against the medications, allergies and active problems the prescriber's client could
 * read from the patient's vault: drug–drug interactions, drug–allergy and drug–condition contraindications, from
 * the interaction table. Pure: no network, no clock. Records that are stopped, refuted, resolved or entered in
 * error are left out; drugs the table does not know, and categories no grant covers, are named in `notChecked`.
 */
export function checkPrescription(input: PrescriptionCheckInput): PrescriptionCheck {
  const table = input.table ?? INTERACTION_TABLE;
  if (!isMedicationResource(input.proposed)) {
    throw new PrescribingError(
      "NOT_A_MEDICATION",
      "The proposed resource must be a MedicationRequest, MedicationStatement or MedicationDispense.",
    );
  }
  const proposed = identifyDrug(input.proposed, table);
  const ingredients = proposed.ingredients.map((i) => i.name);
  const findings: Finding[] = [];
  const notChecked = coverageNotes(input.coverage);
  if (ingredients.length === 0) notChecked.push(unknownProposedNote(proposed.display));
  const checkedAgainst = { medications: 0, allergies: 0, conditions: 0 };

  for (const record of input.medications) {
    if (!isMedicationResource(record.resource) || !isMedicationCurrent(record.resource)) continue;
    const drug = identifyDrug(record.resource, table);
    const author = record.author ?? medicationAuthor(record.resource);
    if (drug.ingredients.length === 0) {
      notChecked.push(unknownMedicationNote(drug.display, author));
      continue;
    }
    checkedAgainst.medications++;
    const against = target(record, drug.display, author);
    for (const match of matchDrugDrug(
      table,
      ingredients,
      drug.ingredients.map((i) => i.name),
    )) {
      findings.push(findingOf(table, match, proposed.display, against));
    }
  }

  for (const record of input.allergies) {
    if (record.resource?.resourceType !== "AllergyIntolerance" || !isAllergyActive(record.resource)) continue;
    const allergy = identifyAllergy(record.resource, table);
    const author = record.author ?? record.resource.recorder?.display ?? record.resource.asserter?.display;
    if (allergy.ingredients.size === 0 && allergy.classes.size === 0) {
      if (mayConcernDrugs(record.resource)) notChecked.push(unknownAllergyNote(allergy.display, author));
      continue;
    }
    checkedAgainst.allergies++;
    const against = target(record, allergy.display, author);
    for (const match of matchDrugAllergy(table, ingredients, allergy)) findings.push(findingOf(table, match, proposed.display, against));
  }

  for (const record of input.conditions) {
    if (record.resource?.resourceType !== "Condition" || !isConditionActive(record.resource)) continue;
    const condition = identifyCondition(record.resource, table);
    checkedAgainst.conditions++;
    const author = record.author ?? record.resource.recorder?.display ?? record.resource.asserter?.display;
    const against = target(record, condition.display, author);
    for (const match of matchDrugCondition(table, ingredients, condition.groups)) {
      findings.push(findingOf(table, match, proposed.display, against));
    }
  }

  const sorted = sortFindings(findings);
  return { proposed, findings: sorted, overrideRequired: sorted.some(needsOverride), notChecked, checkedAgainst };
}
