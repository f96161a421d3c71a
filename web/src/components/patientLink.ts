import type { ServedDeployment } from "../../../lib/client";
import { checksumAddress, normalizeAddress } from "../../../lib/crypto/address";

/**
 * The emergency card's link: it names a patient (EIP-55 address) on one ledger (chain id + ConsentLedger address)
 * and nothing else — no name, no health data — so a lost card tells a finder nothing an ER gateway would not.
 */
export function patientLink(origin: string, patient: string, deployment: ServedDeployment): string {
  const url = new URL("/", origin);
  url.searchParams.set("patient", checksumAddress(patient));
  url.searchParams.set("chain", String(deployment.chainId));
  url.searchParams.set("ledger", checksumAddress(ledgerAddress(deployment)));
  return url.toString();
}

/** What a scanned or followed link says: the patient it names, no link at all, or why it cannot be used here. */
export type PatientLinkResult = { kind: "patient"; patient: string } | { kind: "none" } | { kind: "invalid"; reason: string };

/**
 * Reads a patient link (a full URL, or the query string of this page) against the deployment this gateway serves.
 * The address must be in its checksummed form, as the card prints it (a changed character is then caught), and the
 * chain and ledger must be this gateway's: a card from another deployment names a patient this ledger does not know.
 */
export function readPatientLink(link: string, deployment: ServedDeployment): PatientLinkResult {
  let params: URLSearchParams;
  try {
    params = new URL(link, "http://link.invalid").searchParams;
  } catch {
    return { kind: "invalid", reason: "That is not a link from a Consent Ledger emergency card." };
  }
  const patient = params.get("patient");
  if (patient === null) {
    return params.has("chain") || params.has("ledger")
      ? { kind: "invalid", reason: "The link names no patient: scan the card again or ask for the patient's card." }
      : { kind: "none" };
  }
  if (!isChecksummed(patient)) {
    return {
      kind: "invalid",
      reason: "The patient's identifier in the link is damaged (a character is wrong or missing). Scan the card again.",
    };
  }
  if (params.get("chain") !== String(deployment.chainId) || !sameAddress(params.get("ledger"), ledgerAddress(deployment))) {
    return {
      kind: "invalid",
      reason: "This card belongs to another Consent Ledger network than the one this gateway serves, so the patient cannot be opened here.",
    };
  }
  return { kind: "patient", patient };
}

function ledgerAddress(deployment: ServedDeployment): string {
  const ledger = deployment.contracts.ConsentLedger;
  if (ledger === undefined) throw new Error("The served deployment lists no ConsentLedger.");
  return ledger.address;
}

function isChecksummed(address: string): boolean {
  try {
    return checksumAddress(address) === address;
  } catch {
    return false;
  }
}

function sameAddress(a: string | null, b: string): boolean {
  if (a === null) return false;
  try {
    return normalizeAddress(a) === normalizeAddress(b);
  } catch {
    return false;
  }
}
