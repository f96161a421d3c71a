import { ADDRESS_SYSTEM } from "../audit/fhirCodes";
import { checksumAddress } from "../crypto/address";
import type { Reference } from "./types";

/**
 * A person or organization as a form knows them: a display name ("Dr. Alice Chen"), their wallet address, and/or
 * a FHIR reference (`Practitioner/…`, `urn:uuid:…`). At least one is needed.
 */
export interface PartyInput {
  display?: string;
  address?: string;
  reference?: string;
}

/** A reference to another record, as a form holds it: `"MedicationRequest/abc"`, `"urn:uuid:…"`, or an object. */
export type ReferenceInput = string | { reference?: string; display?: string };

// Relative (`Type/id`), a UUID URN, or an absolute http(s) URL: the reference forms FHIR R4 allows that this app
// can produce or meet in an import.
const REFERENCE =
  /^(?:[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|https?:\/\/\S+)$/;

/** Whether a string is a reference FHIR R4 allows here (relative, `urn:uuid:`, or absolute URL). */
export function isReference(text: string): boolean {
  return REFERENCE.test(text);
}

/** Outcome of reading a party or reference: absent, the FHIR Reference, or a message. */
export type ReferenceReading = { kind: "absent" } | { kind: "ok"; value: Reference } | { kind: "bad"; message: string };

function trimmed(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/**
 * A party as a FHIR Reference: `reference` when given, the wallet address as an identifier in
 * {@link ADDRESS_SYSTEM} (EIP-55), and the display name.
 */
export function readParty(input: PartyInput | undefined, who: string): ReferenceReading {
  if (input === undefined || input === null) return { kind: "absent" };
  const display = trimmed(input.display);
  const address = trimmed(input.address);
  const reference = trimmed(input.reference);
  if (!display && !address && !reference) return { kind: "absent" };
  const out: Reference = {};
  if (reference) {
    if (!isReference(reference)) return { kind: "bad", message: `The link to ${who} is not a record reference (like Practitioner/123).` };
    out.reference = reference;
  }
  if (address) {
    try {
      out.identifier = { system: ADDRESS_SYSTEM, value: checksumAddress(address) };
    } catch {
      return { kind: "bad", message: `The wallet address of ${who} is not valid: it is 0x followed by 40 letters and digits.` };
    }
  }
  if (display) out.display = display;
  return { kind: "ok", value: out };
}

/** A record reference from a form value. */
export function readReference(input: ReferenceInput | undefined, what: string): ReferenceReading {
  if (input === undefined || input === null) return { kind: "absent" };
  const reference = trimmed(typeof input === "string" ? input : input.reference);
  const display = typeof input === "string" ? undefined : trimmed(input.display);
  if (!reference) return display ? { kind: "ok", value: { display } } : { kind: "absent" };
  if (!isReference(reference))
    return { kind: "bad", message: `${what} must point to a record (like MedicationRequest/123 or urn:uuid:…), not “${reference}”.` };
  return { kind: "ok", value: display ? { reference, display } : { reference } };
}
