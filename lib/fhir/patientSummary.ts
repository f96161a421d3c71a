import { ADDRESS_SYSTEM } from "../audit/fhirCodes";
import { buildPatient, type PatientForm } from "./build/patient";
import { earliestInstant, instantOf, type DateInput } from "./dateChecks";
import { describeResource } from "./describe";
import { FieldChecks } from "./formChecks";
import type { BuildOptions, BuildResult } from "./formResult";
import { humanName, first } from "./read";
import type { PartyInput } from "./references";
import { isFhirResource, type FhirResource } from "./resource";
import { IPS, LIST_EMPTY_REASON, LOINC, URN_IETF_RFC_3986 } from "./systems";
import { listNarrative } from "./narrative";
import { newResourceId, uuidUrnFor } from "./ids";
import type { Composition, CompositionSection, DocumentBundle, Reference, ResourceBase } from "./types";

/** What the patient picked for her emergency summary. */
export interface PatientSummaryInput {
  /** The patient: her Patient record, or her name and details as a form holds them. */
  patient: FhirResource | PatientForm;
  allergies: readonly FhirResource[];
  problems: readonly FhirResource[];
  /** MedicationStatement or MedicationRequest records. */
  medications: readonly FhirResource[];
  /** Who assembles the summary (the patient herself, or a clinician). */
  author: PartyInput;
  /** When it is assembled (now when omitted). */
  date?: DateInput;
  /** She has no known allergies (said in the summary, rather than "no information"). */
  noKnownAllergies?: boolean;
  noKnownProblems?: boolean;
  noCurrentMedications?: boolean;
}

const SECTIONS = [
  {
    key: "allergies",
    title: "Allergies and intolerances",
    types: ["AllergyIntolerance"],
    noun: "an allergy",
    none: "No known allergies.",
    unknown: "No allergy information was included.",
  },
  {
    key: "problems",
    title: "Problem list",
    types: ["Condition"],
    noun: "a problem or diagnosis",
    none: "No known problems.",
    unknown: "No problem information was included.",
  },
  {
    key: "medications",
    title: "Medication summary",
    types: ["MedicationStatement", "MedicationRequest"],
    noun: "a medication",
    none: "No current medications.",
    unknown: "No medication information was included.",
  },
] as const;

const NONE_KNOWN = { allergies: "noKnownAllergies", problems: "noKnownProblems", medications: "noCurrentMedications" } as const;

/** Which element of each resource type names the patient. */
const SUBJECT_ELEMENT: Record<string, string> = {
  AllergyIntolerance: "patient",
  Condition: "subject",
  MedicationStatement: "subject",
  MedicationRequest: "subject",
};

/**
 * Keeps a document self-contained: a reference to something outside the Bundle keeps its display name and
 * identifier but drops the `reference` that a reader of the summary could not follow.
 */
function detachOutside(value: unknown, inside: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => detachOutside(v, inside));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = detachOutside(v, inside);
  const ref = out.reference;
  if (typeof ref === "string" && !ref.startsWith("#") && !inside.has(ref) && (out.display !== undefined || out.identifier !== undefined))
    delete out.reference;
  return out;
}

function addressOf(patient: FhirResource): string | undefined {
  const ids = Array.isArray(patient.identifier) ? (patient.identifier as Array<{ system?: string; value?: string }>) : [];
  return ids.find((i) => i.system === ADDRESS_SYSTEM)?.value?.toLowerCase();
}

/**
 * Assembles an International Patient Summary: a FHIR R4 document Bundle whose Composition (LOINC 60591-5) has
 * the three required IPS sections — allergies (48765-2), problems (11450-4), medications (10160-0) — each listing
 * the picked records, which follow as entries with the Patient. Entries get fresh `urn:uuid` identities, their
 * patient reference points at the Patient entry, and references to anything outside the Bundle keep only their
 * display name. An empty section says whether nothing is known or nothing was included.
 */
export function buildPatientSummary(input: PatientSummaryInput, options?: BuildOptions): BuildResult<DocumentBundle> {
  const c = new FieldChecks(options);
  const date = c.date("date", input.date, { what: "the date of the summary", time: true, past: true }) ?? instantOf(c.now);
  // Bundle.timestamp is an instant: a summary dated by day alone is stamped at the start of that day (UTC).
  const timestamp = date.includes("T") ? date : instantOf(new Date(earliestInstant(date)));

  let patient: FhirResource | undefined;
  if (isFhirResource(input.patient)) {
    if (input.patient.resourceType !== "Patient") c.fail("patient", "Choose the patient’s own details for the summary.");
    else patient = structuredClone(input.patient);
  } else {
    const built = buildPatient(input.patient as PatientForm, { now: c.now });
    if (built.ok) patient = built.resource as unknown as FhirResource;
    else for (const e of built.errors) c.fail(`patient.${e.field}`, e.message);
  }
  const patientUrl = `urn:uuid:${newResourceId()}`;
  const name = patient ? humanName(first(patient.name)) : undefined;
  if (patient && !name) c.fail("patient", "The summary needs the patient’s name.");
  const patientRef: Reference = name ? { reference: patientUrl, display: name } : { reference: patientUrl };

  const author = c.party("author", input.author, "the author", "Say who is making this summary.");
  const selfAuthored =
    author?.identifier?.value !== undefined && patient !== undefined && author.identifier.value.toLowerCase() === addressOf(patient);

  const entries: { fullUrl: string; resource: ResourceBase & Record<string, unknown> }[] = [];
  const sections: CompositionSection[] = [];
  for (const section of SECTIONS) {
    const picked = input[section.key];
    const noneKnown = input[NONE_KNOWN[section.key]] === true;
    if (noneKnown && picked.length > 0)
      c.fail(
        NONE_KNOWN[section.key],
        `You said there are none, but also picked some: clear one or the other (${section.title.toLowerCase()}).`,
      );
    const refs: Reference[] = [];
    const lines: string[] = [];
    picked.forEach((r, i) => {
      if (!isFhirResource(r) || !(section.types as readonly string[]).includes(r.resourceType)) {
        const what = isFhirResource(r) ? `“${describeResource(r).title}” is not ${section.noun}` : "This is not a record";
        c.fail(`${section.key}.${i}`, `${what}: pick it in the right list.`);
        return;
      }
      const id = newResourceId();
      const copy = structuredClone(r) as FhirResource;
      copy.id = id;
      copy[SUBJECT_ELEMENT[r.resourceType]] = patientRef;
      const fullUrl = `urn:uuid:${id}`;
      entries.push({ fullUrl, resource: copy as ResourceBase & Record<string, unknown> });
      const d = describeResource(copy);
      refs.push({ reference: fullUrl, display: d.title });
      lines.push(d.summary ? `${d.title} — ${d.summary}` : d.title);
    });
    const code = { coding: [{ system: LOINC, code: IPS[section.key].code, display: IPS[section.key].display }] };
    sections.push(
      refs.length > 0 || picked.length > 0
        ? { title: section.title, code, text: listNarrative(lines, section.unknown), entry: refs }
        : {
            title: section.title,
            code,
            text: listNarrative([], noneKnown ? section.none : section.unknown),
            emptyReason: {
              coding: [
                {
                  system: LIST_EMPTY_REASON,
                  code: noneKnown ? "nilknown" : "unavailable",
                  display: noneKnown ? "Nil Known" : "Unavailable",
                },
              ],
            },
          },
    );
  }

  return c.result(() => {
    const compositionUrl = uuidUrnFor(c.id);
    const inside = new Set([compositionUrl, patientUrl, ...entries.map((e) => e.fullUrl)]);
    const composition: Composition = {
      resourceType: "Composition",
      id: c.id,
      status: "final",
      type: { coding: [{ system: LOINC, code: IPS.document.code, display: IPS.document.display }] },
      subject: patientRef,
      date,
      author: [selfAuthored ? { ...patientRef } : author!],
      title: name ? `Patient summary of ${name}` : "Patient summary",
      section: sections,
    };
    const patientEntry = { ...patient!, id: patientUrl.slice("urn:uuid:".length) } as ResourceBase & Record<string, unknown>;
    return {
      resourceType: "Bundle",
      id: newResourceId(),
      identifier: { system: URN_IETF_RFC_3986, value: `urn:uuid:${newResourceId()}` },
      type: "document",
      timestamp,
      entry: [
        { fullUrl: compositionUrl, resource: detachOutside(composition, inside) as ResourceBase & Record<string, unknown> },
        { fullUrl: patientUrl, resource: patientEntry },
        ...entries.map((e) => ({
          fullUrl: e.fullUrl,
          resource: detachOutside(e.resource, inside) as ResourceBase & Record<string, unknown>,
        })),
      ],
    };
  });
}
