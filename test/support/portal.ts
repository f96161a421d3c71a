import { mkdir } from "node:fs/promises";
import path from "node:path";
import { expect } from "chai";
import { launchBrowser } from "./browser";
import { ARTIFACTS } from "./pages";
import { startStack, type TestStack } from "./stack";

/** What a browser suite works with: the stack serving the built portal, and Chromium. */
export interface Portal {
  stack: TestStack;
  browser: Awaited<ReturnType<typeof launchBrowser>>;
}

/**
 * The portal for the mocha suite it is called in: a stack serving `web/dist` and a fresh Chromium, started before
 * the suite and closed after it. An uncaught error in any page the suite opens fails the step it happened in.
 * `receive` gets them once started (and may sign people in). The returned portal is the suite's handle on both:
 * read `portal.stack` and `portal.browser` from the hooks and tests, not at the top of the suite (nothing runs yet).
 */
export function usePortal(receive: (portal: Portal) => void | Promise<void>): Portal {
  let started: Portal | undefined;
  const running = (): Portal => {
    if (!started) throw new Error("The portal starts in the suite's before hook: read it from a hook or a test.");
    return started;
  };
  const portal: Portal = {
    get stack() {
      return running().stack;
    },
    get browser() {
      return running().browser;
    },
  };
  const pageErrors: string[] = [];
  before(async function () {
    const stack = await startStack({ webDir: path.resolve(__dirname, "..", "..", "web", "dist") });
    const browser = await launchBrowser();
    started = { stack, browser };
    browser.context.on("page", (page) => page.on("pageerror", (err) => pageErrors.push(err.message)));
    await mkdir(ARTIFACTS, { recursive: true });
    await receive(portal);
  });
  after(async function () {
    await started?.browser.close();
    await started?.stack.close();
  });
  afterEach(function () {
    expect(pageErrors, "uncaught errors in the pages").to.deep.equal([]);
  });
  return portal;
}
