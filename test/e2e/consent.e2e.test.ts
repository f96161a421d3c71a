import { expect } from "chai";
import type { Page } from "playwright-core";
import { seriousAxeViolationsAtBothWidths } from "../support/axe";
import { usePortal } from "../support/portal";
import { region, requestAccess, shots, signInAs } from "../support/pages";
import { demoWallet } from "../../scripts/seed";

/** The label of the element that has focus, to check where a dialog put it and where it gave it back. */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return `${el?.closest("dialog") ? "in dialog: " : ""}${el?.getAttribute("aria-label") ?? el?.textContent ?? ""}`.trim();
  });
}

describe("consent that reads like consent, in Chromium", function () {
  this.timeout(120_000);
  let jane: Page;
  let chen: Page;
  let janeAddress: string;

  const portal = usePortal(async () => {
    janeAddress = demoWallet(1, portal.stack.provider).address;
    jane = await portal.browser.context.newPage();
    await signInAs(jane, portal.stack.url, "Jane Doe");
    chen = await portal.browser.context.newPage();
    await signInAs(chen, portal.stack.url, "Dr. Alice Chen");
  });

  it("has Jane review the grant in words — who, what, why, until when — before she signs it", async function () {
    const form = region(jane, "Grant access");
    await form.getByLabel("Provider").selectOption({ label: "Dr. Alice Chen (family medicine)" });
    await form.getByLabel("Duration").selectOption({ label: "1 day" });
    const open = form.getByRole("button", { name: "Review & grant access…" });
    await open.click();
    const dialog = jane.getByRole("dialog", { name: "Give Dr. Alice Chen (family medicine) access?" });
    await dialog.waitFor();
    expect(await dialog.getAttribute("aria-modal")).to.equal("true");
    expect(await focusedName(jane)).to.match(/^in dialog: /);
    const review = await dialog.getByTestId("consent-review").innerText();
    expect(review).to.match(/Who\s+Dr\. Alice Chen \(family medicine\) of Riverside Family Clinic · verified clinician/);
    expect(review).to.match(/Can open\s+Problems & diagnoses/);
    expect(review).to.match(/For\s+Treatment\n/);
    expect(review).to.match(/Until\s+\w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d\s[AP]M \(1 day from now\)/);
    expect(review, "no hex address unless asked").not.to.match(/0x[0-9a-fA-F]{6}/);
    await dialog.getByText("Show address").click();
    expect(await dialog.locator("code.address").innerText()).to.match(/^0x[0-9a-fA-F]{40}$/);
    await shots(jane, "consent-1-grant-review");

    // Escape closes without signing, and focus goes back to the button that opened the dialog.
    await jane.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await focusedName(jane)).to.equal("Review & grant access…");
    expect(await jane.getByTestId("grants").getByRole("listitem").count()).to.equal(0);

    await open.click();
    await dialog.getByRole("button", { name: "Sign and grant access" }).click();
    await form.getByText(/^Access granted until .* to Dr\. Alice Chen \(family medicine\); records you add later/).waitFor();
    await jane
      .getByTestId("grants")
      .getByText(/h left$/)
      .waitFor();
    await shots(jane, "consent-1-granted");
  });

  it("lets Dr. Chen open a condition Jane adds after granting him Problems & diagnoses, with no new grant", async function () {
    // His view of her records is open before she adds anything: the grant came first, the record after.
    await chen.getByTestId("patients").getByRole("button", { name: "Records of Jane Doe" }).click();
    const panel = region(chen, "Records of Jane Doe");
    await panel.getByText("No records yet.").waitFor();
    const add = region(jane, "Add a record");
    await add.getByLabel("Condition", { exact: true }).fill("Hay fever");
    await add.getByLabel("When it started").fill("2021-05-03");
    await add.getByRole("button", { name: "Encrypt & add to my vault" }).click();
    await add.getByText("Added to your vault as Problems & diagnoses: Hay fever.").waitFor({ timeout: 30_000 });

    // No "Reload records": the gateway tells his page her vault changed under his grant, and the open list lists again.
    const records = panel.getByTestId("patient-records");
    await records.getByRole("button", { name: /^Open Problems/ }).click({ timeout: 30_000 });
    const card = records.getByTestId("record-card");
    await card.waitFor({ timeout: 30_000 });
    expect(await card.innerText()).to.match(/Hay fever[\s\S]*2021-05-03/);
    // The grant he already held opened it: still the one grant, and nothing asked or approved since.
    expect(await jane.getByTestId("grants").getByRole("listitem").count()).to.equal(1);
    expect(await jane.getByTestId("pending-requests").getByRole("listitem").count()).to.equal(0);
    expect(await chen.getByTestId("my-requests").getByRole("listitem").count()).to.equal(0);
    await card.scrollIntoViewIfNeeded();
    await shots(chen, "consent-1-later-record-readable");
  });

  it("shows Dr. Chen's request for more on Jane's page as it happens, with a badge, without Refresh", async function () {
    await requestAccess(chen, janeAddress, ["Lab results"], true);
    await shots(chen, "consent-2-request-sent");

    const pending = jane.getByTestId("pending-requests");
    await pending.getByRole("listitem").filter({ hasText: "Lab results" }).waitFor();
    expect(await jane.getByTestId("new-requests").innerText()).to.equal("1 new");
    expect(await jane.getByTestId("live-state").innerText()).to.match(/^Live: this page updates by itself/);
    await shots(jane, "consent-2-request-arrived");
  });

  it("shows, before Jane approves, how the request changes the grant Dr. Chen already holds", async function () {
    await jane
      .getByTestId("pending-requests")
      .getByRole("button", { name: /^Approve request/ })
      .click();
    const dialog = jane.getByRole("dialog", { name: "Approve Dr. Alice Chen (family medicine)'s request?" });
    const change = dialog.getByTestId("grant-change");
    await change.waitFor();
    const text = await change.innerText();
    expect(text).to.contain("This replaces the access they hold now.");
    expect(text).to.contain("Records: Problems & diagnoses → Problems & diagnoses, Lab results, and may add records");
    expect(text).to.match(/Ends: .+ → .+/);
    await shots(jane, "consent-3-approve-review");
    await dialog.getByRole("button", { name: "Sign and approve" }).click();
    await jane
      .getByText(/^Approved: Dr\. Alice Chen \(family medicine\) can now open the records the request covers, until about/)
      .waitFor();
    // Answered, the request is no longer new: the badge goes.
    await jane.getByTestId("new-requests").waitFor({ state: "detached" });
    // Dr. Chen's page follows live: his request shows approved without Refresh.
    await chen.getByTestId("my-requests").getByText("approved").waitFor();
    await shots(jane, "consent-3-approved");
  });

  it("asks Jane to confirm before revoking one grant, and says what happened", async function () {
    const grants = jane.getByTestId("grants");
    const revoke = grants.getByRole("button", { name: /^Revoke Dr\. Alice Chen/ });
    await revoke.click();
    const dialog = jane.getByRole("dialog", { name: "End Dr. Alice Chen (family medicine)'s access?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).to.match(/can open Problems & diagnoses, Lab results · may add records until/);
    await shots(jane, "consent-4-revoke-confirm");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await focusedName(jane)).to.match(/^Revoke Dr\. Alice Chen/);
    expect(await grants.getByText("revoked").count()).to.equal(0);

    await revoke.click();
    await dialog.getByRole("button", { name: "Sign and revoke" }).click();
    await jane.getByText(/^You ended Dr\. Alice Chen \(family medicine\)'s access on \w{3} \d{1,2}, \d{4}/).waitFor();
    await grants.getByText("revoked").waitFor();
    await shots(jane, "consent-4-revoked");
  });

  it("lets Jane appoint a guardian, who then revokes a grant for her from his own patient view", async function () {
    const form = region(jane, "Grant access");
    await form.getByLabel("Provider").selectOption({ label: "Dr. Alice Chen (family medicine)" });
    await form.getByRole("button", { name: "Review & grant access…" }).click();
    await jane.getByRole("dialog").getByRole("button", { name: "Sign and grant access" }).click();
    await form.getByText(/^Access granted until/).waitFor();

    const johnAddress = demoWallet(5, portal.stack.provider).address;
    const guardian = region(jane, "My guardian");
    await guardian.getByLabel("Guardian's address").fill(johnAddress);
    await guardian.getByRole("button", { name: "Appoint…" }).click();
    const confirm = jane.getByRole("dialog", { name: "Appoint this guardian?" });
    expect(await confirm.innerText()).to.contain("John Roe");
    await confirm.getByRole("button", { name: "Sign and appoint" }).click();
    await guardian.getByText("John Roe is now your guardian.").waitFor();
    expect(await guardian.getByTestId("guardian").innerText()).to.match(/^Your guardian: John Roe/);
    await shots(jane, "consent-5-guardian-appointed");

    const john = await portal.browser.context.newPage();
    await signInAs(john, portal.stack.url, "John Roe");
    const wards = john.getByTestId("wards");
    const janes = wards.getByRole("region", { name: "Who can see Jane Doe's records" });
    await janes.getByRole("button", { name: /^Revoke Dr\. Alice Chen/ }).click();
    await john.getByRole("dialog").getByRole("button", { name: "Sign and revoke" }).click();
    await janes.getByText(/^You ended Dr\. Alice Chen \(family medicine\)'s access on/).waitFor();
    await shots(john, "consent-5-guardian-revoked");
    // Jane's page shows it live: the grant her guardian ended is revoked.
    await jane.getByTestId("grants").getByText("revoked").waitFor();
    expect(await jane.getByTestId("grants").getByRole("listitem").filter({ hasText: "revoked" }).count()).to.equal(1);
    await john.close();
  });

  it("shows a patient no provider or auditor tabs, titles each view, and lets a provider switch to his own vault", async function () {
    expect(await jane.getByRole("navigation", { name: "Views" }).count()).to.equal(0);
    expect(await jane.getByRole("button", { name: "Provider" }).count()).to.equal(0);
    expect(await jane.getByRole("button", { name: "Auditor" }).count()).to.equal(0);
    expect(await jane.title()).to.equal("My records and consents — Jane Doe — Consent Ledger");
    // The first Tab on a fresh page lands on the skip link, which takes focus past the header to the main content.
    const fresh = await portal.browser.context.newPage();
    await fresh.goto(portal.stack.url);
    await fresh.getByRole("button", { name: /Jane Doe/ }).waitFor();
    expect(await fresh.title()).to.equal("Connect a wallet — Consent Ledger");
    await fresh.keyboard.press("Tab");
    expect(await focusedName(fresh)).to.equal("Skip to main content");
    await fresh.keyboard.press("Enter");
    expect(await fresh.evaluate(() => document.activeElement?.id)).to.equal("main");
    await fresh.close();

    const tabs = chen.getByRole("navigation", { name: "Views" });
    expect(await tabs.getByRole("button").allInnerTexts()).to.deep.equal(["Patient", "Provider"]);
    expect(await chen.title()).to.match(/^Provider — Dr\. Alice Chen/);
    await tabs.getByRole("button", { name: "Patient" }).click();
    await region(chen, "My records").waitFor();
    expect(await chen.title()).to.match(/^My records and consents — Dr\. Alice Chen/);
    await shots(jane, "consent-6-patient-no-tabs");
    await tabs.getByRole("button", { name: "Provider" }).click();
  });

  it("passes axe (WCAG 2.2 AA, no serious or critical violation) on the connect, patient, doctor and auditor views at 1280 and 390 px", async function () {
    const connect = await portal.browser.context.newPage();
    await connect.goto(portal.stack.url);
    await connect.getByRole("button", { name: /Jane Doe/ }).waitFor();
    const auditor = await portal.browser.context.newPage();
    await signInAs(auditor, portal.stack.url, "Sam Reyes");
    await auditor.getByLabel("Patient address").fill(janeAddress);
    await auditor.getByRole("button", { name: "Show timeline" }).click();
    await auditor.getByRole("heading", { name: /^Patient Jane Doe/ }).waitFor();
    await auditor.getByTestId("live-state").getByText("Live: this page updates by itself").waitFor();
    await region(chen, "Request access").waitFor();

    const results: Record<string, unknown> = {};
    for (const [name, page] of [
      ["connect", connect],
      ["patient", jane],
      ["doctor", chen],
      ["auditor", auditor],
    ] as const) {
      results[name] = await seriousAxeViolationsAtBothWidths(page);
      await shots(page, `7-${name}`);
    }
    expect(results, JSON.stringify(results, null, 1)).to.deep.equal({
      connect: { desktop: [], phone: [] },
      patient: { desktop: [], phone: [] },
      doctor: { desktop: [], phone: [] },
      auditor: { desktop: [], phone: [] },
    });
  });
});
