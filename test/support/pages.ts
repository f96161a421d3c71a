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
