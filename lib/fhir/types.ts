/**
 * The FHIR R4 data types and resources this library writes (https://hl7.org/fhir/R4/), typed just enough to keep
 * the builders honest. Hand-written rather than taken from `@types/fhir` because that package is not installed
 * here; reading goes through the total readers in `read.ts`, which accept any JSON.
 */

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  system?: string;
  value?: string;
}

export interface Reference {
  reference?: string;
  identifier?: Identifier;
  display?: string;
}

export interface Quantity {
  value: number;
  unit?: string;
  system?: string;
  code?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Annotation {
  text: string;
}

export interface Narrative {
  status: "generated" | "extensions" | "additional" | "empty";
  div: string;
}

export interface Attachment {
  contentType?: string;
  data?: string;
  url?: string;
  size?: number;
  title?: string;
  creation?: string;
}

export interface Dosage {
  text?: string;
  patientInstruction?: string;
  timing?: { code?: CodeableConcept; repeat?: { frequency?: number; period?: number; periodUnit?: string; when?: string[] } };
  asNeededBoolean?: boolean;
  route?: CodeableConcept;
  doseAndRate?: { doseQuantity?: Quantity }[];
}

/** Fields every resource here carries. */
export interface ResourceBase {
  resourceType: string;
  id: string;
  text?: Narrative;
  note?: Annotation[];
}

export interface Patient extends ResourceBase {
  resourceType: "Patient";
  identifier?: Identifier[];
  name?: { text?: string; family?: string; given?: string[] }[];
  gender?: "male" | "female" | "other" | "unknown";
  birthDate?: string;
}

export interface Condition extends ResourceBase {
  resourceType: "Condition";
  clinicalStatus: CodeableConcept;
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  onsetDateTime: string;
  abatementDateTime?: string;
  recordedDate: string;
  recorder?: Reference;
}

export interface AllergyIntolerance extends ResourceBase {
  resourceType: "AllergyIntolerance";
  clinicalStatus: CodeableConcept;
  verificationStatus?: CodeableConcept;
  category: ("food" | "medication" | "environment" | "biologic")[];
  criticality: "low" | "high" | "unable-to-assess";
  code: CodeableConcept;
  patient: Reference;
  onsetDateTime?: string;
  recordedDate: string;
  recorder?: Reference;
  reaction?: { manifestation: CodeableConcept[]; severity?: "mild" | "moderate" | "severe" }[];
}

export interface MedicationStatement extends ResourceBase {
  resourceType: "MedicationStatement";
  status: string;
  medicationCodeableConcept: CodeableConcept;
  subject: Reference;
  effectivePeriod?: Period;
  dateAsserted: string;
  informationSource?: Reference;
  reasonCode?: CodeableConcept[];
  dosage?: Dosage[];
}

export interface MedicationRequest extends ResourceBase {
  resourceType: "MedicationRequest";
  status: string;
  intent: "order";
  medicationCodeableConcept: CodeableConcept;
  subject: Reference;
  authoredOn: string;
  requester: Reference;
  reasonCode?: CodeableConcept[];
  dosageInstruction: Dosage[];
  dispenseRequest: {
    numberOfRepeatsAllowed: number;
    quantity: Quantity;
    expectedSupplyDuration?: Quantity;
  };
  detectedIssue?: Reference[];
}

export interface MedicationDispense extends ResourceBase {
  resourceType: "MedicationDispense";
  status: string;
  medicationCodeableConcept: CodeableConcept;
  subject?: Reference;
  performer: { actor: Reference }[];
  authorizingPrescription: Reference[];
  quantity: Quantity;
  daysSupply?: Quantity;
  whenHandedOver?: string;
  dosageInstruction?: Dosage[];
}

export interface Observation extends ResourceBase {
  resourceType: "Observation";
  status: string;
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  effectiveDateTime: string;
  performer?: Reference[];
  valueQuantity?: Quantity;
  valueString?: string;
  interpretation?: CodeableConcept[];
  referenceRange?: { low?: Quantity; high?: Quantity }[];
}

export interface Immunization extends ResourceBase {
  resourceType: "Immunization";
  status: "completed";
  vaccineCode: CodeableConcept;
  patient: Reference;
  occurrenceDateTime: string;
  recorded: string;
  primarySource: boolean;
  reportOrigin?: CodeableConcept;
  lotNumber?: string;
  performer?: { actor: Reference }[];
}

export interface DocumentReference extends ResourceBase {
  resourceType: "DocumentReference";
  status: "current";
  type?: CodeableConcept;
  subject: Reference;
  date: string;
  author?: Reference[];
  description: string;
  content: { attachment: Attachment }[];
  context: { period: Period };
}

export interface DetectedIssue extends ResourceBase {
  resourceType: "DetectedIssue";
  status: "final" | "preliminary";
  code: CodeableConcept;
  severity: "high" | "moderate" | "low";
  patient?: Reference;
  identifiedDateTime: string;
  author: Reference;
  implicated: Reference[];
  detail: string;
  reference?: string;
  mitigation?: { action: CodeableConcept; date: string; author: Reference }[];
}

export interface CompositionSection {
  title: string;
  code: CodeableConcept;
  text: Narrative;
  entry?: Reference[];
  emptyReason?: CodeableConcept;
}

export interface Composition extends ResourceBase {
  resourceType: "Composition";
  status: "final";
  type: CodeableConcept;
  subject: Reference;
  date: string;
  author: Reference[];
  title: string;
  section: CompositionSection[];
}

/** A FHIR document Bundle (first entry: the Composition). */
export interface DocumentBundle {
  resourceType: "Bundle";
  id: string;
  identifier: Identifier;
  type: "document";
  timestamp: string;
  entry: { fullUrl: string; resource: ResourceBase & Record<string, unknown> }[];
}
