import { UNITS } from "../choices";
import { UCUM } from "../systems";
import type { Annotation, CodeableConcept, Quantity } from "../types";

/** A CodeableConcept with the person's words as text and, when known, one coding. */
export function concept(text: string, system?: string, code?: string, display?: string): CodeableConcept {
  const coding = system && code ? [display ? { system, code, display } : { system, code }] : undefined;
  return coding ? { coding, text } : { text };
}

/** A CodeableConcept from a fixed code (a status, a category), with its display. */
export function coded(system: string, code: string, display: string): CodeableConcept {
  return { coding: [{ system, code, display }] };
}

/** A Quantity with the UCUM code when the unit is one UCUM knows by the forms' unit list (`mcg` → `ug`). */
export function quantity(value: number, unit: string | undefined): Quantity {
  if (!unit) return { value };
  const known = UNITS.find((u) => u.key === unit || u.label === unit || u.ucum === unit);
  if (known?.ucum) return { value, unit: known.label, system: UCUM, code: known.ucum };
  return { value, unit };
}

/** A note list from optional text. */
export function notes(text: string | undefined): Annotation[] | undefined {
  return text ? [{ text }] : undefined;
}
