import { readFile } from "node:fs/promises";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { accessEndedNotice, ARTIFACTS, breakGlass, region, requestAccess, revokeFromPatientPage, shot, signInAs } from "../support/pages";
import { usePortal } from "../support/portal";
import { demoWallet } from "../../scripts/seed";

/** A small synthetic PNG (a striped square), so the image path is exercised with a real image. */
function stripedPng(size = 48): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) row.push(...((x + y) % 12 < 6 ? [11, 110, 79] : [240, 180, 41]));
    rows.push(Buffer.from(row));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const TINY_PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "latin1");

describe("the whole walk in Chromium: patient, doctor, ER doctor and auditor", function () {
  this.timeout(120_000);
  let jane: string;
  // The people's pages stay open from step to step, as they would in four browser tabs.
  let patient: Page;
  let doctor: Page;
  let er: Page;
  let auditor: Page;

  const portal = usePortal(() => {
    jane = demoWallet(1, portal.stack.provider).address;
  });

  it("Jane fills her vault with a condition, an image and a PDF, all encrypted in the page, and is told in words that broken JSON is not FHIR", async function () {
    patient = await portal.browser.context.newPage();
    await signInAs(patient, portal.stack.url, "Jane Doe");
    const upload = region(patient, "Add a record");
    await upload.getByLabel("Condition", { exact: true }).fill("Asthma");
    await upload.getByLabel("When it started").fill("2019-04-02");
    await upload.getByRole("button", { name: "Encrypt & add to my vault" }).click();
    await upload.getByText("Added to your vault as Problems & diagnoses: Asthma.").waitFor();
    await upload.getByLabel("What are you adding?").selectOption({ label: "A document, scan or photo (PDF or image file)" });
    await upload.getByLabel("File (PDF or image)").setInputFiles({ name: "chest-xray.png", mimeType: "image/png", buffer: stripedPng() });
    await upload.getByRole("button", { name: "Encrypt & upload" }).click();
    await upload.getByText("Added to your vault as Imaging: chest-xray.png.").waitFor(); // images default to Imaging
    await upload
      .getByLabel("File (PDF or image)")
      .setInputFiles({ name: "discharge-letter.pdf", mimeType: "application/pdf", buffer: TINY_PDF });
    await upload.getByRole("button", { name: "Encrypt & upload" }).click();
    await upload.getByText("Added to your vault as Clinical notes & documents: discharge-letter.pdf.").waitFor();
    await upload.getByText("Paste FHIR JSON (advanced)").click();
    await upload.getByLabel("FHIR R4 JSON").fill("{ not json");
    await upload.getByRole("button", { name: "Encrypt & upload the JSON" }).click();
    // Said in words, never the JSON parser's own message.
    const notFhir = await upload.getByRole("alert").innerText();
    expect(notFhir)
      .to.match(/^This file is not a FHIR file/)
      .and.not.match(/JSON\.parse|Unexpected token|position/);

    const vault = patient.getByTestId("my-records");
    await vault.getByRole("listitem").nth(2).waitFor();
    // Newest first: the PDF, then the image, then the Condition.
    expect(await vault.getByRole("listitem").allInnerTexts()).to.satisfy(
      (t: string[]) => t[0].includes("Clinical notes") && t[2].includes("Problems"),
    );
    await vault.getByRole("button", { name: /^Open Imaging/ }).click();
    await vault.locator("img.record-image").waitFor();
    await vault.screenshot({ path: path.join(ARTIFACTS, "walk-patient-image.png") });
    await vault.getByRole("button", { name: /^Hide Imaging/ }).click();
    await vault.getByRole("button", { name: /^Open Clinical notes/ }).click();
    expect(await vault.getByRole("link", { name: "Download the PDF" }).getAttribute("download")).to.match(/\.pdf$/);
  });

  it("Jane grants Dr. Chen her problem list for an hour", async function () {
    const grantForm = region(patient, "Grant access");
    await grantForm.getByLabel("Provider").selectOption({ label: "Dr. Alice Chen (family medicine)" });
    await grantForm.getByLabel("Duration").selectOption({ label: "1 hour" });
    await grantForm.getByRole("button", { name: "Review & grant access…" }).click();
    await patient.getByRole("dialog").getByRole("button", { name: "Sign and grant access" }).click();
    await grantForm.getByText(/^Access granted until .*records you add later in these categories open for them too/).waitFor();
    await patient
      .getByTestId("grants")
      .getByText(/^1 h left$|min left$/)
      .waitFor();
  });

  it("Dr. Chen asks for more (lab results, with write access) and, separately, for mental health", async function () {
    doctor = await portal.browser.context.newPage();
    await signInAs(doctor, portal.stack.url, "Dr. Alice Chen");
    await doctor.getByTestId("patients").getByText("Jane Doe").waitFor();
    const request = await requestAccess(doctor, jane, ["Lab results"], true);
    await request.getByLabel("Problems & diagnoses").uncheck();
    await request.getByLabel("Lab results").uncheck();
    await request.getByLabel("Ask to add records of these categories too").uncheck();
    await request.getByLabel("Mental health").check();
    await request.getByRole("button", { name: "Send request" }).click();
    await doctor.getByTestId("my-requests").getByRole("listitem").nth(1).waitFor();
    expect(await doctor.getByTestId("my-requests").getByText("pending").count()).to.equal(2);
  });

  it("Jane approves the lab request and denies the mental-health one", async function () {
    await patient.getByRole("button", { name: "Refresh" }).click();
    const pending = patient.getByTestId("pending-requests");
    await pending.getByRole("listitem").nth(1).waitFor();
    await shot(patient, "walk-patient-requests");
    await pending
      .getByRole("listitem")
      .filter({ hasText: "Lab results" })
      .getByRole("button", { name: /^Approve/ })
      .click();
    await patient.getByRole("dialog").getByRole("button", { name: "Sign and approve" }).click();
    await patient.getByText(/^Approved: Dr\. Alice Chen .* can now open the records the request covers/).waitFor();
    await pending.getByRole("listitem").filter({ hasText: "Mental health" }).getByRole("button", { name: /^Deny/ }).click();
    await patient.getByText(/^Denied Dr\. Alice Chen/).waitFor();
    expect(await pending.getByRole("listitem").count()).to.equal(0);
  });

  it("Dr. Chen sees both answers, reads the asthma record as a card and adds an HbA1c result", async function () {
    await doctor.getByRole("button", { name: "Refresh", exact: true }).click();
    await doctor.getByTestId("my-requests").getByText("approved").waitFor();
    await doctor.getByTestId("my-requests").getByText("denied").waitFor();
    await doctor
      .getByTestId("patients")
      .getByText(/Lab results · may add records/)
      .waitFor();
    await doctor.getByTestId("patients").getByRole("button", { name: "Records of Jane Doe" }).click();
    const records = doctor.getByTestId("patient-records");
    await records.getByRole("button", { name: /^Open Problems/ }).click();
    const card = records.getByTestId("record-card");
    await card.waitFor();
    expect(await card.innerText()).to.contain("Asthma");
    // The same forms Jane uses, filed only under the categories his grant covers.
    const add = doctor.getByRole("group", { name: "Add a record to this patient's vault" });
    await add.getByLabel("What are you adding?").selectOption({ label: "A lab or test result" });
    const form = add.getByRole("form", { name: "Add lab or test result" });
    expect(await form.getByLabel("File it under").locator("option").allInnerTexts()).to.deep.equal([
      "The usual category for this kind of record",
      "Problems & diagnoses",
      "Lab results",
    ]);
    const save = form.getByRole("button", { name: "Encrypt & add to Jane Doe's vault" });
    await save.click();
    await add.getByText("Enter the name of the test, for example HbA1c.").waitFor();
    expect(await form.getByLabel("Test", { exact: true }).getAttribute("aria-invalid")).to.equal("true");
    await form.getByLabel("Test", { exact: true }).fill("HbA1c");
    await form.getByLabel("Result (a number)").fill("6.1");
    await form.getByLabel(/^Unit/).fill("%");
    await form.getByLabel("Normal range from").fill("4");
    await form.getByLabel("Normal range to").fill("5.6");
    await form.getByLabel("Date of the test").fill("2026-01-20");
    await form.getByLabel("Was it normal?").selectOption({ label: "High" });
    expect(await form.getByLabel("Test", { exact: true }).getAttribute("aria-invalid"), "a corrected answer loses its note").to.equal(null);
    expect(await form.getByRole("alert").count(), "every answer that had a note was corrected").to.equal(0);
    await add.screenshot({ path: path.join(ARTIFACTS, "walk-doctor-add-record.png") });
    await doctor.setViewportSize({ width: 390, height: 844 });
    await add.screenshot({ path: path.join(ARTIFACTS, "walk-doctor-add-record-phone.png") });
    await doctor.setViewportSize({ width: 1280, height: 900 });
    await save.click();
    await add.getByText("Added to Jane Doe's vault as Lab results: HbA1c 6.1 %.").waitFor();
    await doctor.getByTestId("patient-records").getByText("by you").waitFor();
    await records.getByTestId("record-card").waitFor();
    await shot(doctor, "walk-doctor");
    await shot(doctor, "walk-doctor-phone", true);
  });

  it("Jane finds Dr. Chen's lab result in her timeline and reads it as a card", async function () {
    await patient.getByRole("button", { name: "Refresh" }).click();
    const vault = patient.getByTestId("my-records");
    const lab = vault.getByRole("listitem").filter({ hasText: "Lab results" });
    await lab.getByText("by Dr. Alice Chen (family medicine)").waitFor();
    await lab.getByRole("button", { name: /^Open Lab results/ }).click();
    const labCard = lab.getByTestId("record-card");
    await labCard.waitFor();
    expect(await labCard.innerText()).to.match(/HbA1c[\s\S]*6\.1 %[\s\S]*4 % – 5\.6 %/);
  });

  it("Jane revokes Dr. Chen, whose view then says so, lists no records and offers no writing", async function () {
    const records = doctor.getByTestId("patient-records");
    const add = doctor.getByRole("group", { name: "Add a record to this patient's vault" });
    await revokeFromPatientPage(patient, "Dr. Alice Chen");
    // Dr. Chen's page learns of the revoke live (or at the latest on Refresh): his list says so and shows no records.
    const ended = await accessEndedNotice(doctor);
    await ended.getByText(/^Jane Doe revoked your access\./).waitFor();
    expect(await records.getByTestId("record-card").count()).to.equal(0);
    // The grant is shown as revoked, and there is no more "add a record".
    await doctor.getByTestId("patients").getByText("revoked").waitFor();
    expect(await add.count()).to.equal(0);
    await shot(doctor, "walk-doctor-refused");
  });

  it("Jane publishes her emergency summary and turns emergency access on for 15 minutes", async function () {
    // A transaction from her own wallet, through the gateway's RPC.
    const emergency = region(patient, "Emergency access");
    await emergency.getByTestId("emergency-policy").getByText(/^Off/).waitFor();
    await emergency.getByLabel("Longest emergency window").selectOption({ label: "15 min" });
    // The ready-made summary (records.e2e builds one from the vault): its penicillin allergy is what the ER must see.
    await emergency.getByText("Paste an International Patient Summary instead (advanced)").click();
    await emergency.getByRole("button", { name: "Publish the pasted summary" }).click();
    await emergency
      .getByTestId("emergency-policy")
      .getByText(/^On .* up to 15 min/)
      .waitFor();
  });

  it("Dr. Haddad in the ER breaks the glass and sees the emergency summary only, under a loud banner", async function () {
    er = await portal.browser.context.newPage();
    await signInAs(er, portal.stack.url, "Dr. Omar Haddad");
    await breakGlass(er, "Unresponsive on arrival; checking allergies before treatment.", jane);
    const summary = er.getByTestId("emergency-summary");
    await summary.waitFor();
    const banner = await summary.getByRole("alert").innerText();
    expect(banner, banner).to.match(/Emergency access — this access is recorded on-chain and audited[\s\S]*window 1[4-6] min left/);
    const summaryText = await summary.innerText();
    expect(summaryText).to.contain("Penicillin").and.contain("Salbutamol").and.contain("Asthma");
    expect(summaryText).not.to.contain("HbA1c");
    await shot(er, "walk-er");
    await shot(er, "walk-er-phone", true);
    // Nothing else opens: he holds no grant, so the vault lists him the emergency summary alone, for the window.
    expect(await er.getByTestId("patients").getByRole("listitem").count()).to.equal(0);
    await er.getByLabel("Find a patient by address").fill(jane);
    await er.getByRole("button", { name: "Look up" }).click();
    const erList = er.getByTestId("patient-records");
    await erList.getByRole("listitem").first().waitFor();
    expect(await erList.getByRole("listitem").allInnerTexts()).to.satisfy((t: string[]) => t.length === 1 && t[0].includes("Emergency"));
  });

  it("Jane sees who saw what, with the emergency access in red on top", async function () {
    await patient.getByRole("button", { name: "Refresh" }).click();
    const seen = patient.getByTestId("disclosures");
    await seen.getByText("Emergency access by Dr. Omar Haddad (emergency)").first().waitFor();
    // Two entries for the emergency, on top: the summary's key handed over (with his justification), and its ciphertext.
    expect(await seen.locator("li.emergency").count()).to.equal(2);
    const seenItems = await seen.getByRole("listitem").allInnerTexts();
    expect(seenItems, seenItems.join(" | ")).to.satisfy(
      (t: string[]) =>
        t.length === 3 &&
        t.slice(0, 2).some((x) => x.includes("Reason given: Unresponsive on arrival")) &&
        t[2].includes("Dr. Alice Chen") &&
        t[2].includes("Treatment (TREAT)"),
    );
    await shot(patient, "walk-patient");
    await shot(patient, "walk-patient-phone", true);
  });

  it("Sam Reyes, the auditor, reads the timeline in order, checks the log's verification, sees the break-glass flagged and exports a CSV", async function () {
    auditor = await portal.browser.context.newPage();
    await signInAs(auditor, portal.stack.url, "Sam Reyes");
    await auditor.getByLabel("Patient address").fill(jane);
    await auditor.getByRole("button", { name: "Show timeline" }).click();
    const timeline = auditor.getByTestId("audit-timeline");
    await timeline
      .getByText(/^Emergency access by Dr\. Omar Haddad/)
      .first()
      .waitFor();
    expect(await timeline.getByText(/^The patient read/).count()).to.be.greaterThan(0);
    await auditor.getByLabel("Hide the patient's own reads").check();
    const others = await timeline.getByRole("listitem").allInnerTexts();
    expect(others, others.join(" | ")).to.have.length(3);
    expect(others[0]).to.match(/Dr\. Alice Chen \(family medicine\) read Problems & diagnoses[\s\S]*under a grant/);
    expect(others[1]).to.match(/Emergency access by Dr\. Omar Haddad \(emergency\): Emergency summary[\s\S]*EMERGENCY/);
    expect(others[2]).to.match(/Emergency access by Dr\. Omar Haddad \(emergency\): Emergency summary[\s\S]*EMERGENCY/);
    await auditor.getByLabel("Provider").selectOption({ label: "Dr. Alice Chen (family medicine)" });
    expect(await timeline.getByRole("listitem").count()).to.equal(1);
    await auditor.getByLabel("Provider").selectOption({ label: "All providers" });
    expect(await auditor.getByTestId("verification").innerText()).to.match(/^Verified: \d+ entries, hash chain intact/);
    // The compliance alerts flag the ER doctor's break-glass for review; the CSV export downloads the whole history.
    await auditor.getByTestId("compliance-alerts").getByText("BREAK_GLASS").first().waitFor();
    expect(await auditor.getByTestId("compliance-alerts").innerText()).to.match(/BREAK_GLASS[\s\S]*broke the glass[\s\S]*tx 0x/);
    const [download] = await Promise.all([auditor.waitForEvent("download"), auditor.getByRole("button", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).to.match(new RegExp(`^consent-history-${jane.slice(0, 10)}-\\d{4}-\\d\\d-\\d\\dT\\d{4}Z\\.csv$`));
    expect(await readFile(await download.path(), "utf8")).to.contain("grant");
    await auditor.getByText(/^Downloaded the CSV export/).waitFor();
    await shot(auditor, "walk-auditor");
    await shot(auditor, "walk-auditor-phone", true);
  });

  it("Jane ends everything with one confirmed click of the panic button", async function () {
    const panic = patient.getByTestId("revoke-everything");
    await panic.getByRole("button", { name: "Revoke everything…" }).click();
    await patient.getByRole("dialog").getByRole("button", { name: "Yes, revoke everything" }).click();
    await panic.getByText(/^You ended all access on /).waitFor();
  });
});
