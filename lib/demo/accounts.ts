/**
 * Synthetic demo identities on Hardhat's well-known development accounts (mnemonic "test test … junk").
 * These keys are public knowledge: they exist only on a local development chain and are never real people.
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** What a demo account plays in the local demo. */
export type DemoRole = "operator" | "patient" | "doctor" | "auditor";

/** One demo account: its index on the development mnemonic, its role and a synthetic display name. */
export interface DemoAccount {
  index: number;
  role: DemoRole;
  name: string;
  /** For doctors: whether the registry marks them able to break the glass. */
  emergencyCapable?: boolean;
}

/** The cast of the local demo, by account index. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { index: 0, role: "operator", name: "Gateway operator (registrar, relayer)" },
  { index: 1, role: "patient", name: "Jane Doe" },
  { index: 2, role: "doctor", name: "Dr. Alice Chen (family medicine)" },
  { index: 3, role: "doctor", name: "Dr. Omar Haddad (emergency)", emergencyCapable: true },
  { index: 4, role: "auditor", name: "Sam Reyes (compliance auditor)" },
  { index: 5, role: "patient", name: "John Roe" },
];

/** The BIP-44 path of the development account with this index, as Hardhat derives it. */
export function devAccountPath(index: number): string {
  return `m/44'/60'/0'/0/${index}`;
}
