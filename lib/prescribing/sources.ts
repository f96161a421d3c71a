import type { SourceEntry } from "./tableTypes";

/**
 * The public sources the rules are taken from. Each rule was written for this project from the published fact
 * (a label's contraindication or warning, a guideline's recommendation, a consensus list's pair); no licensed
 * interaction database was copied. Labels are the US prescribing information (DailyMed, dailymed.nlm.nih.gov).
 */
export const SOURCES: SourceEntry[] = [
  {
    id: "onc-high-priority-ddi",
    citation:
      "ONC high-priority drug–drug interaction list: Phansalkar S, Desai AA, Bell D, et al. High-priority drug–drug interactions for use in electronic health records. J Am Med Inform Assoc. 2012;19(5):735–743",
    url: "https://doi.org/10.1136/amiajnl-2011-000612",
  },
  {
    id: "fda-warfarin-label",
    citation:
      "FDA label, Coumadin (warfarin sodium), Drug Interactions: CYP2C9 inhibitors (e.g. amiodarone, fluconazole, metronidazole, sulfamethoxazole) raise INR; NSAIDs and antiplatelet agents add bleeding risk",
  },
  {
    id: "fda-clopidogrel-label",
    citation: "FDA label, Plavix (clopidogrel), Warnings: avoid concomitant omeprazole or esomeprazole (CYP2C19 inhibition)",
  },
  {
    id: "fda-statin-cyp3a4",
    citation:
      "FDA Drug Safety Communications of 8 June 2011 (simvastatin) and 28 February 2012 (statins); Zocor (simvastatin) and Mevacor (lovastatin) labels: contraindicated with strong CYP3A4 inhibitors",
  },
  {
    id: "fda-methotrexate-label",
    citation:
      "FDA label, methotrexate tablets, Drug Interactions: trimethoprim/sulfamethoxazole adds bone-marrow suppression; NSAIDs reduce methotrexate clearance",
  },
  {
    id: "fda-potassium-sparing-labels",
    citation:
      "FDA labels, Aldactone (spironolactone) and Midamor (amiloride): hyperkalaemia with potassium supplements; amiloride contraindicated with them",
  },
  {
    id: "fda-ace-inhibitor-label",
    citation:
      "FDA label, Zestril (lisinopril), Warnings and Drug Interactions: hyperkalaemia with potassium-sparing diuretics or potassium supplements; lithium toxicity",
  },
  {
    id: "fda-pde5-labels",
    citation: "FDA labels, Viagra (sildenafil), Cialis (tadalafil), Levitra (vardenafil): contraindicated with any nitrate",
  },
  {
    id: "crediblemeds-qt",
    citation: "CredibleMeds (AZCERT) QTdrugs list: drugs with a known risk of torsades de pointes",
    url: "https://crediblemeds.org",
  },
  {
    id: "fda-lithium-label",
    citation: "FDA label, lithium carbonate, Drug Interactions: NSAIDs, thiazide diuretics and ACE inhibitors raise serum lithium",
  },
  {
    id: "fda-maoi-labels",
    citation:
      "FDA labels, Nardil (phenelzine) and Parnate (tranylcypromine), and SSRI/SNRI labels: contraindicated together, and with meperidine, tramadol, methadone or dextromethorphan",
  },
  {
    id: "fda-linezolid-2011",
    citation: "FDA Drug Safety Communication, 2011: serotonin syndrome when linezolid is given with serotonergic psychiatric drugs",
  },
  {
    id: "fda-tramadol-label",
    citation: "FDA label, Ultram (tramadol), Warnings: serotonin syndrome with SSRIs and SNRIs",
  },
  {
    id: "fda-tizanidine-label",
    citation: "FDA label, Zanaflex (tizanidine): contraindicated with fluvoxamine or ciprofloxacin",
  },
  {
    id: "fda-opioid-benzodiazepine-2016",
    citation: "FDA Drug Safety Communication, 31 August 2016: boxed warning on combined use of opioids and benzodiazepines",
  },
  {
    id: "fda-digoxin-label",
    citation: "FDA label, Lanoxin (digoxin), Drug Interactions: amiodarone raises serum digoxin; reduce the digoxin dose",
  },
  {
    id: "fda-azathioprine-label",
    citation: "FDA label, Imuran (azathioprine), Drug Interactions: with allopurinol, reduce azathioprine to one-third to one-quarter",
  },
  {
    id: "fda-beta-blocker-labels",
    citation:
      "FDA labels, Inderal (propranolol), Corgard (nadolol), Timoptic (timolol) and Coreg (carvedilol): contraindicated in bronchial asthma",
  },
  {
    id: "gina-2024",
    citation:
      "Global Initiative for Asthma (GINA), Global Strategy for Asthma Management and Prevention, 2024: non-selective beta-blockers (oral or eye drops) can cause severe bronchospasm; cardioselective ones only with care",
    url: "https://ginasthma.org/reports/",
  },
  {
    id: "fda-penicillin-labels",
    citation:
      "FDA labels of penicillins (e.g. amoxicillin): contraindicated after a serious hypersensitivity reaction to the drug or to other beta-lactams",
  },
  {
    id: "aaaai-drug-allergy-2022",
    citation:
      "Khan DA, Banerji A, Blumenthal KG, et al. Drug allergy: a 2022 practice parameter update (AAAAI/ACAAI). J Allergy Clin Immunol. 2022;150(6):1333–1393",
    url: "https://doi.org/10.1016/j.jaci.2022.08.028",
  },
  {
    id: "fda-cephalosporin-labels",
    citation: "FDA labels of cephalosporins (e.g. Keflex, cephalexin): contraindicated in known allergy to the cephalosporin class",
  },
  {
    id: "fda-smx-tmp-label",
    citation: "FDA label, Bactrim (sulfamethoxazole and trimethoprim): contraindicated in known hypersensitivity to sulfonamides",
  },
  {
    id: "fda-nsaid-labels",
    citation: "FDA NSAID class labeling: contraindicated after asthma, urticaria or allergic-type reactions to aspirin or other NSAIDs",
  },
  {
    id: "fda-hypersensitivity",
    citation: "FDA labels: known hypersensitivity to the drug is a contraindication",
  },
  {
    id: "ags-beers-2023",
    citation:
      "American Geriatrics Society 2023 Updated AGS Beers Criteria for potentially inappropriate medication use in older adults. J Am Geriatr Soc. 2023;71(7):2052–2081",
    url: "https://doi.org/10.1111/jgs.18372",
  },
  {
    id: "kdigo-ckd-2012",
    citation:
      "KDIGO 2012 Clinical Practice Guideline for the Evaluation and Management of Chronic Kidney Disease. Kidney Int Suppl. 2013;3(1):1–150: avoid prolonged NSAID use in CKD",
  },
  {
    id: "aha-acc-hfsa-hf-2022",
    citation:
      "2022 AHA/ACC/HFSA Guideline for the Management of Heart Failure (Heidenreich PA, et al. Circulation. 2022;145:e895–e1032): NSAIDs worsen heart failure",
  },
  {
    id: "fda-metformin-2016",
    citation:
      "FDA Drug Safety Communication, 8 April 2016, and Glucophage (metformin) label: contraindicated when eGFR is below 30 mL/min/1.73 m²",
  },
  {
    id: "fda-fluoroquinolone-boxed",
    citation: "FDA boxed warning on fluoroquinolones (2011): may exacerbate muscle weakness in myasthenia gravis; avoid",
  },
];
