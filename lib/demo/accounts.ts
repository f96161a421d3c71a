import { PROVIDER_KIND, type ProviderKind } from "../consent/codes";

/**
 * Synthetic demo identities on the well-known development accounts (mnemonic "test test … junk", shared by
 * Hardhat and Anvil). These keys are public knowledge: they exist only on a local development chain and are never
 * real people.
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * What a demo account plays: the ledger administrator (deployer, manages roles), a patient, a verified provider, an
 * auditor, the registrar (the health authority that verifies providers) or an organization's gateway relayer.
 */
export type DemoRole = "admin" | "patient" | "provider" | "auditor" | "registrar" | "relayer";

/** One demo account: its index on the development mnemonic, its role and a synthetic display name. */
export interface DemoAccount {
  index: number;
  role: DemoRole;
  /** Display name; for providers, also the name the registrar verifies. */
  name: string;
  /** For providers and relayers: the organization they work for or serve. */
  organization?: string;
  /** For providers: what the registry records them as. */
  kind?: ProviderKind;
  /** For providers: whether the registry lets them break the glass. */
  emergencyCapable?: boolean;
}

/** The cast of the local demo, by account index (Anvil runs with `--accounts 12`, so indexes 0..11 are funded). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { index: 0, role: "admin", name: "Ledger administrator" },
  { index: 1, role: "patient", name: "Jane Doe" },
  {
    index: 2,
    role: "provider",
    name: "Dr. Alice Chen (family medicine)",
    organization: "Riverside Family Clinic",
    kind: PROVIDER_KIND.CLINICIAN,
  },
  {
    index: 3,
    role: "provider",
    name: "Dr. Omar Haddad (emergency)",
    organization: "Lakeside Hospital ER",
    kind: PROVIDER_KIND.CLINICIAN,
    emergencyCapable: true,
  },
  { index: 4, role: "auditor", name: "Sam Reyes (compliance auditor)" },
  { index: 5, role: "patient", name: "John Roe" },
  { index: 6, role: "registrar", name: "State health authority" },
  { index: 7, role: "relayer", name: "Riverside Family Clinic gateway", organization: "Riverside Family Clinic" },
  { index: 8, role: "relayer", name: "Lakeside Hospital ER gateway", organization: "Lakeside Hospital ER" },
  {
    index: 9,
    role: "provider",
    name: "Main Street Pharmacy",
    organization: "Main Street Pharmacy",
    kind: PROVIDER_KIND.PHARMACY,
  },
  {
    index: 10,
    role: "provider",
    name: "Dr. Priya Patel (cardiology)",
    organization: "Hillside Cardiology Associates",
    kind: PROVIDER_KIND.CLINICIAN,
  },
];

/** Demo account indexes by who plays them (scripts and tests): `DEMO.JANE === 1`. */
export const DEMO = {
  ADMIN: 0,
  JANE: 1,
  DR_CHEN: 2,
  DR_HADDAD: 3,
  SAM: 4,
  JOHN: 5,
  REGISTRAR: 6,
  RIVERSIDE_RELAYER: 7,
  LAKESIDE_RELAYER: 8,
  PHARMACY: 9,
  DR_PATEL: 10,
} as const;

/** The demo accounts that play `role`, in index order. */
export function demoAccountsWithRole(role: DemoRole): DemoAccount[] {
  return DEMO_ACCOUNTS.filter((a) => a.role === role);
}

/** The one demo account that plays `role` (the administrator, the registrar, the auditor). */
export function demoAccountWithRole(role: "admin" | "registrar" | "auditor"): DemoAccount {
  const [account] = demoAccountsWithRole(role);
  if (account === undefined) throw new Error(`No demo account plays ${role}.`);
  return account;
}

/** The BIP-44 path of the development account with this index, as Hardhat and Anvil derive it. */
export function devAccountPath(index: number): string {
  return `m/44'/60'/0'/0/${index}`;
}
