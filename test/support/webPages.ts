import type { Locator, Page } from "playwright-core";

/** Opens the app and signs in with the development wallet's account named `name`, as a person would. */
export async function signInAs(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByRole("button", { name: new RegExp(name) }).click();
  await page.getByTestId("signed-in-as").filter({ hasText: name }).waitFor();
}

/** A panel of the app by its heading (each panel is a region labelled by its h2). */
export function region(page: Page, name: string): Locator {
  return page.getByRole("region", { name, exact: true });
}
