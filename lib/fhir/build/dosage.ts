import { FREQUENCIES, ROUTES, type FrequencyKey, type RouteKey } from "../choices";
import { compact } from "../formChecks";
import { SNOMED, TIMING_ABBREVIATION } from "../systems";
import type { Dosage } from "../types";
import { quantity } from "./elements";

/** The parts of a structured dose, already checked. */
export interface DoseParts {
  value: number;
  unit: string;
  route: RouteKey;
  frequency: FrequencyKey;
  asNeeded: boolean;
  patientInstruction?: string;
}

/**
 * A FHIR Dosage from a checked dose: structured (dose quantity, route, timing) for systems that compute with it,
 * plus the same in words (`text`) for the people who read it: "500 mg by mouth three times a day".
 */
export function dosageOf(parts: DoseParts): Dosage {
  const route = ROUTES.find((r) => r.key === parts.route)!;
  const frequency = FREQUENCIES.find((f) => f.key === parts.frequency)!;
  const dose = quantity(parts.value, parts.unit);
  const asNeeded = parts.asNeeded || frequency.key === "as-needed";
  const when = frequency.key === "at-bedtime" ? ["HS"] : undefined;
  const words = [
    `${parts.value} ${dose.unit ?? parts.unit}`,
    route.label.toLowerCase(),
    frequency.key === "as-needed" ? undefined : frequency.label,
  ]
    .filter(Boolean)
    .join(" ");
  return compact<Dosage>({
    text: asNeeded ? `${words} when needed` : words,
    patientInstruction: parts.patientInstruction,
    timing:
      frequency.frequency === undefined
        ? undefined
        : compact({
            code: frequency.code ? { coding: [{ system: TIMING_ABBREVIATION, code: frequency.code }], text: frequency.label } : undefined,
            repeat: compact({ frequency: frequency.frequency, period: frequency.period, periodUnit: frequency.periodUnit, when }),
          }),
    asNeededBoolean: asNeeded || undefined,
    route: { coding: [{ system: SNOMED, code: route.snomed, display: route.display }], text: route.label },
    doseAndRate: [{ doseQuantity: dose }],
  });
}
