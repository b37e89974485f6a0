/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), axe-core run inside
 * the page, and screenshots (desktop and phone) written to test/web/artifacts/.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "chai";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.resolve(__dirname, "..", "artifacts");

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core on the page as it is now; fails on any serious or critical violation. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  // Evaluated over the DevTools protocol, which the page's Content-Security-Policy does not govern.
  const hasAxe = await page.evaluate("typeof window.axe !== 'undefined'");
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    "window.axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))",
  )) as { id: string; impact: string | null; help: string; nodes: string[] }[];
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad, `${name}: ${JSON.stringify(bad, null, 2)}`).to.deep.equal([]);
}

/** A desktop (1280×800) and a phone (390×844) screenshot of the page, full length. */
export async function screenshots(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
    // Nothing may stick out sideways on a phone.
    const overflow = (await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")) as number;
    expect(overflow, `${name} scrolls sideways on a phone by ${overflow}px`).to.be.at.most(0);
  } finally {
    // The next journey on this page starts at the size it had, whether or not this check failed.
    await page.setViewportSize(size);
  }
}
