import type { ConditionGroup } from "./tableTypes";

/**
 * The conditions the drug–condition rules refer to. SNOMED CT codes are matched exactly (no hierarchy is
 * available offline, so a more specific concept is recognised by its words instead); ICD-10 codes by prefix.
 * Every SNOMED code here was found with this meaning in several public sources (Synthea, HL7 guides, value sets).
 */
export const CONDITION_GROUPS: ConditionGroup[] = [
  {
    id: "asthma",
    label: "Asthma",
    // 195967001 Asthma; 233678006 Childhood asthma.
    snomed: ["195967001", "233678006"],
    icd10: ["J45", "J46"],
    text: ["asthma"],
  },
  {
    id: "ckd",
    label: "Chronic kidney disease",
    // 709044004 CKD; 433144002 stage 3; 431857002 stage 4; 433146000 stage 5; 46177005 end-stage renal disease.
    snomed: ["709044004", "433144002", "431857002", "433146000", "46177005"],
    icd10: ["N18"],
    text: ["chronic kidney disease", "chronic renal failure", "chronic renal insufficiency", "end stage renal disease", "ckd", "esrd"],
  },
  {
    id: "ckd-severe",
    label: "Chronic kidney disease stage 4–5 or end-stage",
    snomed: ["431857002", "433146000", "46177005"],
    icd10: ["N18.4", "N18.5", "N18.6"],
    text: [
      "chronic kidney disease stage 4",
      "chronic kidney disease stage 5",
      "chronic kidney disease stage iv",
      "chronic kidney disease stage v",
      "ckd stage 4",
      "ckd stage 5",
      "ckd 4",
      "ckd 5",
      "end stage renal disease",
      "esrd",
    ],
  },
  {
    id: "peptic-ulcer",
    label: "Peptic ulcer",
    // 13200003 Peptic ulcer; 397825006 Gastric ulcer; 51868009 Ulcer of duodenum.
    snomed: ["13200003", "397825006", "51868009"],
    icd10: ["K25", "K26", "K27", "K28"],
    text: ["peptic ulcer", "gastric ulcer", "duodenal ulcer", "ulcer of duodenum", "stomach ulcer"],
  },
  {
    id: "heart-failure",
    label: "Heart failure",
    // 84114007 Heart failure.
    snomed: ["84114007"],
    icd10: ["I50"],
    text: ["heart failure", "cardiac failure"],
  },
  {
    id: "myasthenia-gravis",
    label: "Myasthenia gravis",
    // 91637004 Myasthenia gravis.
    snomed: ["91637004"],
    icd10: ["G70.0"],
    text: ["myasthenia gravis"],
  },
];
