import { codingsOf, conceptDisplay, statusCodes, textsOf } from "./concepts";
import type { FhirCondition } from "./fhirTypes";
import { ICD10_SYSTEMS, SNOMED_SYSTEM } from "./fhirTypes";
import type { InteractionTable } from "./table";

/** A condition as the check understands it. */
export interface IdentifiedCondition {
  display: string;
  /** Ids of the table's condition groups it belongs to. */
  groups: ReadonlySet<string>;
}

/** Clinical statuses of a condition the patient has now. */
const ACTIVE = ["active", "recurrence", "relapse"];

/**
 * True when the condition is active (or recurred, or relapsed) and neither refuted nor entered in error. A
 * condition without a clinical status counts as active: the check errs on the side of a warning.
 */
export function isConditionActive(resource: FhirCondition): boolean {
  const verification = statusCodes(resource.verificationStatus);
  if (verification.some((c) => c === "refuted" || c === "entered-in-error")) return false;
  const clinical = statusCodes(resource.clinicalStatus);
  return clinical.length === 0 || clinical.some((c) => ACTIVE.includes(c));
}

/** ICD-10 codes compared without dots or case: "J45.909" and "j45909" are the same code. */
function icdKey(code: string): string {
  return code.replace(/\./g, "").trim().toUpperCase();
}

/** Recognises the table's condition groups in a condition: SNOMED CT code, ICD-10 prefix, or words. */
export function identifyCondition(resource: FhirCondition, table: InteractionTable): IdentifiedCondition {
  const groups = new Set<string>();
  for (const coding of codingsOf(resource.code)) {
    if (!coding.code || !coding.system) continue;
    for (const group of table.conditionGroups.values()) {
      if (coding.system === SNOMED_SYSTEM && group.snomed.includes(coding.code.trim())) groups.add(group.id);
      if (ICD10_SYSTEMS.includes(coding.system) && group.icd10.some((prefix) => icdKey(coding.code!).startsWith(icdKey(prefix)))) {
        groups.add(group.id);
      }
    }
  }
  for (const text of textsOf(resource.code)) for (const id of table.conditionWords.find(text)) groups.add(id);
  return { display: conceptDisplay(resource.code, "unnamed condition"), groups };
}
