/**
 * A real headless Chromium for the console's tests: Debian's `chromium` package (/usr/bin/chromium, or
 * PEERLINK_CHROMIUM), driven by playwright-core, which downloads no browser of its own. Every test saves a
 * screenshot under test-results/console/ (ignored by git), so a failure can be looked at.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

export const SCREENSHOT_DIR = path.resolve(__dirname, "..", "..", "..", "test-results", "console");

export function chromiumPath(): string {
  const candidates = [process.env.PEERLINK_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((x): x is string => Boolean(x));
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error("no Chromium found: install Debian's package (`apt-get install -y chromium`, as .ci/run does) or set PEERLINK_CHROMIUM");
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  // --no-sandbox: tests run as root in CI, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

/** A fresh browser context (its own cookies: one browser session) and page, at 1280x800 unless told. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors };
}

export async function screenshot(page: Page, title: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(
    SCREENSHOT_DIR,
    `${title
      .replace(/[^a-z0-9]+/gi, "-")
      .replace(/^-|-$/g, "")
      .toLowerCase()
      .slice(0, 100)}.png`,
  );
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
