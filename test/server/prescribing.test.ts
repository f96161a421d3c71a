import { expect } from "chai";
import { CATEGORY, PURPOSE } from "../../lib/consent/codes";
import { fromUtf8 } from "../../lib/crypto";
import { buildAllergyIntolerance, buildCondition, buildLabResult, buildMedicationStatement, resourceBytes, unwrap } from "../../lib/fhir";
import {
  addOwnRecord,
  addRecordForPatient,
  dispense,
  grantAccess,
  prescribe,
  prescriptionStatus,
  readRecord,
  reviewPrescription,
  revokeAccess,
  routeToPharmacy,
  routedPrescriptions,
  ClientError,
  GatewayError,
  type ActorContext,
  type PrescriptionDraft,
} from "../../lib/client";
import { PrescribingError, type FhirDetectedIssue } from "../../lib/prescribing";
import { readyActor } from "../support/actors";
import { fhirSchemaErrors, missingRequiredElements } from "../support/fhirSchema";
import { useStack, type TestStack } from "../support/stack";
import { DEMO } from "../../lib/demo/accounts";

const { JANE, DR_CHEN, DR_HADDAD, PHARMACY, DR_PATEL } = DEMO;
const DR_PATEL_NAME = "Dr. Priya Patel (cardiology)";
const DAY = 86_400;

const IBUPROFEN: PrescriptionDraft = {
  drug: "Ibuprofen 400 mg tablet",
  rxnormCode: "5640",
  doseValue: 400,
  doseUnit: "mg",
  route: "oral",
  frequency: "three-times-daily",
  quantity: 21,
  quantityUnit: "tablet",
  refills: 0,
  note: "Short course for knee pain.",
};

const PROPRANOLOL: PrescriptionDraft = {
  drug: "Propranolol 40 mg tablet",
  rxnormCode: "8787",
  doseValue: 40,
  doseUnit: "mg",
  route: "oral",
  frequency: "twice-daily",
  quantity: 60,
  quantityUnit: "tablet",
  refills: 2,
};

const OVERRIDE = "Bleeding risk discussed; INR check in 3 days, shortest course.";

/** Jane's vault as the issue describes it: her own asthma and penicillin allergy, and Dr Patel's warfarin. */
interface Cast {
  jane: ActorContext;
  chen: ActorContext;
  patel: ActorContext;
  warfarinCid: string;
}

async function castWithVault(stack: TestStack): Promise<Cast> {
  const [jane, chen, patel] = await Promise.all([readyActor(stack, JANE), readyActor(stack, DR_CHEN), readyActor(stack, DR_PATEL)]);
  const self = { address: jane.address, display: "Jane Doe" };
  const asthma = unwrap(
    buildCondition({ name: "Asthma", snomedCode: "195967001", onsetDate: "2015", clinicalStatus: "active", patient: self }),
  );
  const penicillin = unwrap(
    buildAllergyIntolerance({ substance: "Penicillin", category: "medication", criticality: "high", reaction: "Hives", patient: self }),
  );
  await addOwnRecord(jane, { plaintext: resourceBytes(asthma), category: CATEGORY.PROBLEMS });
  await addOwnRecord(jane, { plaintext: resourceBytes(penicillin), category: CATEGORY.ALLERGIES });

  await grantAccess(jane, {
    grantee: patel.address,
    categories: [CATEGORY.MEDICATIONS],
    purpose: PURPOSE.TREAT,
    durationSeconds: DAY,
    write: true,
  });
  const warfarin = unwrap(
    buildMedicationStatement({
      drug: "warfarin sodium 5 MG Oral Tablet",
      rxnormCode: "855332",
      dose: "5 mg once a day",
      status: "active",
      patient: { address: jane.address },
      informationSource: { display: DR_PATEL_NAME, address: patel.address },
    }),
  );
  const { cid: warfarinCid } = await addRecordForPatient(patel, {
    patient: jane.address,
    plaintext: resourceBytes(warfarin),
    category: CATEGORY.MEDICATIONS,
  });

  await grantAccess(jane, {
    grantee: chen.address,
    categories: [CATEGORY.PROBLEMS, CATEGORY.ALLERGIES, CATEGORY.MEDICATIONS],
    purpose: PURPOSE.TREAT,
    durationSeconds: DAY,
    write: true,
  });
  return { jane, chen, patel, warfarinCid };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a refusal");
}

async function medicationCids(stack: TestStack, jane: ActorContext): Promise<string[]> {
  const { records } = await jane.client.listRecords(jane.address, { category: CATEGORY.MEDICATIONS });
  return records.map((r) => r.cid);
}

function schemaProblems(resource: unknown): string[] {
  return [...fhirSchemaErrors(resource), ...missingRequiredElements(resource as Record<string, unknown>)];
}

describe("prescribing through the gateway: review, prescribe, route, dispense (issue 17)", function () {
  const stack = useStack({}, "each");

  describe("the prescriber's review", function () {
    it("finds the warfarin interaction in another provider's record when Dr Chen reviews ibuprofen", async function () {
      const { jane, chen, warfarinCid } = await castWithVault(stack);
      const review = await reviewPrescription(chen, jane.address, IBUPROFEN);

      const warfarin = review.findings.find((f) => f.ruleId === "ddi-warfarin-nsaid");
      expect(warfarin, JSON.stringify(review.findings)).to.not.equal(undefined);
      expect(warfarin!.severity).to.equal("major");
      expect(warfarin!.against).to.deep.include({ author: DR_PATEL_NAME, resourceRef: `ipfs://${warfarinCid}` });
      expect(review.overrideRequired).to.equal(true);
      expect(review.checkedAgainst).to.deep.equal({ medications: 1, allergies: 1, conditions: 1 });
      expect(review.coverage).to.deep.equal({ medications: "granted", allergies: "granted", conditions: "granted" });
      expect(review.notChecked).to.deep.equal([]);
      expect(review.request).to.include({ resourceType: "MedicationRequest", status: "draft" });
    });

    it("finds the asthma contraindication in the patient's own record when Dr Chen reviews propranolol", async function () {
      const { jane, chen } = await castWithVault(stack);
      const review = await reviewPrescription(chen, jane.address, PROPRANOLOL);
      const [first] = review.findings;
      expect(first).to.deep.include({
        ruleId: "condition-nonselective-beta-blocker-asthma",
        kind: "drug-condition",
        severity: "contraindicated",
      });
      expect(first.against).to.include({ display: "Asthma", author: "the patient" });
    });

    it("says plainly that other providers' medications were not checked when no grant covers Medications", async function () {
      const { jane, warfarinCid } = await castWithVault(stack);
      const haddad = await readyActor(stack, DR_HADDAD);
      const lab = unwrap(
        buildLabResult({
          test: "Hemoglobin",
          loincCode: "718-7",
          value: 13.5,
          unit: "g/dL",
          effectiveDate: "2024-03-01",
          patient: { address: jane.address },
        }),
      );
      const { cid: labCid } = await addOwnRecord(jane, { plaintext: resourceBytes(lab), category: CATEGORY.LABS });
      await grantAccess(jane, {
        grantee: haddad.address,
        categories: [CATEGORY.PROBLEMS, CATEGORY.ALLERGIES, CATEGORY.LABS],
        purpose: PURPOSE.TREAT,
        durationSeconds: DAY,
      });

      const review = await reviewPrescription(haddad, jane.address, IBUPROFEN);
      expect(review.findings.map((f) => f.ruleId)).to.not.include("ddi-warfarin-nsaid");
      expect(review.coverage.medications).to.equal("not-granted");
      expect(review.notChecked).to.deep.equal([
        "No grant covers Medications: interactions with other providers' medications were not checked.",
      ]);
      // Only what the check reads was opened: not Dr Patel's record (no grant), not the lab result (granted, not needed).
      const read = stack.gateway.services.disclosures.list((e) => e.reader === haddad.address);
      expect(read.map((e) => e.category).sort()).to.deep.equal([CATEGORY.PROBLEMS, CATEGORY.ALLERGIES]);
      expect(read.map((e) => e.cid)).to.not.include(warfarinCid);
      expect(read.map((e) => e.cid)).to.not.include(labCid);

      const refused = await rejection(prescribe(haddad, jane.address, IBUPROFEN, { overrideReason: OVERRIDE }));
      expect(refused).to.be.instanceOf(ClientError);
      expect((refused as ClientError).code).to.equal("NO_WRITE_ACCESS");
    });
  });

  describe("prescribe", function () {
    it("refuses a severe finding without an override reason and writes nothing", async function () {
      const { jane, chen } = await castWithVault(stack);
      const before = await medicationCids(stack, jane);
      for (const overrideReason of [undefined, "   "]) {
        const refused = await rejection(prescribe(chen, jane.address, PROPRANOLOL, { overrideReason }));
        expect(refused).to.be.instanceOf(PrescribingError);
        expect((refused as PrescribingError).code).to.equal("OVERRIDE_REASON_REQUIRED");
      }
      expect(await medicationCids(stack, jane)).to.deep.equal(before);
    });

    it("writes a valid FHIR R4 MedicationRequest carrying the overridden finding as a DetectedIssue with the reason", async function () {
      const { jane, chen, warfarinCid } = await castWithVault(stack);
      const written = await prescribe(chen, jane.address, IBUPROFEN, { overrideReason: OVERRIDE });

      const [record] = (await jane.client.listRecords(jane.address, { category: CATEGORY.MEDICATIONS })).records;
      expect(record).to.include({ cid: written.cid, author: chen.address, category: CATEGORY.MEDICATIONS });
      const stored = JSON.parse(fromUtf8(await readRecord(jane, jane.address, record)));
      expect(stored).to.deep.equal(written.resource);
      expect(schemaProblems(stored)).to.deep.equal([]);

      expect(stored).to.deep.include({ status: "active", intent: "order" });
      expect(stored.medicationCodeableConcept.coding[0]).to.deep.include({
        system: "http://www.nlm.nih.gov/research/umls/rxnorm",
        code: "5640",
      });
      expect(stored.dosageInstruction[0].text).to.equal("400 mg by mouth three times a day");
      expect(stored.dispenseRequest).to.deep.include({ numberOfRepeatsAllowed: 0, quantity: { value: 21, unit: "tablet" } });
      expect(stored.note).to.deep.equal([{ text: IBUPROFEN.note }]);
      expect(stored.requester.identifier.value).to.equal(chen.address);

      const issues = stored.contained as FhirDetectedIssue[];
      const warfarinIssue = issues.find((i) => i.identifier?.[0].value === "ddi-warfarin-nsaid");
      expect(warfarinIssue, JSON.stringify(issues)).to.not.equal(undefined);
      expect(stored.detectedIssue).to.deep.include({ reference: `#${warfarinIssue!.id}` });
      expect(warfarinIssue).to.deep.include({ severity: "high", status: "final" });
      expect(warfarinIssue!.mitigation![0].action.text).to.equal(OVERRIDE);
      expect(warfarinIssue!.implicated).to.deep.include({
        reference: `ipfs://${warfarinCid}`,
        display: "warfarin sodium 5 MG Oral Tablet",
      });
    });
  });

  describe("routing to a pharmacy", function () {
    it("lets Jane route to Main Street Pharmacy, which opens, dispenses, and loses access on revoke", async function () {
      const { jane, chen } = await castWithVault(stack);
      const pharmacy = await readyActor(stack, PHARMACY);
      const { cid } = await prescribe(chen, jane.address, IBUPROFEN, { overrideReason: OVERRIDE });
      expect(await prescriptionStatus(jane, jane.address, cid)).to.equal("active");

      const routing = await routeToPharmacy(jane, { pharmacy: pharmacy.address, days: 7 });
      expect(routing).to.deep.include({ pharmacyName: "Main Street Pharmacy", removedCategories: [] });
      expect(routing.replaces).to.equal(undefined);
      const ledger = jane.chain.ledger;
      expect(await ledger.hasWriteAccess(jane.address, pharmacy.address, CATEGORY.MEDICATIONS)).to.equal(true);
      expect(await ledger.hasAccess(jane.address, pharmacy.address, CATEGORY.PROBLEMS)).to.equal(false);
      expect(Number((await ledger.grantOf(jane.address, pharmacy.address)).purpose)).to.equal(PURPOSE.TREAT);

      const listed = await routedPrescriptions(pharmacy);
      expect(listed.map((p) => [p.patient, p.cid, p.status])).to.deep.equal([[jane.address, cid, "active"]]);
      const opened = stack.gateway.services.disclosures.list((e) => e.reader === pharmacy.address && e.cid === cid);
      expect(opened).to.have.length(1);
      expect(opened[0]).to.include({ patient: jane.address, basis: "grant", category: CATEGORY.MEDICATIONS, purpose: PURPOSE.TREAT });

      const dispensed = await dispense(pharmacy, jane.address, listed[0], { quantity: 21, note: "Counselled on bleeding signs." });
      expect(schemaProblems(dispensed.resource)).to.deep.equal([]);
      expect(dispensed.resource).to.deep.include({ status: "completed" });
      expect(dispensed.resource.authorizingPrescription).to.deep.equal([
        {
          reference: `MedicationRequest/${listed[0].resource.id}`,
          identifier: { system: "urn:ietf:rfc:3986", value: `ipfs://${cid}` },
        },
      ]);

      expect(await prescriptionStatus(jane, jane.address, cid)).to.equal("dispensed");
      expect(await prescriptionStatus(chen, jane.address, cid)).to.equal("dispensed");
      const [after] = await routedPrescriptions(pharmacy);
      expect(after).to.deep.include({ status: "dispensed", dispensedIn: [{ cid: dispensed.cid, author: pharmacy.address }] });

      await revokeAccess(jane, pharmacy.address);
      const denied = await rejection(pharmacy.client.fetchRecord(cid));
      expect(denied).to.be.instanceOf(GatewayError);
      expect([(denied as GatewayError).status, (denied as GatewayError).code]).to.deep.equal([403, "ACCESS_DENIED"]);
      expect(await routedPrescriptions(pharmacy)).to.deep.equal([]);
    });

    it("replaces a wider grant the pharmacy held with Medications only, and says which categories it loses", async function () {
      const { jane } = await castWithVault(stack);
      const pharmacy = await readyActor(stack, PHARMACY);
      await grantAccess(jane, {
        grantee: pharmacy.address,
        categories: [CATEGORY.MEDICATIONS, CATEGORY.LABS, CATEGORY.IMMUNIZATIONS],
        purpose: PURPOSE.TREAT,
        durationSeconds: DAY,
      });

      const routing = await routeToPharmacy(jane, { pharmacy: pharmacy.address, days: 7 });
      expect(routing.replaces).to.deep.include({ categories: [CATEGORY.MEDICATIONS, CATEGORY.LABS, CATEGORY.IMMUNIZATIONS], write: false });
      expect(routing.removedCategories).to.deep.equal([CATEGORY.LABS, CATEGORY.IMMUNIZATIONS]);
      expect(routing.summary).to.match(
        /^This replaces the grant Main Street Pharmacy holds now \(Medications, Lab results, Immunizations, without write/,
      );
      expect(routing.summary).to.contain("It will no longer see Lab results, Immunizations.");
      expect(await jane.chain.ledger.hasAccess(jane.address, pharmacy.address, CATEGORY.LABS)).to.equal(false);
      expect(await jane.chain.ledger.hasWriteAccess(jane.address, pharmacy.address, CATEGORY.MEDICATIONS)).to.equal(true);
    });

    it("refuses to route to an account the registry does not list as a pharmacy", async function () {
      const { jane, chen } = await castWithVault(stack);
      const scopeBefore = (await jane.chain.ledger.grantOf(jane.address, chen.address)).scope;
      const refused = await rejection(routeToPharmacy(jane, { pharmacy: chen.address, days: 7 }));
      expect(refused).to.be.instanceOf(ClientError);
      expect((refused as ClientError).code).to.equal("NOT_A_PHARMACY");
      expect((await jane.chain.ledger.grantOf(jane.address, chen.address)).scope).to.equal(scopeBefore);
    });
  });
});
