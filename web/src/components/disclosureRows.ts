import type { DisclosureEntry } from "../../../lib/disclosure/entries";
import { categoryLabel, PURPOSES } from "../../../lib/consent/codes";
import { nameOf, type Directory } from "./names";

/** One disclosure, in words: when, who read, what, why, and on what basis. */
export interface DisclosureRow {
  seq: number;
  time: string;
  reader: string;
  readerName: string;
  patient: string;
  category: number;
  categoryText: string;
  purposeText: string;
  basis: DisclosureEntry["basis"];
  basisText: string;
  emergency: boolean;
  /** What the reader said when asking (break-glass key releases), empty otherwise. */
  justification: string;
  cid: string;
}

/** "Treatment (TREAT)", or "—" for a patient reading their own record (purpose 0). */
export function purposeText(purpose: number): string {
  const p = PURPOSES.find((x) => x.id === purpose);
  return p ? `${p.label} (${p.code})` : purpose === 0 ? "—" : `purpose ${purpose}`;
}

const BASIS_TEXT: Record<DisclosureEntry["basis"], string> = {
  patient: "the patient's own access",
  grant: "under a grant",
  emergency: "EMERGENCY (break-glass)",
};

/** A log entry as a row for people. */
export function disclosureRow(entry: DisclosureEntry, dir: Directory): DisclosureRow {
  return {
    seq: entry.seq,
    time: entry.time,
    reader: entry.reader,
    readerName: nameOf(entry.reader, dir),
    patient: entry.patient,
    category: entry.category,
    categoryText: categoryLabel(entry.category),
    purposeText: purposeText(entry.purpose),
    basis: entry.basis,
    basisText: BASIS_TEXT[entry.basis] ?? entry.basis,
    emergency: entry.basis === "emergency",
    justification: entry.justification ?? "",
    cid: entry.cid,
  };
}
