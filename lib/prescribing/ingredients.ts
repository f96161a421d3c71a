import type { IngredientEntry } from "./tableTypes";

/**
 * The drug ingredients the rules name, keyed by RxNorm ingredient RxCUI and by name. `codeCheck` says how each
 * RxCUI was checked (see {@link CodeCheck}); every ingredient is also recognised by its name and synonyms, so an
 * unverified or absent code never makes a drug invisible. Brand names are US brands unless noted.
 */
export const INGREDIENTS: IngredientEntry[] = [
  // Anticoagulant, antiplatelet
  { name: "warfarin", rxcui: "11289", codeCheck: "cpic", synonyms: ["coumadin", "jantoven"] },
  { name: "clopidogrel", rxcui: "32968", codeCheck: "cpic", synonyms: ["plavix"] },
  { name: "aspirin", rxcui: "1191", codeCheck: "cpic", synonyms: ["acetylsalicylic acid", "ecotrin"], classes: ["salicylate"] },

  // NSAIDs
  { name: "ibuprofen", rxcui: "5640", codeCheck: "cross-checked", synonyms: ["advil", "motrin", "brufen", "nurofen"], classes: ["nsaid"] },
  { name: "naproxen", rxcui: "7258", codeCheck: "cross-checked", synonyms: ["aleve", "naprosyn", "anaprox"], classes: ["nsaid"] },
  { name: "diclofenac", rxcui: "3355", codeCheck: "cpic", synonyms: ["voltaren", "cataflam"], classes: ["nsaid"] },
  { name: "celecoxib", rxcui: "140587", codeCheck: "cpic", synonyms: ["celebrex"], classes: ["nsaid"] },
  { name: "ketorolac", rxcui: "35827", codeCheck: "unverified", synonyms: ["toradol"], classes: ["nsaid"] },
  { name: "meloxicam", rxcui: "41493", codeCheck: "unverified", synonyms: ["mobic"], classes: ["nsaid"] },
  { name: "indomethacin", rxcui: "5781", codeCheck: "unverified", synonyms: ["indometacin", "indocin"], classes: ["nsaid"] },

  // Antifungals, anti-infectives
  { name: "fluconazole", rxcui: "4450", codeCheck: "cross-checked", synonyms: ["diflucan"] },
  { name: "itraconazole", rxcui: "28031", codeCheck: "unverified", synonyms: ["sporanox"], classes: ["cyp3a4-inhibitor"] },
  { name: "ketoconazole", rxcui: "6135", codeCheck: "unverified", synonyms: ["nizoral"], classes: ["cyp3a4-inhibitor"] },
  { name: "voriconazole", rxcui: "121243", codeCheck: "cpic", synonyms: ["vfend"], classes: ["cyp3a4-inhibitor"] },
  { name: "metronidazole", rxcui: "6922", codeCheck: "cross-checked", synonyms: ["flagyl"] },
  {
    name: "clarithromycin",
    rxcui: "21212",
    codeCheck: "cross-checked",
    synonyms: ["biaxin"],
    classes: ["cyp3a4-inhibitor", "qt-known-risk"],
  },
  {
    name: "erythromycin",
    rxcui: "4053",
    codeCheck: "cpic",
    synonyms: ["ery tab", "erythrocin"],
    classes: ["cyp3a4-inhibitor", "qt-known-risk"],
  },
  { name: "azithromycin", rxcui: "18631", codeCheck: "cross-checked", synonyms: ["zithromax", "z pak"], classes: ["qt-known-risk"] },
  { name: "ciprofloxacin", rxcui: "2551", codeCheck: "cpic", synonyms: ["cipro"], classes: ["fluoroquinolone", "qt-known-risk"] },
  { name: "levofloxacin", rxcui: "82122", codeCheck: "cpic", synonyms: ["levaquin"], classes: ["fluoroquinolone", "qt-known-risk"] },
  { name: "moxifloxacin", rxcui: "139462", codeCheck: "cpic", synonyms: ["avelox"], classes: ["fluoroquinolone", "qt-known-risk"] },
  { name: "linezolid", rxcui: "190376", codeCheck: "unverified", synonyms: ["zyvox"] },
  {
    name: "sulfamethoxazole",
    rxcui: "10180",
    codeCheck: "unverified",
    synonyms: ["bactrim", "septra", "co trimoxazole", "cotrimoxazole", "smx"],
    classes: ["sulfonamide-antibiotic"],
  },
  { name: "sulfadiazine", rxcui: "10171", codeCheck: "cpic", classes: ["sulfonamide-antibiotic"] },
  {
    name: "trimethoprim",
    rxcui: "10829",
    codeCheck: "unverified",
    synonyms: ["bactrim", "septra", "co trimoxazole", "cotrimoxazole", "tmp"],
  },

  // Penicillins, cephalosporins
  {
    name: "amoxicillin",
    rxcui: "723",
    codeCheck: "cross-checked",
    synonyms: ["amoxil", "augmentin", "co amoxiclav"],
    classes: ["penicillin"],
  },
  { name: "ampicillin", rxcui: "733", codeCheck: "unverified", synonyms: ["unasyn"], classes: ["penicillin"] },
  {
    name: "penicillin g",
    rxcui: "7980",
    codeCheck: "unverified",
    synonyms: ["benzylpenicillin", "bicillin", "pfizerpen"],
    classes: ["penicillin"],
  },
  { name: "penicillin v", rxcui: "7984", codeCheck: "unverified", synonyms: ["phenoxymethylpenicillin"], classes: ["penicillin"] },
  { name: "piperacillin", rxcui: "8339", codeCheck: "unverified", synonyms: ["zosyn", "tazocin"], classes: ["penicillin"] },
  { name: "dicloxacillin", codeCheck: "unverified", classes: ["penicillin"] },
  { name: "cephalexin", rxcui: "2231", codeCheck: "unverified", synonyms: ["cefalexin", "keflex"], classes: ["cephalosporin"] },
  { name: "cefazolin", rxcui: "2180", codeCheck: "unverified", synonyms: ["cefazoline", "ancef"], classes: ["cephalosporin"] },
  { name: "ceftriaxone", rxcui: "2193", codeCheck: "unverified", synonyms: ["rocephin"], classes: ["cephalosporin"] },
  { name: "cefuroxime", codeCheck: "unverified", synonyms: ["ceftin", "zinacef", "zinnat"], classes: ["cephalosporin"] },
  { name: "cefdinir", codeCheck: "unverified", synonyms: ["omnicef"], classes: ["cephalosporin"] },

  // Antidepressants
  { name: "fluoxetine", rxcui: "4493", codeCheck: "cpic", synonyms: ["prozac"], classes: ["ssri"] },
  { name: "sertraline", rxcui: "36437", codeCheck: "cpic", synonyms: ["zoloft", "lustral"], classes: ["ssri"] },
  { name: "paroxetine", rxcui: "32937", codeCheck: "cpic", synonyms: ["paxil", "seroxat"], classes: ["ssri"] },
  { name: "citalopram", rxcui: "2556", codeCheck: "cpic", synonyms: ["celexa", "cipramil"], classes: ["ssri", "qt-known-risk"] },
  { name: "escitalopram", rxcui: "321988", codeCheck: "cpic", synonyms: ["lexapro", "cipralex"], classes: ["ssri", "qt-known-risk"] },
  { name: "fluvoxamine", rxcui: "42355", codeCheck: "cpic", synonyms: ["luvox"], classes: ["ssri"] },
  { name: "venlafaxine", rxcui: "39786", codeCheck: "cpic", synonyms: ["effexor"], classes: ["snri"] },
  { name: "duloxetine", rxcui: "72625", codeCheck: "cpic", synonyms: ["cymbalta"], classes: ["snri"] },
  { name: "phenelzine", rxcui: "8123", codeCheck: "atc-list", synonyms: ["nardil"], classes: ["maoi"] },
  { name: "tranylcypromine", rxcui: "10734", codeCheck: "atc-list", synonyms: ["parnate"], classes: ["maoi"] },
  { name: "isocarboxazid", rxcui: "6011", codeCheck: "atc-list", synonyms: ["marplan"], classes: ["maoi"] },
  { name: "selegiline", rxcui: "9639", codeCheck: "atc-list", synonyms: ["emsam", "eldepryl", "zelapar"], classes: ["maoi"] },
  { name: "lithium", rxcui: "6448", codeCheck: "cross-checked", synonyms: ["lithobid", "priadel", "camcolit"] },

  // Opioids, benzodiazepines, other CNS
  { name: "tramadol", rxcui: "10689", codeCheck: "cpic", synonyms: ["ultram", "ultracet"], classes: ["opioid", "serotonergic-opioid"] },
  {
    name: "meperidine",
    rxcui: "6754",
    codeCheck: "unverified",
    synonyms: ["pethidine", "demerol"],
    classes: ["opioid", "serotonergic-opioid"],
  },
  {
    name: "methadone",
    rxcui: "6813",
    codeCheck: "cpic",
    synonyms: ["dolophine", "methadose"],
    classes: ["opioid", "serotonergic-opioid", "qt-known-risk"],
  },
  { name: "oxycodone", rxcui: "7804", codeCheck: "cpic", synonyms: ["oxycontin", "roxicodone", "percocet"], classes: ["opioid"] },
  { name: "hydrocodone", rxcui: "5489", codeCheck: "unverified", synonyms: ["norco", "vicodin", "hysingla"], classes: ["opioid"] },
  { name: "hydromorphone", rxcui: "3423", codeCheck: "unverified", synonyms: ["dilaudid"], classes: ["opioid"] },
  { name: "morphine", rxcui: "7052", codeCheck: "cpic", synonyms: ["ms contin"], classes: ["opioid"] },
  { name: "fentanyl", rxcui: "4337", codeCheck: "cpic", synonyms: ["duragesic"], classes: ["opioid"] },
  { name: "codeine", rxcui: "2670", codeCheck: "cpic", classes: ["opioid"] },
  { name: "dextromethorphan", rxcui: "3289", codeCheck: "cpic", synonyms: ["robitussin dm"] },
  { name: "alprazolam", rxcui: "596", codeCheck: "unverified", synonyms: ["xanax"], classes: ["benzodiazepine"] },
  { name: "lorazepam", rxcui: "6470", codeCheck: "unverified", synonyms: ["ativan"], classes: ["benzodiazepine"] },
  { name: "diazepam", rxcui: "3322", codeCheck: "cpic", synonyms: ["valium"], classes: ["benzodiazepine"] },
  { name: "clonazepam", rxcui: "2598", codeCheck: "unverified", synonyms: ["klonopin", "rivotril"], classes: ["benzodiazepine"] },
  { name: "tizanidine", rxcui: "57258", codeCheck: "unverified", synonyms: ["zanaflex"] },
  { name: "haloperidol", rxcui: "5093", codeCheck: "cpic", synonyms: ["haldol"], classes: ["qt-known-risk"] },
  { name: "ondansetron", rxcui: "26225", codeCheck: "cpic", synonyms: ["zofran"], classes: ["qt-known-risk"] },

  // Gastric acid
  { name: "omeprazole", rxcui: "7646", codeCheck: "cpic", synonyms: ["prilosec", "losec"], classes: ["ppi"] },
  { name: "esomeprazole", rxcui: "283742", codeCheck: "cpic", synonyms: ["nexium"], classes: ["ppi"] },
  { name: "pantoprazole", rxcui: "40790", codeCheck: "cpic", synonyms: ["protonix"], classes: ["ppi"] },

  // Lipids
  { name: "simvastatin", rxcui: "36567", codeCheck: "cpic", synonyms: ["zocor"], classes: ["statin-cyp3a4"] },
  { name: "lovastatin", rxcui: "6472", codeCheck: "unverified", synonyms: ["mevacor", "altoprev"], classes: ["statin-cyp3a4"] },

  // Immunology, gout
  { name: "methotrexate", rxcui: "6851", codeCheck: "cpic", synonyms: ["trexall", "otrexup", "rasuvo", "rheumatrex"] },
  { name: "azathioprine", rxcui: "1256", codeCheck: "cpic", synonyms: ["imuran"] },
  { name: "allopurinol", rxcui: "519", codeCheck: "cpic", synonyms: ["zyloprim"] },

  // Cardiovascular, renal
  { name: "amiodarone", rxcui: "703", codeCheck: "cross-checked", synonyms: ["cordarone", "pacerone"], classes: ["qt-known-risk"] },
  {
    name: "sotalol",
    rxcui: "9947",
    codeCheck: "atc-list",
    synonyms: ["betapace", "sotalex"],
    classes: ["qt-known-risk", "beta-blocker-nonselective"],
  },
  { name: "digoxin", rxcui: "3407", codeCheck: "cpic", synonyms: ["lanoxin"] },
  { name: "spironolactone", rxcui: "9997", codeCheck: "cpic", synonyms: ["aldactone"], classes: ["potassium-sparing-diuretic"] },
  { name: "amiloride", rxcui: "644", codeCheck: "unverified", synonyms: ["midamor"], classes: ["potassium-sparing-diuretic"] },
  {
    name: "triamterene",
    rxcui: "10763",
    codeCheck: "unverified",
    synonyms: ["dyrenium", "maxzide", "dyazide"],
    classes: ["potassium-sparing-diuretic"],
  },
  { name: "eplerenone", rxcui: "298869", codeCheck: "unverified", synonyms: ["inspra"], classes: ["potassium-sparing-diuretic"] },
  {
    name: "potassium chloride",
    rxcui: "8591",
    codeCheck: "unverified",
    synonyms: ["kcl", "klor con", "k dur"],
    classes: ["potassium-supplement"],
  },
  { name: "lisinopril", rxcui: "29046", codeCheck: "atc-list", synonyms: ["zestril", "prinivil"], classes: ["ace-inhibitor"] },
  { name: "enalapril", rxcui: "3827", codeCheck: "atc-list", synonyms: ["vasotec"], classes: ["ace-inhibitor"] },
  { name: "ramipril", rxcui: "35296", codeCheck: "atc-list", synonyms: ["altace"], classes: ["ace-inhibitor"] },
  { name: "captopril", rxcui: "1998", codeCheck: "cpic", synonyms: ["capoten"], classes: ["ace-inhibitor"] },
  { name: "benazepril", rxcui: "18867", codeCheck: "atc-list", synonyms: ["lotensin"], classes: ["ace-inhibitor"] },
  {
    name: "hydrochlorothiazide",
    rxcui: "5487",
    codeCheck: "cpic",
    synonyms: ["hctz", "microzide", "maxzide", "dyazide"],
    classes: ["thiazide"],
  },
  { name: "chlorthalidone", rxcui: "2409", codeCheck: "unverified", synonyms: ["chlortalidone", "thalitone"], classes: ["thiazide"] },
  { name: "sildenafil", rxcui: "136411", codeCheck: "cpic", synonyms: ["viagra", "revatio"], classes: ["pde5-inhibitor"] },
  { name: "tadalafil", rxcui: "358263", codeCheck: "unverified", synonyms: ["cialis", "adcirca"], classes: ["pde5-inhibitor"] },
  { name: "vardenafil", rxcui: "306674", codeCheck: "unverified", synonyms: ["levitra", "staxyn"], classes: ["pde5-inhibitor"] },
  {
    name: "nitroglycerin",
    rxcui: "4917",
    codeCheck: "unverified",
    synonyms: ["glyceryl trinitrate", "nitrostat", "nitro dur"],
    classes: ["nitrate"],
  },
  { name: "isosorbide mononitrate", codeCheck: "unverified", synonyms: ["imdur", "monoket"], classes: ["nitrate"] },
  { name: "isosorbide dinitrate", rxcui: "6058", codeCheck: "cpic", synonyms: ["isordil"], classes: ["nitrate"] },

  // Beta-blockers, bronchodilators
  { name: "propranolol", rxcui: "8787", codeCheck: "cpic", synonyms: ["inderal"], classes: ["beta-blocker-nonselective"] },
  { name: "nadolol", rxcui: "7226", codeCheck: "atc-list", synonyms: ["corgard"], classes: ["beta-blocker-nonselective"] },
  { name: "timolol", rxcui: "10600", codeCheck: "cpic", synonyms: ["timoptic"], classes: ["beta-blocker-nonselective"] },
  { name: "carvedilol", rxcui: "20352", codeCheck: "cpic", synonyms: ["coreg"], classes: ["beta-blocker-nonselective"] },
  { name: "metoprolol", rxcui: "6918", codeCheck: "cpic", synonyms: ["lopressor", "toprol"], classes: ["beta-blocker-cardioselective"] },
  { name: "atenolol", rxcui: "1202", codeCheck: "atc-list", synonyms: ["tenormin"], classes: ["beta-blocker-cardioselective"] },
  { name: "bisoprolol", rxcui: "19484", codeCheck: "atc-list", synonyms: ["zebeta"], classes: ["beta-blocker-cardioselective"] },
  {
    name: "albuterol",
    rxcui: "435",
    codeCheck: "cpic",
    synonyms: ["salbutamol", "ventolin", "proair", "proventil"],
    classes: ["beta2-agonist"],
  },
  { name: "salmeterol", rxcui: "36117", codeCheck: "cpic", synonyms: ["serevent", "advair"], classes: ["beta2-agonist"] },

  // Diabetes
  { name: "metformin", rxcui: "6809", codeCheck: "cpic", synonyms: ["glucophage", "fortamet", "glumetza"], classes: ["biguanide"] },
];
