import { writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import type { Locator, Page } from "playwright-core";
import { CATEGORY, PURPOSE } from "../../lib/consent/codes";
import { addOwnRecord, addRecordForPatient, grantAccess, publishEmergencySummary } from "../../lib/client";
import { buildAllergyIntolerance, buildCondition, buildMedicationStatement, resourceBytes, unwrap } from "../../lib/fhir";
import { readyActor } from "../support/actors";
import { seriousAxeViolationsAtBothWidths, type AxeFinding } from "../support/axe";
import { accessEndedNotice, ARTIFACTS, breakGlass, region, revokeFromPatientPage, shots, signInAs } from "../support/pages";
import { usePortal } from "../support/portal";
import { SAMPLE_EMERGENCY_SUMMARY } from "../../web/src/views/patient/samples";

// Demo cast (lib/demo/accounts.ts).
const JANE = 1;
const DR_CHEN = 2;
const PHARMACY = 9;
const DR_PATEL = 10;
const DAY = 86_400;
const OVERRIDE = "Bleeding risk discussed with the patient; INR check in 3 days, shortest course.";

/**
 * The app's sample emergency summary (penicillin anaphylaxis, salbutamol, then asthma) with a low-risk allergy put
 * first in the document: triage must still show the penicillin first, and active problems before current medications.
 */
function emergencySummary(): string {
  const summary = JSON.parse(SAMPLE_EMERGENCY_SUMMARY) as { entry: unknown[] };
  summary.entry.splice(1, 0, { resource: { resourceType: "AllergyIntolerance", criticality: "low", code: { text: "Latex" } } });
  return JSON.stringify(summary);
}

/**
 * The parts of the pages this walk's features built (the emergency card, break-glass, the provider's panels,
 * prescribing, pharmacy, the patient's prescriptions). The shared category checkboxes are left to their owner: they
 * are styled by the global stylesheet, another engineer's scope.
 */
const OWN_PARTS = ["card", "glass", "patients", "records", "request", "my-requests", "pharmacy", "prescriptions"]
  .map((id) => `section[aria-labelledby="${id}-title"]`)
  .join(", ");
const SHARED_PARTS = ".checks";

/** Violations outside the parts built here, kept for the report rather than failed on. */
const elsewhere = new Map<string, AxeFinding>();

/** No serious or critical WCAG 2.2 AA violation, at either width, in the parts this walk's features built. */
async function expectAccessible(page: Page): Promise<void> {
  const { desktop, phone } = await seriousAxeViolationsAtBothWidths(page);
  const own: AxeFinding[] = [];
  for (const finding of [...desktop, ...phone]) {
    const inOwn = await page.evaluate(
      ({ targets, ownParts, shared }) =>
        targets.filter((t) => {
          const el = document.querySelector(t);
          return el !== null && el.closest(ownParts) !== null && el.closest(shared) === null;
        }),
      { targets: finding.targets, ownParts: OWN_PARTS, shared: SHARED_PARTS },
    );
    if (inOwn.length > 0) own.push({ ...finding, targets: inOwn });
    else elsewhere.set(`${finding.rule} ${finding.targets.join(" | ")}`, finding);
  }
  expect(own, JSON.stringify(own, null, 1)).to.deep.equal([]);
}

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Where an element and the page's first panel start, in CSS px from the top of the document (not of the viewport). */
async function placeOf(page: Page, selector: string): Promise<{ top: number; firstPanel: number }> {
  return page.evaluate((selector) => {
    const top = (el: Element) => el.getBoundingClientRect().top + window.scrollY;
    const panels = Array.from(document.querySelectorAll("section.panel"), top);
    return { top: top(document.querySelector(selector)!), firstPanel: Math.min(...panels) };
  }, selector);
}

/**
 * What the print button sends to paper: the browser's dialog is replaced by a no-op (headless Chromium has none to
 * show), the button is clicked and the page is rendered with print media into a screenshot, then restored.
 */
async function printed(page: Page, button: Locator, name: string): Promise<void> {
  await page.evaluate(() => {
    window.print = () => undefined;
  });
  await button.click();
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  await page.emulateMedia({ media: "screen" });
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  expect(await page.locator("[data-print-target]").count(), "the print marks are removed after printing").to.equal(0);
}

describe("clinicians in Chromium: emergency card, break-glass triage, prescribing, routing and dispensing", function () {
  this.timeout(120_000);
  let jane: string;
  let link: string;
  let qrPng: Buffer;
  let patient: Page;
  let er: Page;
  let doctor: Page;
  let pharmacy: Page;

  const portal = usePortal(async () => {
    // The records the other engineers' forms add (their scope): Jane's asthma and penicillin allergy, Dr Patel's
    // warfarin, her emergency summary, and grants to Dr Patel and Dr Chen covering Medications with write access.
    const [janeActor, chen, patel] = await Promise.all([
      readyActor(portal.stack, JANE),
      readyActor(portal.stack, DR_CHEN),
      readyActor(portal.stack, DR_PATEL),
    ]);
    await readyActor(portal.stack, PHARMACY); // the pharmacy has published its key, so Jane can route to it before it signs in
    jane = janeActor.address;
    const self = { address: jane, display: "Jane Doe" };
    const asthma = buildCondition({ name: "Asthma", snomedCode: "195967001", onsetDate: "2015", clinicalStatus: "active", patient: self });
    const penicillin = buildAllergyIntolerance({
      substance: "Penicillin",
      category: "medication",
      criticality: "high",
      reaction: "Hives",
      patient: self,
    });
    await addOwnRecord(janeActor, { plaintext: resourceBytes(unwrap(asthma)), category: CATEGORY.PROBLEMS });
    await addOwnRecord(janeActor, { plaintext: resourceBytes(unwrap(penicillin)), category: CATEGORY.ALLERGIES });
    const medicationsWrite = { categories: [CATEGORY.MEDICATIONS], purpose: PURPOSE.TREAT, durationSeconds: DAY, write: true };
    await grantAccess(janeActor, { grantee: patel.address, ...medicationsWrite });
    const warfarin = buildMedicationStatement({
      drug: "warfarin sodium 5 MG Oral Tablet",
      rxnormCode: "855332",
      dose: "5 mg once a day",
      status: "active",
      patient: { address: jane },
      informationSource: { display: "Dr. Priya Patel (cardiology)", address: patel.address },
    });
    await addRecordForPatient(patel, { patient: jane, plaintext: resourceBytes(unwrap(warfarin)), category: CATEGORY.MEDICATIONS });
    await grantAccess(janeActor, {
      grantee: chen.address,
      ...medicationsWrite,
      categories: [CATEGORY.PROBLEMS, CATEGORY.ALLERGIES, CATEGORY.MEDICATIONS],
    });
    await publishEmergencySummary(janeActor, { summary: new TextEncoder().encode(emergencySummary()), windowSeconds: 900 });
  });

  after(async function () {
    await writeFile(path.join(ARTIFACTS, "clinician-axe-elsewhere.json"), JSON.stringify([...elsewhere.values()], null, 1));
  });

  it("Jane shows her emergency card: a QR code and a link that name her on this ledger and nothing else", async function () {
    patient = await portal.browser.context.newPage();
    await signInAs(patient, portal.stack.url, "Jane Doe");
    const card = region(patient, "Emergency card");
    link = await card.getByTestId("emergency-link").innerText();
    const ledger = portal.stack.deployment.contracts.ConsentLedger.address;
    expect(link).to.equal(
      `${new URL("/", portal.stack.url).toString()}?patient=${jane}&chain=${portal.stack.deployment.chainId}&ledger=${ledger}`,
    );
    const qr = card.getByRole("img", { name: "QR code of your emergency card link" });
    const dataUrl = await qr.getAttribute("src");
    expect(dataUrl).to.match(/^data:image\/png;base64,/);
    qrPng = Buffer.from(dataUrl!.split(",")[1], "base64");
    await printed(patient, card.getByRole("button", { name: "Print the card" }), "clinician-1-card-printed");
    await card.scrollIntoViewIfNeeded();
    await shots(patient, "clinician-1-emergency-card");
    await expectAccessible(patient);
  });

  it("Dr. Haddad opens Jane from the card's link, and from a photo of its QR code, without typing an address", async function () {
    er = await portal.browser.context.newPage();
    await signInAs(er, link, "Dr. Omar Haddad");
    await er.getByRole("heading", { name: "Records of Jane Doe" }).waitFor();
    const glass = region(er, "Break the glass");
    expect(await glass.getByTestId("glass-patient").innerText()).to.match(/^Patient: Jane Doe/);
    expect(await glass.getByLabel("Patient address").count()).to.equal(0);
    // Nothing granted yet: said as what to do, not as a refusal.
    await er
      .getByTestId("not-granted")
      .getByText(/^Jane Doe has not granted you access.*break the glass/)
      .waitFor();

    // A card of another network is refused in words, and opens no one.
    const foreign = link.replace(/chain=\d+/, "chain=1");
    await signInAs(er, foreign, "Dr. Omar Haddad");
    expect(await er.getByTestId("link-error").innerText()).to.match(/another Consent Ledger network/);
    expect(await er.getByRole("heading", { name: /^Records of/ }).count()).to.equal(0);

    // The photo fallback (no camera here): the card's own QR image, decoded in the page.
    await er.getByLabel("…or a photo of the card").setInputFiles({ name: "card.png", mimeType: "image/png", buffer: qrPng });
    await er.getByRole("heading", { name: "Records of Jane Doe" }).waitFor();
    await shots(er, "clinician-2-er-opened-from-card");
    await expectAccessible(er);
  });

  it("Dr. Haddad breaks the glass with a justification and reads the summary in triage order, allergy first", async function () {
    // Jane's page, open since the first step, must learn of this by itself: a mark that a reload would wipe.
    await patient.evaluate(() => Object.assign(window, { openedBeforeBreakGlass: true }));
    expect(await patient.getByTestId("emergency-banner").count(), "no emergency yet").to.equal(0);
    await breakGlass(er, "Unresponsive on arrival; checking allergies before treatment.");
    const triage = er.getByTestId("triage");
    await triage.waitFor();
    const allergies = triage.getByTestId("triage-allergies").getByRole("listitem");
    expect(await allergies.allInnerTexts()).to.satisfy(
      (t: string[]) => t.length === 2 && /^High risk\s*Penicillin — reaction: Anaphylaxis \(severe\)/.test(t[0]) && t[1].includes("Latex"),
    );
    expect(await allergies.first().getAttribute("class")).to.equal("high-risk");
    const text = await triage.innerText();
    expect(text.indexOf("Penicillin")).to.be.below(text.indexOf("Asthma"));
    expect(text.indexOf("Asthma"), "active problems before current medications").to.be.below(text.indexOf("Salbutamol"));
    await printed(
      er,
      er.getByTestId("emergency-summary").getByRole("button", { name: "Print the summary" }),
      "clinician-3-summary-printed",
    );
    await er.getByTestId("emergency-summary").scrollIntoViewIfNeeded();
    await shots(er, "clinician-3-er-triage");
    await expectAccessible(er);
  });

  it("Jane sees Dr. Haddad's emergency access in a banner at the top of her open page, without refreshing", async function () {
    const banner = patient.getByTestId("emergency-banner");
    await banner
      .getByText(
        /Dr\. Omar Haddad \(emergency\) opened your emergency summary on .*Reason given: “Unresponsive on arrival; checking allergies/,
      )
      .waitFor({ timeout: 30_000 });
    expect(await patient.evaluate(() => "openedBeforeBreakGlass" in window), "the page was not reloaded").to.equal(true);
    expect(await banner.getByRole("heading", { name: "Emergency access to your records" }).isVisible()).to.equal(true);
    expect(await banner.getAttribute("role")).to.equal("alert");
    expect(await banner.getByRole("listitem").count(), "one line per reader, not per log entry").to.equal(1);
    for (const viewport of [DESKTOP, PHONE]) {
      await patient.setViewportSize(viewport);
      const at = await placeOf(patient, '[data-testid="emergency-banner"]');
      expect(at.top, `above every panel at ${viewport.width} px`).to.be.below(at.firstPanel);
      expect(at.top, `in the first third of the screen at ${viewport.width} px`).to.be.below(viewport.height / 3);
    }
    await shots(patient, "clinician-3-patient-emergency-banner");
  });

  it("Dr. Chen prescribes ibuprofen, sees the warfarin interaction, gives a reason and signs", async function () {
    doctor = await portal.browser.context.newPage();
    await signInAs(doctor, portal.stack.url, "Dr. Alice Chen");
    await doctor.getByTestId("patients").getByRole("button", { name: "Records of Jane Doe" }).click();
    const form = doctor.getByRole("group", { name: "Prescribe" });
    await form.getByLabel("Drug").selectOption({ label: "Ibuprofen (RxNorm 5640)" });
    await form.getByRole("button", { name: "Check interactions" }).click();
    const finding = form
      .getByTestId("findings")
      .getByRole("listitem")
      .filter({ hasText: /warfarin/i });
    await finding.waitFor();
    expect(await finding.innerText()).to.match(
      /^Major: Ibuprofen with warfarin[\s\S]*recorded by Dr\. Priya Patel \(cardiology\)[\s\S]*Source: /,
    );
    const sign = form.getByRole("button", { name: "Sign & add to the patient's vault" });
    expect(await sign.isDisabled(), "a major finding needs a reason first").to.equal(true);
    await form.getByLabel(/^Why you prescribe it anyway/).fill(OVERRIDE);
    await shots(doctor, "clinician-4-prescribe-finding");
    await expectAccessible(doctor);
    await sign.click();
    await form.getByText(/^Prescribed Ibuprofen for Jane Doe, with the findings and your reason attached/).waitFor();
  });

  it("Jane sends the prescription to Main Street Pharmacy from its card in one step", async function () {
    await patient.getByRole("button", { name: "Refresh" }).click();
    const item = patient.getByTestId("prescriptions").getByRole("listitem").filter({ hasText: "Ibuprofen" });
    await item.getByTestId("prescription-status").getByText("not sent to a pharmacy").waitFor();
    expect(await item.innerText()).to.contain("by Dr. Alice Chen (family medicine)");
    await item.getByLabel(/^Pharmacy for/).selectOption({ label: "Main Street Pharmacy" });
    await item.getByRole("button", { name: "Send to pharmacy" }).click();
    await item.getByText(/^Sent\. Main Street Pharmacy will be able to read your Medications/).waitFor();
    await item.getByTestId("prescription-status").getByText("routed to Main Street Pharmacy").waitFor();
    await item.scrollIntoViewIfNeeded();
    await shots(patient, "clinician-5-patient-routed");
    await expectAccessible(patient);
  });

  it("Main Street Pharmacy opens the routed prescription and records the dispense", async function () {
    pharmacy = await portal.browser.context.newPage();
    await signInAs(pharmacy, portal.stack.url, "Main Street Pharmacy");
    const list = region(pharmacy, "Prescriptions routed to you");
    const item = list.getByTestId("routed-prescriptions").getByRole("listitem").filter({ hasText: "Ibuprofen" });
    await item.getByText("to dispense").waitFor();
    expect(await item.innerText()).to.match(/for Jane Doe[\s\S]*prescribed by Dr\. Alice Chen/);
    await item.getByRole("button", { name: /^Open Ibuprofen.* for Jane Doe$/ }).click();
    const detail = item.getByTestId("prescription-detail");
    expect(await detail.getByLabel("Quantity handed over").inputValue()).to.equal("21");
    await shots(pharmacy, "clinician-6-pharmacy-open");
    await expectAccessible(pharmacy);
    await detail.getByRole("button", { name: "Record dispense" }).click();
    await list.getByText("dispensed", { exact: true }).waitFor();
  });

  it("Jane and Dr. Chen then see the prescription as dispensed", async function () {
    await patient.getByRole("button", { name: "Refresh" }).click();
    const item = patient.getByTestId("prescriptions").getByRole("listitem").filter({ hasText: "Ibuprofen" });
    await item.getByTestId("prescription-status").getByText("dispensed", { exact: true }).waitFor();
    expect(await item.getByRole("button", { name: "Send to pharmacy" }).count()).to.equal(0);
    await shots(patient, "clinician-7-patient-dispensed");

    const written = doctor.getByRole("group", { name: "Prescriptions you wrote" });
    await written.getByRole("button", { name: "Check whether they were dispensed" }).click();
    await written.getByTestId("written-prescriptions").getByText("dispensed", { exact: true }).waitFor();
    await expectAccessible(patient);
  });

  it("after Jane revokes Dr. Chen, his view says so in words and offers to request access again", async function () {
    await revokeFromPatientPage(patient, "Dr. Alice Chen");
    const ended = await accessEndedNotice(doctor);
    await ended.getByText(/^Jane Doe revoked your access\./).waitFor();
    expect(await doctor.getByRole("group", { name: "Prescribe" }).count()).to.equal(0);
    await ended.getByRole("button", { name: "Request access again" }).click();
    const request = region(doctor, "Request access");
    expect(await request.getByLabel("Patient address").inputValue()).to.equal(jane);
    // The ended grant's terms are offered again: the same categories, with write access.
    expect(await request.getByLabel("Medications").isChecked()).to.equal(true);
    expect(await request.getByLabel("Ask to add records of these categories too").isChecked()).to.equal(true);
    expect(await doctor.getByTestId("patient-records").count(), "no stale list of records after the revoke").to.equal(0);
    await region(doctor, "Request access").getByText("That is Jane Doe.").waitFor();
    await shots(doctor, "clinician-8-doctor-revoked");
    await expectAccessible(doctor);
  });
});
