import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";

/** axe-core's browser bundle, injected into the page under test (the library's own engine, not rules of ours). */
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The WCAG 2.2 AA rule set (axe tags are cumulative by version, so each level is listed). */
const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** One violation as a person reading a failing test needs it: the rule, its impact and where it fired. */
export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The serious and critical WCAG 2.2 AA violations on the page as it is now (an empty list means it passes). */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  // Evaluated through the DevTools protocol, not as a <script> tag: the app's Content-Security-Policy (script-src
  // 'self') rightly blocks inline scripts, and the check must not need the policy loosened.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    type AxeResult = { violations: Array<{ id: string; impact?: string; help: string; nodes: Array<{ target: unknown[] }> }> };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ rule: v.id, impact: v.impact ?? "", help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  }, WCAG_22_AA);
}

/** The same check at a desktop (1280 px) and a phone (390 px) width, the viewport restored after. */
export async function seriousAxeViolationsAtBothWidths(page: Page): Promise<{ desktop: AxeFinding[]; phone: AxeFinding[] }> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width: 1280, height: 900 });
  const desktop = await seriousAxeViolations(page);
  await page.setViewportSize({ width: 390, height: 844 });
  const phone = await seriousAxeViolations(page);
  await page.setViewportSize(viewport);
  return { desktop, phone };
}
