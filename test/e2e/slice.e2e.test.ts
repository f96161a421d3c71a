import { mkdir } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { startStack, type TestStack } from "../support/stack";

const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-results");

async function signInAs(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByRole("button", { name: new RegExp(name) }).click();
  await page.getByTestId("signed-in-as").filter({ hasText: name }).waitFor();
}

describe("the slice in Chromium: patient uploads and grants, doctor reads, patient revokes", function () {
  let stack: TestStack;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  before(async function () {
    stack = await startStack({ webDir: path.resolve(__dirname, "..", "..", "web", "dist") });
    browser = await launchBrowser();
    await mkdir(ARTIFACTS, { recursive: true });
  });

  after(async function () {
    await browser?.close();
    await stack?.close();
  });

  it("shows the doctor the decrypted record, then refuses it after the patient revokes", async function () {
    const patient = await browser.context.newPage();
    await signInAs(patient, stack.url, "Jane Doe");

    // Upload the sample Condition (asthma): encrypted in this page before it is sent.
    await patient.getByRole("button", { name: "Encrypt & upload" }).click();
    await patient.getByTestId("my-records").getByText("Problems & diagnoses").waitFor();

    await patient.getByLabel("Provider").selectOption({ label: "Dr. Alice Chen (family medicine)" });
    await patient.getByLabel("Duration").selectOption({ label: "1 hour" });
    await patient.getByRole("button", { name: "Grant access" }).click();
    await patient.getByText("Access granted; 1 record key(s) shared.").waitFor();
    await patient
      .getByTestId("grants")
      .getByText(/min left/)
      .waitFor();
    await patient.screenshot({ path: path.join(ARTIFACTS, "slice-patient.png"), fullPage: true });

    const doctor = await browser.context.newPage();
    await signInAs(doctor, stack.url, "Dr. Alice Chen");
    await doctor.getByTestId("patients").getByRole("button", { name: "Records" }).click();
    await doctor.getByTestId("patient-records").getByRole("button", { name: "Open" }).click();
    const card = doctor.getByTestId("record-card");
    await card.waitFor();
    expect(await card.innerText()).to.contain("Asthma");
    await doctor.screenshot({ path: path.join(ARTIFACTS, "slice-doctor.png"), fullPage: true });

    await patient.getByTestId("grants").getByRole("button", { name: "Revoke" }).click();
    await patient.getByTestId("grants").getByText("revoked").waitFor();

    await doctor.getByTestId("patient-records").getByRole("button", { name: "Open" }).click();
    const refusal = doctor.getByTestId("doctor-error");
    await refusal.waitFor();
    expect(await refusal.innerText()).to.match(/never granted or has been revoked/);
    expect(await doctor.getByTestId("record-card").count()).to.equal(0);
    await doctor.screenshot({ path: path.join(ARTIFACTS, "slice-doctor-refused.png"), fullPage: true });
  });
});
