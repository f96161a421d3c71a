import { getBytes } from "ethers";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { CATEGORIES, categoryLabel, PURPOSES } from "../consent/codes";
import type { DisclosureEntry } from "../disclosure";
import { fhirTime, isoTime } from "./args";
import type { AccessRequestRecord, ConsentPeriod, ConsentReconstruction, EmergencyPolicyRecord, EmergencyWindowRecord } from "./consents";
import type { EventRef } from "./events";
import {
  ACT_CODE_SYSTEM,
  ACT_REASON_SYSTEM,
  ADDRESS_SYSTEM,
  AUDIT_ENTITY_TYPE_SYSTEM,
  AUDIT_EVENT_TYPE_SYSTEM,
  AUDIT_SUBTYPE_SYSTEM,
  CATEGORY_SYSTEM,
  CONSENT_ACTION_SYSTEM,
  CONSENT_CATEGORY_SYSTEM,
  CONSENT_ENDED_BY_EXTENSION,
  CONSENT_SCOPE_SYSTEM,
  CONSENT_SUSPENDED_EXTENSION,
  DICOM_SYSTEM,
  LEDGER_EVENT_SYSTEM,
  LOINC_SYSTEM,
  OBJECT_ROLE_SYSTEM,
  PARTICIPATION_TYPE_SYSTEM,
  RESTFUL_INTERACTION_SYSTEM,
  SECURITY_SOURCE_TYPE_SYSTEM,
  URI_SYSTEM,
  recordCategoryCodeSystem,
} from "./fhirCodes";
import type {
  FhirAuditEvent,
  FhirBundle,
  FhirCodeableConcept,
  FhirConsent,
  FhirConsentProvision,
  FhirExtension,
  FhirReference,
  FhirResource,
} from "./fhirTypes";
import { EMERGENCY_CATEGORY, sameAddress } from "./filters";

export type * from "./fhirTypes";

/** Inputs of {@link buildFhirBundle}. */
export interface FhirExportInput {
  patient: string;
  chainId: number;
  rec: ConsentReconstruction;
  /** The disclosure log, verified; entries of other patients are skipped. Empty when no log was given. */
  entries?: readonly DisclosureEntry[];
  /** The head the history was read to: decides which consents are still active. */
  head: { block: number; time: number };
  /** Only this provider's consents, disclosures and emergency accesses. */
  provider?: string;
  /** Window, unix seconds: consents overlapping it, disclosures and accesses inside it. */
  from?: number;
  to?: number;
  /** The gateway that kept the log (the AuditEvent observer). */
  gateway?: string;
  /** Bundle timestamp, unix seconds (default: the head's time). */
  generatedAt?: number;
}

const ZERO = /^0x0*$/;
const READ = { system: RESTFUL_INTERACTION_SYSTEM, code: "read", display: "read" };
const IRCP: FhirCodeableConcept = { coding: [{ system: PARTICIPATION_TYPE_SYSTEM, code: "IRCP", display: "information recipient" }] };
const PATIENT_SCOPE: FhirCodeableConcept = {
  coding: [{ system: CONSENT_SCOPE_SYSTEM, code: "patient-privacy", display: "Privacy Consent" }],
};
const CONSENT_CATEGORY: FhirCodeableConcept = { coding: [{ system: LOINC_SYSTEM, code: "59284-0", display: "Patient Consent" }] };
const EMERGENCY_ONLY: FhirCodeableConcept = { coding: [{ system: CONSENT_CATEGORY_SYSTEM, code: "emrgonly", display: "Emergency Only" }] };
const OPT_IN: FhirCodeableConcept = { coding: [{ system: ACT_CODE_SYSTEM, code: "OPTIN", display: "opt-in" }] };

/**
 * One patient's consent history and disclosures as a FHIR R4 `Bundle` (type `collection`): the record-category
 * `CodeSystem`, a `Consent` per grant (active / inactive), per denied or pending request (rejected / proposed) and
 * per emergency policy, and an `AuditEvent` per disclosure log entry and per break-glass access.
 *
 * @example
 * const bundle = buildFhirBundle({ patient, chainId: 31337, rec: reconstructConsents(events), entries, head });
 * await writeFile("jane.fhir.json", JSON.stringify(bundle, null, 2));
 */
export function buildFhirBundle(input: FhirExportInput): FhirBundle {
  const { patient, rec, provider, from, to } = input;
  const mine = (p: string, who: string): boolean => sameAddress(p, patient) && (provider === undefined || sameAddress(who, provider));
  const overlaps = (start: number, end: number): boolean => (to === undefined || start < to) && (from === undefined || end >= from);
  const inside = (t: number): boolean => (from === undefined || t >= from) && (to === undefined || t < to);

  const consents: { time: number; resource: FhirResource }[] = [];
  for (const history of rec.consents) {
    if (!mine(history.patient, history.grantee)) continue;
    for (const period of history.periods) {
      if (overlaps(period.granted.timestamp, period.until))
        consents.push({ time: period.granted.timestamp, resource: grantConsent(period, input) });
    }
  }
  for (const request of rec.requests) {
    if (
      request.status !== "approved" &&
      mine(request.patient, request.provider) &&
      inside(request.answered?.timestamp ?? request.requested.timestamp)
    ) {
      consents.push({ time: request.requested.timestamp, resource: requestConsent(request, input) });
    }
  }
  if (provider === undefined) {
    for (const policy of rec.policies) {
      if (sameAddress(policy.patient, patient) && overlaps(policy.set.timestamp, policy.replaced?.timestamp ?? Number.MAX_SAFE_INTEGER)) {
        consents.push({ time: policy.set.timestamp, resource: policyConsent(policy, input) });
      }
    }
  }

  const audits: { time: number; seq: number; resource: FhirResource }[] = [];
  for (const entry of input.entries ?? []) {
    const time = Math.floor(Date.parse(entry.time) / 1000);
    if (mine(entry.patient, entry.reader) && inside(time))
      audits.push({ time, seq: entry.seq, resource: disclosureAuditEvent(entry, input) });
  }
  for (const window of rec.emergencies) {
    if (mine(window.patient, window.provider) && inside(window.opened.timestamp)) {
      audits.push({ time: window.opened.timestamp, seq: -1, resource: emergencyAuditEvent(window, input) });
    }
  }

  consents.sort((a, b) => a.time - b.time);
  audits.sort((a, b) => a.time - b.time || a.seq - b.seq);
  return {
    resourceType: "Bundle",
    id: `audit-${input.chainId}-${input.head.block}`,
    type: "collection",
    timestamp: isoTime(input.generatedAt ?? input.head.time),
    entry: [recordCategoryCodeSystem(), ...consents.map((c) => c.resource), ...audits.map((a) => a.resource)].map((resource) => ({
      resource,
    })),
  };
}

/** A `Consent` for one grant. */
export function grantConsent(period: ConsentPeriod, input: Pick<FhirExportInput, "chainId" | "head" | "rec">): FhirConsent {
  const active = period.ended === undefined && input.head.time < period.expiresAt;
  const extension: FhirExtension[] = [];
  if (period.ended !== undefined) extension.push({ url: CONSENT_ENDED_BY_EXTENSION, valueCode: period.ended.reason });
  for (const s of period.suspensions)
    extension.push({ url: CONSENT_SUSPENDED_EXTENSION, valuePeriod: periodOf(s.from.timestamp, s.to?.timestamp) });
  const identifier = [{ system: LEDGER_EVENT_SYSTEM, value: eventIdentifier(input.chainId, period.granted) }];
  if (period.ended !== undefined) identifier.push({ system: LEDGER_EVENT_SYSTEM, value: eventIdentifier(input.chainId, period.ended.at) });
  const provision: FhirConsentProvision = {
    type: "permit",
    period: periodOf(period.granted.timestamp, period.until),
    actor: [{ role: IRCP, reference: account(period.grantee, input.rec.providers.nameOf(period.grantee, period.granted.blockNumber)) }],
    action: [{ coding: [{ system: CONSENT_ACTION_SYSTEM, code: "access", display: "Access" }] }],
    purpose: [purposeCoding(period.purpose)],
    code: period.categories.map(categoryConcept),
  };
  if (period.write) provision.action!.push({ coding: [{ system: CONSENT_ACTION_SYSTEM, code: "correct", display: "Access and Correct" }] });
  if (period.keyBundle !== undefined)
    provision.data = [
      {
        meaning: "related",
        reference: {
          identifier: { system: URI_SYSTEM, value: `ipfs://${cidFromDigest(period.keyBundle)}` },
          display: "key bundle issued with the grant",
        },
      },
    ];
  return {
    resourceType: "Consent",
    id: `grant-${period.id}`,
    ...(extension.length > 0 ? { extension } : {}),
    identifier,
    status: active ? "active" : "inactive",
    scope: PATIENT_SCOPE,
    category: [CONSENT_CATEGORY],
    patient: account(period.patient),
    dateTime: isoTime(period.granted.timestamp),
    performer: [account(period.actor, sameAddress(period.actor, period.patient) ? "patient" : "guardian")],
    policyRule: OPT_IN,
    provision,
  };
}

/** A `Consent` for a request that was denied (rejected) or is still pending (proposed). */
export function requestConsent(request: AccessRequestRecord, input: Pick<FhirExportInput, "chainId" | "rec">): FhirConsent {
  const at = request.answered ?? request.requested;
  return {
    resourceType: "Consent",
    id: `request-${request.requestId}`,
    identifier: [{ system: LEDGER_EVENT_SYSTEM, value: eventIdentifier(input.chainId, request.requested) }],
    status: request.status === "denied" ? "rejected" : "proposed",
    scope: PATIENT_SCOPE,
    category: [CONSENT_CATEGORY],
    patient: account(request.patient),
    dateTime: isoTime(at.timestamp),
    performer: [account(request.patient, "patient")],
    policyRule: OPT_IN,
    provision: {
      type: "permit",
      actor: [
        { role: IRCP, reference: account(request.provider, input.rec.providers.nameOf(request.provider, request.requested.blockNumber)) },
      ],
      action: [{ coding: [{ system: CONSENT_ACTION_SYSTEM, code: "access", display: "Access" }] }],
      purpose: [purposeCoding(request.purpose)],
      code: request.categories.map(categoryConcept),
    },
  };
}

/** A `Consent` for a break-glass policy: permit (enabled) or deny (disabled) of the emergency summary. */
export function policyConsent(policy: EmergencyPolicyRecord, input: Pick<FhirExportInput, "chainId">): FhirConsent {
  return {
    resourceType: "Consent",
    id: `emergency-policy-${policy.id}`,
    identifier: [{ system: LEDGER_EVENT_SYSTEM, value: eventIdentifier(input.chainId, policy.set) }],
    status: policy.replaced === undefined ? "active" : "inactive",
    scope: PATIENT_SCOPE,
    category: [CONSENT_CATEGORY, EMERGENCY_ONLY],
    patient: account(policy.patient),
    dateTime: isoTime(policy.set.timestamp),
    performer: [account(policy.patient, "patient")],
    policyRule: OPT_IN,
    provision: {
      type: policy.enabled ? "permit" : "deny",
      period: periodOf(policy.set.timestamp, policy.replaced?.timestamp),
      actor: [{ role: IRCP, reference: { display: "any active emergency-capable provider of the ProviderRegistry" } }],
      action: [{ coding: [{ system: CONSENT_ACTION_SYSTEM, code: "access", display: "Access" }] }],
      purpose: [purposeCoding(2), purposeCoding(3)],
      code: [categoryConcept(EMERGENCY_CATEGORY)],
      ...(policy.enabled && !ZERO.test(policy.summaryCid)
        ? {
            data: [
              {
                meaning: "instance" as const,
                reference: {
                  identifier: { system: URI_SYSTEM, value: `ipfs://${cidFromDigest(policy.summaryCid)}` },
                  display: "emergency summary",
                },
              },
            ],
          }
        : {}),
    },
  };
}

/** An `AuditEvent` for one disclosure log entry (a release of ciphertext by the gateway). */
export function disclosureAuditEvent(entry: DisclosureEntry, input: Pick<FhirExportInput, "rec" | "gateway">): FhirAuditEvent {
  const purpose = entry.purpose > 0 ? [{ coding: [purposeCoding(entry.purpose)] }] : undefined;
  return {
    resourceType: "AuditEvent",
    id: `disclosure-${entry.seq}`,
    type: { system: AUDIT_EVENT_TYPE_SYSTEM, code: "rest", display: "RESTful Operation" },
    subtype: [READ],
    action: "R",
    recorded: entry.time,
    outcome: "0",
    ...(purpose !== undefined ? { purposeOfEvent: purpose } : {}),
    agent: [
      {
        type: IRCP,
        who: account(
          entry.reader,
          sameAddress(entry.reader, entry.patient) ? "patient" : input.rec.providers.nameOf(entry.reader, entry.block),
        ),
        requestor: true,
        ...(purpose !== undefined ? { purposeOfUse: purpose } : {}),
      },
    ],
    source: {
      site: "consent-ledger-gateway",
      observer: input.gateway !== undefined ? account(input.gateway, "Consent Ledger gateway") : { display: "Consent Ledger gateway" },
      type: [{ system: SECURITY_SOURCE_TYPE_SYSTEM, code: "4", display: "Application Server" }],
    },
    entity: [
      {
        what: { identifier: { system: URI_SYSTEM, value: `ipfs://${entry.cid}` }, display: `${categoryLabel(entry.category)} record` },
        type: { system: AUDIT_ENTITY_TYPE_SYSTEM, code: "2", display: "System Object" },
        detail: [
          { type: "category", valueString: categoryKey(entry.category) },
          { type: "basis", valueString: entry.basis },
          { type: "decision-block", valueString: String(entry.block) },
          { type: "log-seq", valueString: String(entry.seq) },
          { type: "log-entry-hash", valueString: entry.hash },
        ],
      },
      patientEntity(entry.patient),
    ],
  };
}

/** An `AuditEvent` for one break-glass access (EmergencyAccess event). */
export function emergencyAuditEvent(window: EmergencyWindowRecord, input: Pick<FhirExportInput, "rec" | "chainId">): FhirAuditEvent {
  const purpose = [{ coding: [purposeCoding(window.reasonCode)] }];
  return {
    resourceType: "AuditEvent",
    id: `emergency-${window.id}`,
    type: { system: DICOM_SYSTEM, code: "110113", display: "Security Alert" },
    subtype: [{ system: AUDIT_SUBTYPE_SYSTEM, code: "break-glass", display: "Break-glass access to the emergency summary" }],
    action: "R",
    period: periodOf(window.opened.timestamp, window.until),
    recorded: isoTime(window.opened.timestamp),
    outcome: "0",
    purposeOfEvent: purpose,
    agent: [
      {
        type: IRCP,
        who: account(window.provider, input.rec.providers.nameOf(window.provider, window.opened.blockNumber)),
        requestor: true,
        purposeOfUse: purpose,
      },
    ],
    source: {
      site: `eip155:${input.chainId}`,
      observer: {
        identifier: { system: LEDGER_EVENT_SYSTEM, value: eventIdentifier(input.chainId, window.opened) },
        display: "ConsentLedger contract (EmergencyAccess event)",
      },
      type: [{ system: SECURITY_SOURCE_TYPE_SYSTEM, code: "4", display: "Application Server" }],
    },
    entity: [
      {
        what: ZERO.test(window.summaryCid)
          ? { display: "emergency summary" }
          : { identifier: { system: URI_SYSTEM, value: `ipfs://${cidFromDigest(window.summaryCid)}` }, display: "emergency summary" },
        type: { system: AUDIT_ENTITY_TYPE_SYSTEM, code: "2", display: "System Object" },
        detail: [
          { type: "category", valueString: categoryKey(EMERGENCY_CATEGORY) },
          { type: "expires-at", valueString: isoTime(window.expiresAt) },
          ...(window.ended !== undefined ? [{ type: "ended-by", valueString: window.ended.reason }] : []),
          { type: "transaction", valueString: window.opened.txHash },
        ],
      },
      patientEntity(window.patient),
    ],
  };
}

/**
 * The CID of a block from the sha2-256 digest carried on-chain (CIDv1, raw codec 0x55, multihash sha2-256 0x12),
 * as the key bundle and emergency summary CIDs are defined in IConsentLedger.
 */
export function cidFromDigest(digestHex: string): string {
  return CID.createV1(0x55, Digest.create(0x12, getBytes(digestHex))).toString();
}

function account(address: string, display?: string): FhirReference {
  return { identifier: { system: ADDRESS_SYSTEM, value: address }, ...(display ? { display } : {}) };
}

function patientEntity(patient: string): NonNullable<FhirAuditEvent["entity"]>[number] {
  return {
    what: account(patient),
    type: { system: AUDIT_ENTITY_TYPE_SYSTEM, code: "1", display: "Person" },
    role: { system: OBJECT_ROLE_SYSTEM, code: "1", display: "Patient" },
  };
}

function periodOf(start: number, end: number | undefined): { start?: string; end?: string } {
  const period: { start?: string; end?: string } = { start: fhirTime(start) };
  const endTime = end === undefined ? undefined : fhirTime(end);
  if (endTime !== undefined) period.end = endTime;
  return period;
}

function purposeCoding(id: number): { system: string; code: string; display: string } {
  const purpose = PURPOSES.find((p) => p.id === id);
  return { system: ACT_REASON_SYSTEM, code: purpose?.code ?? "UNKNOWN", display: purpose?.label ?? `purpose ${id}` };
}

function categoryKey(id: number): string {
  return CATEGORIES.find((c) => c.id === id)?.key ?? `CATEGORY_${id}`;
}

function categoryConcept(id: number): FhirCodeableConcept {
  return { coding: [{ system: CATEGORY_SYSTEM, code: categoryKey(id), display: categoryLabel(id) }] };
}

function eventIdentifier(chainId: number, ref: EventRef): string {
  return `eip155:${chainId}:${ref.txHash}:${ref.logIndex}`;
}
