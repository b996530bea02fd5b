/**
 * The real browser for the browser suites: Debian's chromium driven by playwright-core. On a
 * developer machine without it those suites are skipped, saying so; in CI (CI set) a missing browser
 * fails them instead, so a green CI run always includes them.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** STARCOACH_CHROMIUM points the suites at another binary (the check that CI fails uses a missing one). */
export const CHROMIUM = process.env.STARCOACH_CHROMIUM || "/usr/bin/chromium";

const INSTALL = "Install it with: apt-get install -y chromium (.ci/run does this).";

/** What to do about the browser: run, or skip (only outside CI) with the reason to print. */
export function browserPlan(found: boolean, ci: string | undefined): { skip: boolean; reason: string | null } {
  if (found) return { skip: false, reason: null };
  const inCi = ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
  return inCi
    ? { skip: false, reason: `${CHROMIUM} not found, and CI is set: the browser tests must run in CI. ${INSTALL}` }
    : { skip: true, reason: `${CHROMIUM} not found: the browser tests are SKIPPED. ${INSTALL}` };
}

/** For describe.skipIf: true only when the browser is missing outside CI (and says so once). */
export function skipWithoutBrowser(suite: string): boolean {
  const plan = browserPlan(existsSync(CHROMIUM), process.env.CI);
  if (plan.skip) console.warn(`[${suite}] ${plan.reason}`);
  return plan.skip;
}

/** Headless chromium; fails with the install hint when it is missing (in CI). `args`: more flags (a fake microphone). */
export async function launchChromium(args: string[] = []): Promise<Browser> {
  const plan = browserPlan(existsSync(CHROMIUM), process.env.CI);
  if (plan.reason) throw new Error(plan.reason);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...args],
  });
}
