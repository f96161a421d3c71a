import { CATEGORIES } from "../consent/codes";
import type { FhirCodeSystem } from "./fhirTypes";

/**
 * The URIs this project defines for its FHIR exports. `consent-ledger.example` is a reserved example domain
 * (RFC 2606): the project owns no domain, and a deployment that publishes these definitions should replace
 * {@link FHIR_BASE} with its own. Each URI is documented here and, for the category codes, shipped in every Bundle
 * as a `CodeSystem` resource so the export explains itself.
 *
 * | URI | what |
 * | --- | --- |
 * | `{base}/CodeSystem/record-category` | record categories, codes = `ConsentCodes` keys (`PROBLEMS`, `LABS`, …) |
 * | `{base}/CodeSystem/audit-event-subtype` | `break-glass`: a provider opened the emergency summary |
 * | `{base}/NamingSystem/ethereum-address` | identifier system of wallets (patients, providers, gateways, contracts): EIP-55 address |
 * | `{base}/NamingSystem/ledger-event` | identifier of a chain event: `eip155:<chainId>:<txHash>:<logIndex>` |
 * | `{base}/StructureDefinition/consent-ended-by` | extension (code): `revoked`, `revokedAll`, `superseded` or `providerDeactivated` when a grant stopped before its expiry |
 * | `{base}/StructureDefinition/consent-suspended` | extension (Period): the grantee was deactivated in the registry during this span |
 */
export const FHIR_BASE = "https://consent-ledger.example/fhir";

/** Record categories, by the `ConsentCodes` key. */
export const CATEGORY_SYSTEM = `${FHIR_BASE}/CodeSystem/record-category`;
/** Our AuditEvent subtypes. */
export const AUDIT_SUBTYPE_SYSTEM = `${FHIR_BASE}/CodeSystem/audit-event-subtype`;
/** Wallet addresses as identifiers. */
export const ADDRESS_SYSTEM = `${FHIR_BASE}/NamingSystem/ethereum-address`;
/** Chain events as identifiers. */
export const LEDGER_EVENT_SYSTEM = `${FHIR_BASE}/NamingSystem/ledger-event`;
/** Extension: why a grant ended before its expiry. */
export const CONSENT_ENDED_BY_EXTENSION = `${FHIR_BASE}/StructureDefinition/consent-ended-by`;
/** Extension: a span in which the grantee was deactivated. */
export const CONSENT_SUSPENDED_EXTENSION = `${FHIR_BASE}/StructureDefinition/consent-suspended`;

/** HL7 v3 ActReason: the code system of the PurposeOfUse codes the contracts store. */
export const ACT_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
/** HL7 v3 ActCode (OPTIN policy rule). */
export const ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
/** HL7 v3 ParticipationType (IRCP: information recipient). */
export const PARTICIPATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
/** Consent scope codes. */
export const CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
/** Consent category codes (emrgonly). */
export const CONSENT_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentcategorycodes";
/** Consent action codes (access, correct). */
export const CONSENT_ACTION_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentaction";
/** LOINC (59284-0 Patient Consent). */
export const LOINC_SYSTEM = "http://loinc.org";
/** AuditEvent type codes (rest). */
export const AUDIT_EVENT_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-event-type";
/** RESTful interactions (read). */
export const RESTFUL_INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
/** DICOM terminology (110113 Security Alert). */
export const DICOM_SYSTEM = "http://dicom.nema.org/resources/ontology/DCM";
/** Audit source types (4 application server). */
export const SECURITY_SOURCE_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/security-source-type";
/** Audit entity types (1 person, 2 system object). */
export const AUDIT_ENTITY_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
/** Object roles (1 patient). */
export const OBJECT_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/object-role";
/** Identifiers that are URIs (`ipfs://<cid>`). */
export const URI_SYSTEM = "urn:ietf:rfc:3986";

/** The record-category code system as a FHIR R4 CodeSystem resource, shipped in every exported Bundle. */
export function recordCategoryCodeSystem(): FhirCodeSystem {
  return {
    resourceType: "CodeSystem",
    id: "record-category",
    url: CATEGORY_SYSTEM,
    version: "1",
    name: "ConsentLedgerRecordCategory",
    title: "Consent Ledger record categories",
    status: "active",
    experimental: false,
    description:
      "The record categories a Consent Ledger grant's scope covers, numbered as contracts/libraries/ConsentCodes.sol numbers them (bit index in the scope).",
    caseSensitive: true,
    content: "complete",
    count: CATEGORIES.length,
    concept: CATEGORIES.map((c) => ({ code: c.key, display: c.label, definition: `${c.label} (scope bit ${c.id}).` })),
  };
}
