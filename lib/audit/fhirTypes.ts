/** The parts of FHIR R4 the exports produce (https://hl7.org/fhir/R4/), typed just enough to keep them honest. */

export interface FhirCoding {
  system?: string;
  code?: string;
  display?: string;
}

export interface FhirCodeableConcept {
  coding?: FhirCoding[];
  text?: string;
}

export interface FhirIdentifier {
  system?: string;
  value?: string;
}

export interface FhirReference {
  reference?: string;
  identifier?: FhirIdentifier;
  display?: string;
}

export interface FhirPeriod {
  start?: string;
  end?: string;
}

export interface FhirExtension {
  url: string;
  valueCode?: string;
  valuePeriod?: FhirPeriod;
  valueString?: string;
}

/** FHIR R4 Consent. */
export interface FhirConsent {
  resourceType: "Consent";
  id: string;
  extension?: FhirExtension[];
  identifier?: FhirIdentifier[];
  status: "draft" | "proposed" | "active" | "rejected" | "inactive" | "entered-in-error";
  scope: FhirCodeableConcept;
  category: FhirCodeableConcept[];
  patient: FhirReference;
  dateTime?: string;
  performer?: FhirReference[];
  policyRule?: FhirCodeableConcept;
  provision?: FhirConsentProvision;
}

export interface FhirConsentProvision {
  type?: "deny" | "permit";
  period?: FhirPeriod;
  actor?: { role: FhirCodeableConcept; reference: FhirReference }[];
  action?: FhirCodeableConcept[];
  purpose?: FhirCoding[];
  class?: FhirCoding[];
  code?: FhirCodeableConcept[];
  data?: { meaning: "instance" | "related" | "dependents" | "authoredby"; reference: FhirReference }[];
}

/** FHIR R4 AuditEvent. */
export interface FhirAuditEvent {
  resourceType: "AuditEvent";
  id: string;
  type: FhirCoding;
  subtype?: FhirCoding[];
  action?: "C" | "R" | "U" | "D" | "E";
  period?: FhirPeriod;
  recorded: string;
  outcome?: "0" | "4" | "8" | "12";
  outcomeDesc?: string;
  purposeOfEvent?: FhirCodeableConcept[];
  agent: {
    type?: FhirCodeableConcept;
    who?: FhirReference;
    name?: string;
    requestor: boolean;
    purposeOfUse?: FhirCodeableConcept[];
  }[];
  source: { site?: string; observer: FhirReference; type?: FhirCoding[] };
  entity?: {
    what?: FhirReference;
    type?: FhirCoding;
    role?: FhirCoding;
    name?: string;
    description?: string;
    detail?: { type: string; valueString: string }[];
  }[];
}

/** FHIR R4 CodeSystem (only what we publish). */
export interface FhirCodeSystem {
  resourceType: "CodeSystem";
  id: string;
  url: string;
  version?: string;
  name?: string;
  title?: string;
  status: "draft" | "active" | "retired" | "unknown";
  experimental?: boolean;
  description?: string;
  caseSensitive?: boolean;
  content: "not-present" | "example" | "fragment" | "complete" | "supplement";
  count?: number;
  concept?: { code: string; display?: string; definition?: string }[];
}

/** A resource in an exported Bundle. */
export type FhirResource = FhirConsent | FhirAuditEvent | FhirCodeSystem;

/** FHIR R4 Bundle of type collection. */
export interface FhirBundle {
  resourceType: "Bundle";
  id?: string;
  identifier?: FhirIdentifier;
  type: "collection";
  timestamp: string;
  entry: { fullUrl?: string; resource: FhirResource }[];
}
