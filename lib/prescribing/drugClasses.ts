import { tableOf } from "../data/tableOf";

/** The drug classes rules refer to, with the words shown to a prescriber. Membership is declared per ingredient. */
export const DRUG_CLASSES = tableOf(
  ["id", "label"],
  [
    ["nsaid", "NSAIDs"],
    ["salicylate", "salicylates (aspirin)"],
    ["ssri", "SSRIs"],
    ["snri", "SNRIs"],
    ["maoi", "MAO inhibitors"],
    ["serotonergic-opioid", "serotonergic opioids (meperidine, tramadol, methadone)"],
    ["opioid", "opioids"],
    ["benzodiazepine", "benzodiazepines"],
    ["ppi", "proton pump inhibitors"],
    ["statin-cyp3a4", "CYP3A4-metabolised statins (simvastatin, lovastatin)"],
    ["cyp3a4-inhibitor", "CYP3A4 inhibitors the simvastatin and lovastatin labels contraindicate"],
    ["potassium-sparing-diuretic", "potassium-sparing diuretics"],
    ["potassium-supplement", "potassium supplements"],
    ["ace-inhibitor", "ACE inhibitors"],
    ["pde5-inhibitor", "PDE5 inhibitors"],
    ["nitrate", "nitrates"],
    ["qt-known-risk", "drugs with a known risk of torsades de pointes"],
    ["thiazide", "thiazide diuretics"],
    ["penicillin", "penicillins"],
    ["cephalosporin", "cephalosporins"],
    ["sulfonamide-antibiotic", "sulfonamide antibiotics"],
    ["beta-blocker-nonselective", "non-selective beta-blockers"],
    ["beta-blocker-cardioselective", "cardioselective beta-blockers"],
    ["beta2-agonist", "beta-2 agonists"],
    ["biguanide", "biguanides (metformin)"],
    ["fluoroquinolone", "fluoroquinolones"],
  ],
);

/** A drug class id. */
export type DrugClassId = (typeof DRUG_CLASSES)[number]["id"];

/** Every class id, for validation. */
export const DRUG_CLASS_IDS = DRUG_CLASSES.map((c) => c.id) as [DrugClassId, ...DrugClassId[]];
