import { CATEGORY, PROVIDER_KIND, PURPOSE, categoriesOf, categoryLabel, scopeCanWrite, scopeCovers } from "../consent/codes";
import {
  buildMedicationDispense,
  buildMedicationRequest,
  dispenseFormFrom,
  newResourceId,
  resourceBytes,
  unwrap,
  type MedicationDispenseForm,
  type MedicationRequestForm,
} from "../fhir";
import {
  checkPrescription,
  detectedIssueFor,
  partitionVault,
  withDetectedIssues,
  type Coverage,
  type CoverageState,
  type FhirMedicationDispense,
  type FhirMedicationRequest,
  type PrescriptionCheck,
  type VaultRecord as CheckedRecord,
} from "../prescribing";
import type { ActorContext } from "./actorContext";
import { fillsPrescription, prescriptionIdentifier } from "./dispenseLinks";
import { ClientError } from "./errors";
import { grantAccess } from "./consentActions";
import { allPages } from "./pages";
import { authorNamer, registryName } from "./providerNames";
import { addRecordForPatient, type AddedRecord } from "./recordActions";
import { listVault, openRecords, type OpenedRecord } from "./vaultReading";

/**
 * A prescription as the prescriber's form holds it: the drug by name and RxNorm code, dose, route, frequency,
 * quantity, refills, note. The prescriber and the patient are filled in from the session, never typed.
 */
export type PrescriptionDraft = Omit<MedicationRequestForm, "requester" | "patient" | "detectedIssues" | "status" | "authoredOn">;

/** What the interaction check found, what it could not see, and the MedicationRequest it checked. */
export interface PrescriptionReview extends PrescriptionCheck {
  /** Per category the check reads: granted, only partly readable, or not granted. */
  coverage: Coverage;
  /** The MedicationRequest as checked. */
  request: FhirMedicationRequest;
}

/** A prescription added to the patient's vault. */
export interface WrittenPrescription extends AddedRecord {
  /** The MedicationRequest as written, with the overridden findings as contained DetectedIssues. */
  resource: FhirMedicationRequest;
  review: PrescriptionReview;
}

/** The grant a pharmacy held before a routing replaced it. */
export interface ReplacedGrant {
  categories: number[];
  write: boolean;
  expiresAt: number;
}

/** What routing to a pharmacy does (or did) to the pharmacy's access, for the patient to read. */
export interface PharmacyRoutingChange {
  pharmacy: string;
  pharmacyName: string;
  /** The new grant's end (unix seconds, chain time). */
  expiresAt: number;
  /** The live grant the new one replaces, if any. */
  replaces?: ReplacedGrant;
  /** Categories the pharmacy held and will no longer hold. */
  removedCategories: number[];
  /** The change in plain words. */
  summary: string;
}

/** A routed grant, signed and relayed. */
export interface PharmacyRouting extends PharmacyRoutingChange {
  txHash: string;
  keyBundle: string;
}

/** Whether a prescription has been filled: a completed MedicationDispense naming its record is in the vault. */
export type PrescriptionStatus = "active" | "dispensed";

/** A prescription a pharmacy can fill, from a patient who routed Medications to it. */
export interface RoutedPrescription {
  patient: string;
  /** The prescription record's CID: what a dispense names it by. */
  cid: string;
  /** Who added the record (the prescriber's address, from the ledger). */
  author: string;
  addedAt: string;
  resource: FhirMedicationRequest;
  status: PrescriptionStatus;
  /** The completed dispenses that name it, with who added each (any holder of write access to Medications can). */
  dispensedIn: { cid: string; author: string }[];
}

/** A dispense added to the patient's vault. */
export interface WrittenDispense extends AddedRecord {
  resource: FhirMedicationDispense;
}

/** The vault categories the interaction check reads, by the check's own names. */
const CHECKED_CATEGORIES = {
  medications: CATEGORY.MEDICATIONS,
  allergies: CATEGORY.ALLERGIES,
  conditions: CATEGORY.PROBLEMS,
} as const satisfies Record<keyof Coverage, number>;

const SECONDS_PER_DAY = 86_400;

/**
 * The prescriber's check of a draft prescription against every medication, allergy and active problem it may read
 * in the patient's vault, from every author (the patient, other providers), with what it could not see in words.
 * Opens only Problems, Allergies and Medications, even when the grant covers more: every opening is a disclosure in
 * the patient's log, and the check needs nothing else.
 *
 * @example
 * const review = await reviewPrescription(doctor, patient, { drug: "Ibuprofen 400 mg tablet", rxnormCode: "5640", … });
 * if (review.overrideRequired) showFindings(review.findings, review.notChecked);
 */
export async function reviewPrescription(ctx: ActorContext, patient: string, draft: PrescriptionDraft): Promise<PrescriptionReview> {
  return reviewRequest(ctx, patient, await requestFrom(ctx, patient, draft, "draft"));
}

/**
 * Writes a prescription into the patient's vault (Medications), after checking it again at signing time: the vault
 * may have changed since the review. A contraindicated or major finding needs `overrideReason`
 * (PrescribingError OVERRIDE_REASON_REQUIRED otherwise, before anything is written); every finding travels in the
 * MedicationRequest as a contained DetectedIssue, with the reason. Needs a grant with write access to Medications
 * (ClientError NO_WRITE_ACCESS, asked before the vault is read).
 */
export async function prescribe(
  ctx: ActorContext,
  patient: string,
  draft: PrescriptionDraft,
  options: { overrideReason?: string } = {},
): Promise<WrittenPrescription> {
  if (!(await ctx.chain.ledger.hasWriteAccess(patient, ctx.address, CATEGORY.MEDICATIONS))) {
    throw new ClientError(
      "NO_WRITE_ACCESS",
      "Your grant from this patient does not let you add prescriptions; ask them for Medications with write access.",
    );
  }
  const request = await requestFrom(ctx, patient, draft, "active");
  const review = await reviewRequest(ctx, patient, request);
  // detectedIssueFor is where a severe finding without a reason is refused (OVERRIDE_REASON_REQUIRED): one rule, one place.
  const issues = review.findings.map((finding) =>
    detectedIssueFor(finding, options.overrideReason, {
      patient: request.subject,
      author: request.requester,
      identified: request.authoredOn,
      // A contained resource refers to its container as "#" (FHIR R4 references.html#contained).
      proposedRef: { reference: "#" },
    }),
  );
  const resource = issues.length === 0 ? request : withDetectedIssues(request, issues);
  const added = await addRecordForPatient(ctx, {
    patient,
    plaintext: resourceBytes(resource),
    category: CATEGORY.MEDICATIONS,
  });
  return { ...added, resource, review };
}

/**
 * What routing prescriptions to `pharmacy` for `days` would change, for the patient to read before signing. Refuses
 * (NOT_A_PHARMACY) an account the provider registry does not list as an active pharmacy.
 */
export async function previewPharmacyRouting(
  ctx: ActorContext,
  params: { pharmacy: string; days: number },
): Promise<PharmacyRoutingChange> {
  const provider = await ctx.chain.registry.providerOf(params.pharmacy);
  if (!provider.active || Number(provider.kind) !== PROVIDER_KIND.PHARMACY) {
    throw new ClientError(
      "NOT_A_PHARMACY",
      `${params.pharmacy} is not an active pharmacy in the provider registry: choose a verified pharmacy.`,
    );
  }
  const expiresAt = (await ctx.chain.chainTime()) + Math.round(params.days * SECONDS_PER_DAY);
  const replaces = await liveGrantTo(ctx, params.pharmacy);
  const removedCategories = (replaces?.categories ?? []).filter((c) => c !== CATEGORY.MEDICATIONS);
  return {
    pharmacy: params.pharmacy,
    pharmacyName: provider.name,
    expiresAt,
    ...(replaces ? { replaces } : {}),
    removedCategories,
    summary: routingSummary(provider.name, expiresAt, replaces, removedCategories),
  };
}

/**
 * The patient's one step to send prescriptions to a pharmacy: a grant limited to Medications, purpose TREAT, with the
 * write bit (so the pharmacy can record the dispense), for `days`. The result says what it replaced.
 *
 * Design: the ledger keeps ONE grant per (patient, grantee), and a scope has ONE write bit for all its categories.
 * Merging Medications+write into a grant the pharmacy already holds would give it write access to every other
 * category of that grant, so the routed grant is Medications only and replaces the old one; the categories that
 * drop out are named in `removedCategories` and `summary` (and in {@link previewPharmacyRouting} beforehand).
 */
export async function routeToPharmacy(ctx: ActorContext, params: { pharmacy: string; days: number }): Promise<PharmacyRouting> {
  const change = await previewPharmacyRouting(ctx, params);
  const granted = await grantAccess(ctx, {
    grantee: params.pharmacy,
    categories: [CATEGORY.MEDICATIONS],
    purpose: PURPOSE.TREAT,
    expiresAt: change.expiresAt,
    write: true,
  });
  return { ...change, txHash: granted.txHash, keyBundle: granted.keyBundle };
}

/**
 * Every prescription a pharmacy can fill: for each patient whose live grant to it covers Medications, the
 * MedicationRequests in their vault (decrypted, so each is a logged disclosure) with their dispense status. Records
 * the pharmacy's keys do not open are left out.
 */
export async function routedPrescriptions(ctx: ActorContext): Promise<RoutedPrescription[]> {
  const grants = await allPages(async (next) => {
    const page = await ctx.client.grants({ grantee: ctx.address, live: "true", limit: 200, ...(next ? { next } : {}) });
    return { items: page.grants, next: page.next };
  });
  const routed: RoutedPrescription[] = [];
  for (const grant of grants) {
    if (!scopeCovers(grant.scope, CATEGORY.MEDICATIONS)) continue;
    const { opened } = await openRecords(ctx, grant.patient, await listVault(ctx, grant.patient, CATEGORY.MEDICATIONS));
    for (const { record, resource } of opened) {
      if (resource.resourceType !== "MedicationRequest") continue;
      const dispensedIn = dispensesOf(record.cid, opened);
      routed.push({
        patient: grant.patient,
        cid: record.cid,
        author: record.author,
        addedAt: record.addedAt,
        resource: resource as FhirMedicationRequest,
        status: dispensedIn.length > 0 ? "dispensed" : "active",
        dispensedIn,
      });
    }
  }
  return routed;
}

/**
 * The pharmacy records that it handed a prescription over: a FHIR R4 MedicationDispense (completed, now) filled in
 * from the prescription, whose authorizingPrescription names the prescription record by its CID (see
 * `dispenseLinks.ts` for why the CID), added to the patient's vault under the routed grant's write bit.
 */
export async function dispense(
  ctx: ActorContext,
  patient: string,
  prescription: Pick<RoutedPrescription, "cid" | "resource">,
  options: { quantity: number; note?: string },
): Promise<WrittenDispense> {
  await ensureInVault(ctx, patient, prescription.cid);
  const now = new Date();
  const fromPrescription = dispenseFormFrom(prescription.resource);
  const form: MedicationDispenseForm = {
    ...fromPrescription,
    drug: fromPrescription.drug ?? "",
    quantityUnit: fromPrescription.quantityUnit ?? "",
    // A prescription without a FHIR id is still named by its CID below; the display keeps the builder's check happy.
    authorizingPrescription: fromPrescription.authorizingPrescription ?? { display: fromPrescription.drug },
    quantity: options.quantity,
    note: options.note,
    performer: { display: await registryName(ctx, ctx.address), address: ctx.address },
    whenHandedOver: now,
    status: "completed",
  };
  const built = unwrap(buildMedicationDispense(form, { now }));
  // The form takes a reference or a display; the identifier status is decided by is added here.
  const resource = {
    ...built,
    authorizingPrescription: [{ ...built.authorizingPrescription[0], identifier: prescriptionIdentifier(prescription.cid) }],
  };
  const added = await addRecordForPatient(ctx, {
    patient,
    plaintext: resourceBytes(resource),
    category: CATEGORY.MEDICATIONS,
  });
  return { ...added, resource };
}

/**
 * Whether a prescription was dispensed, as the patient or the prescriber (any reader of the patient's Medications)
 * sees it. Opens only the Medications records announced after the prescription (a dispense cannot come before it),
 * since each opening is a logged disclosure. NOT_IN_VAULT when the record is not among those the caller can list.
 */
export async function prescriptionStatus(ctx: ActorContext, patient: string, prescriptionCid: string): Promise<PrescriptionStatus> {
  const records = await listVault(ctx, patient, CATEGORY.MEDICATIONS);
  const prescription = records.find((r) => r.cid === prescriptionCid);
  if (prescription === undefined) throw notInVault(prescriptionCid);
  const later = records.filter((r) => r.block >= prescription.block && r.cid !== prescriptionCid);
  const { opened } = await openRecords(ctx, patient, later);
  return dispensesOf(prescriptionCid, opened).length > 0 ? "dispensed" : "active";
}

/** Reads what the check needs from the vault and says, per category, how much of it the caller could read. */
async function reviewRequest(ctx: ActorContext, patient: string, request: FhirMedicationRequest): Promise<PrescriptionReview> {
  const own = patient.toLowerCase() === ctx.address.toLowerCase();
  // Asked of the ledger, not inferred from the listing: an empty category and an ungranted one must read differently.
  const granted = new Set<number>();
  for (const category of Object.values(CHECKED_CATEGORIES)) {
    if (own || (await ctx.chain.ledger.hasAccess(patient, ctx.address, category))) granted.add(category);
  }
  const listed = granted.size === 0 ? [] : (await listVault(ctx, patient)).filter((r) => granted.has(r.category));
  const { opened, unopened } = await openRecords(ctx, patient, listed);

  const nameOf = authorNamer(ctx, patient);
  const records: CheckedRecord<unknown>[] = await Promise.all(
    opened.map(async ({ record, resource }) => ({ resource, author: await nameOf(record.author), resourceRef: `ipfs://${record.cid}` })),
  );
  const stateOf = (category: number): CoverageState =>
    !granted.has(category) ? "not-granted" : unopened.some((u) => u.record.category === category) ? "partial" : "granted";
  const coverage: Coverage = {
    medications: stateOf(CHECKED_CATEGORIES.medications),
    allergies: stateOf(CHECKED_CATEGORIES.allergies),
    conditions: stateOf(CHECKED_CATEGORIES.conditions),
  };
  const check = checkPrescription({ proposed: request, ...partitionVault(records), coverage });
  const unopenedNotes = unopened.map(
    (u) => `A ${categoryLabel(u.record.category)} record added ${u.record.addedAt} could not be opened: ${u.reason}`,
  );
  return { ...check, notChecked: [...check.notChecked, ...unopenedNotes], coverage, request };
}

/** The MedicationRequest of a draft, prescriber and patient named by their addresses (FhirFormError when the draft is incomplete). */
async function requestFrom(
  ctx: ActorContext,
  patient: string,
  draft: PrescriptionDraft,
  status: "draft" | "active",
): Promise<FhirMedicationRequest> {
  const requester = { display: await registryName(ctx, ctx.address), address: ctx.address };
  const built = unwrap(buildMedicationRequest({ ...draft, requester, patient: { address: patient }, status }, { id: newResourceId() }));
  return { ...built };
}

/** The live grant `ctx` (a patient) gave `grantee`, read from the ledger; undefined when none is live. */
async function liveGrantTo(ctx: ActorContext, grantee: string): Promise<ReplacedGrant | undefined> {
  const slot = await ctx.chain.ledger.grantOf(ctx.address, grantee);
  const scope = Number(slot.scope);
  const categories = categoriesOf(scope);
  if (categories.length === 0 || !(await ctx.chain.ledger.hasAccess(ctx.address, grantee, categories[0]))) return undefined;
  return { categories, write: scopeCanWrite(scope), expiresAt: Number(slot.expiresAt) };
}

function routingSummary(name: string, expiresAt: number, replaces: ReplacedGrant | undefined, removed: number[]): string {
  const until = utcText(expiresAt);
  const granted = `${name} will be able to read your Medications and add a record of what it dispenses, until ${until}.`;
  if (replaces === undefined) return granted;
  const held = replaces.categories.map(categoryLabel).join(", ");
  const parts = [
    `This replaces the grant ${name} holds now (${held}, ${replaces.write ? "with" : "without"} write access, until ${utcText(replaces.expiresAt)}).`,
    granted,
  ];
  if (removed.length > 0) parts.push(`It will no longer see ${removed.map(categoryLabel).join(", ")}.`);
  return parts.join(" ");
}

function utcText(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function dispensesOf(prescriptionCid: string, opened: readonly OpenedRecord[]): { cid: string; author: string }[] {
  return opened
    .filter((o) => fillsPrescription(o.resource, prescriptionCid))
    .map(({ record }) => ({ cid: record.cid, author: record.author }));
}

async function ensureInVault(ctx: ActorContext, patient: string, cid: string): Promise<void> {
  const records = await listVault(ctx, patient, CATEGORY.MEDICATIONS);
  if (!records.some((r) => r.cid === cid)) throw notInVault(cid);
}

function notInVault(cid: string): ClientError {
  return new ClientError(
    "NOT_IN_VAULT",
    `No Medications record ${cid} is in this patient's vault as you can see it (or no live grant covers Medications).`,
  );
}
