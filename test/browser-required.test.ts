/**
 * CI cannot pass without the browser suites: with CI set and no chromium they fail, saying what to
 * install; only outside CI are they skipped (with a message). The end-to-end case runs the real
 * web-browser suite in a child vitest with the browser pointed at a path that does not exist.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { browserPlan } from "./support/browser.js";

const ROOT = join(import.meta.dirname, "..");

describe("browser suites when chromium is missing", () => {
  it("skip outside CI, run (and fail) in CI", () => {
    expect(browserPlan(true, "true")).toEqual({ skip: false, reason: null });
    expect(browserPlan(true, undefined)).toEqual({ skip: false, reason: null });
    for (const ci of [undefined, "", "0", "false"]) expect(browserPlan(false, ci)).toMatchObject({ skip: true, reason: expect.stringContaining("SKIPPED") });
    for (const ci of ["true", "1", "yes"]) expect(browserPlan(false, ci)).toMatchObject({ skip: false, reason: expect.stringContaining("must run in CI") });
  });

  it("a CI run of the web-browser suite without chromium fails with the install hint", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "test/web-browser.test.ts"], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", STARCOACH_CHROMIUM: "/nonexistent/chromium", NO_COLOR: "1", FORCE_COLOR: "0" },
      encoding: "utf8",
      timeout: 120_000,
    });
    const output = r.stdout + r.stderr;
    expect(r.status, output).toBe(1);
    expect(output).toContain("/nonexistent/chromium not found, and CI is set: the browser tests must run in CI. Install it with: apt-get install -y chromium");
    expect(output).toMatch(/Test Files\s+1 failed/);
  }, 120_000);
});
