/** The drug classes rules refer to, with the words shown to a prescriber. Membership is declared per ingredient. */
export const DRUG_CLASSES = [
  { id: "nsaid", label: "NSAIDs" },
  { id: "salicylate", label: "salicylates (aspirin)" },
  { id: "ssri", label: "SSRIs" },
  { id: "snri", label: "SNRIs" },
  { id: "maoi", label: "MAO inhibitors" },
  { id: "serotonergic-opioid", label: "serotonergic opioids (meperidine, tramadol, methadone)" },
  { id: "opioid", label: "opioids" },
  { id: "benzodiazepine", label: "benzodiazepines" },
  { id: "ppi", label: "proton pump inhibitors" },
  { id: "statin-cyp3a4", label: "CYP3A4-metabolised statins (simvastatin, lovastatin)" },
  { id: "cyp3a4-inhibitor", label: "CYP3A4 inhibitors the simvastatin and lovastatin labels contraindicate" },
  { id: "potassium-sparing-diuretic", label: "potassium-sparing diuretics" },
  { id: "potassium-supplement", label: "potassium supplements" },
  { id: "ace-inhibitor", label: "ACE inhibitors" },
  { id: "pde5-inhibitor", label: "PDE5 inhibitors" },
  { id: "nitrate", label: "nitrates" },
  { id: "qt-known-risk", label: "drugs with a known risk of torsades de pointes" },
  { id: "thiazide", label: "thiazide diuretics" },
  { id: "penicillin", label: "penicillins" },
  { id: "cephalosporin", label: "cephalosporins" },
  { id: "sulfonamide-antibiotic", label: "sulfonamide antibiotics" },
  { id: "beta-blocker-nonselective", label: "non-selective beta-blockers" },
  { id: "beta-blocker-cardioselective", label: "cardioselective beta-blockers" },
  { id: "beta2-agonist", label: "beta-2 agonists" },
  { id: "biguanide", label: "biguanides (metformin)" },
  { id: "fluoroquinolone", label: "fluoroquinolones" },
] as const;

/** A drug class id. */
export type DrugClassId = (typeof DRUG_CLASSES)[number]["id"];

/** Every class id, for validation. */
export const DRUG_CLASS_IDS = DRUG_CLASSES.map((c) => c.id) as [DrugClassId, ...DrugClassId[]];
