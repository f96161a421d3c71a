import path from "node:path";
import type { Locator, Page } from "playwright-core";

/** Where browser tests leave screenshots for people to look at. */
export const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-results");
const PHONE = { width: 390, height: 844 };

/** Opens the app and signs in as a demo person of the development wallet. */
export async function signInAs(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByRole("button", { name: new RegExp(name) }).click();
  await page.getByTestId("signed-in-as").filter({ hasText: name }).waitFor();
}

/** A full-page screenshot in test-results/, at 1280 px or (`phone`) 390 px wide. */
export async function shot(page: Page, name: string, phone = false): Promise<void> {
  if (phone) await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  if (phone) await page.setViewportSize({ width: 1280, height: 900 });
}

/** Full-page screenshots at 1280 px (`<name>.png`) and at 390 px (`<name>-phone.png`), the width restored after. */
export async function shots(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await shot(page, name);
  await shot(page, `${name}-phone`, true);
}

/** A page region (a panel) by its exact accessible name. */
export function region(page: Page, name: string): Locator {
  return page.getByRole("region", { name, exact: true });
}

/** The patient revokes one grantee from "Who can see my records", confirms in the dialog, and waits for "revoked". */
export async function revokeFromPatientPage(patient: Page, grantee: string): Promise<void> {
  const grants = patient.getByTestId("grants");
  await grants.getByRole("button", { name: new RegExp(`^Revoke ${grantee.replace(/[.()]/g, "\\$&")}`) }).click();
  await patient.getByRole("dialog").getByRole("button", { name: "Sign and revoke" }).click();
  await grants.getByText("revoked").waitFor();
}

/**
 * A provider asks a patient for access from "Request access": the patient's address, the categories to tick (beside
 * any the form ticks itself) and, with `addRecords`, leave to add records too. Waits for "Request sent."; returns the
 * form, for a suite that sends another.
 */
export async function requestAccess(provider: Page, patient: string, categories: readonly string[], addRecords = false): Promise<Locator> {
  const request = region(provider, "Request access");
  await request.getByLabel("Patient address").fill(patient);
  for (const category of categories) await request.getByLabel(category).check();
  if (addRecords) await request.getByLabel("Ask to add records of these categories too").check();
  await request.getByRole("button", { name: "Send request" }).click();
  await request.getByText("Request sent.").waitFor();
  return request;
}

/** An ER doctor breaks the glass (reason BTG) with a justification, through both confirmations; `patient` when the page does not name one already. */
export async function breakGlass(er: Page, justification: string, patient?: string): Promise<void> {
  const glass = region(er, "Break the glass");
  if (patient !== undefined) await glass.getByLabel("Patient address").fill(patient);
  await glass.getByLabel(/^Why you need it/).fill(justification);
  await glass.getByLabel("Reason").selectOption({ label: "Break the glass (BTG)" });
  await glass.getByRole("button", { name: "Break the glass…" }).click();
  await glass.getByRole("button", { name: "Break the glass now" }).click();
}

/**
 * A provider's "access ended" notice, once his page shows it: live, or at the latest after Refresh (the gateway may
 * answer from a head up to its documented 500 ms old, so a list read right after the revoke can still show it live).
 */
export async function accessEndedNotice(provider: Page): Promise<Locator> {
  const ended = provider.getByTestId("access-ended");
  for (let tries = 0; (await ended.count()) === 0 && tries < 20; tries++) {
    await ended.waitFor({ timeout: 1_000 }).catch(() => undefined);
    if ((await ended.count()) === 0) await provider.getByRole("button", { name: "Refresh", exact: true }).click();
  }
  return ended;
}
