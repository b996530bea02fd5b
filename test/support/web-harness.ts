/**
 * The web app in a real browser, for the browser suites: the app on a loopback port (a real SQLite
 * file, the model mocked by MSW), Debian chromium, pages at the two sizes the pages are designed
 * for, and an axe-core audit run inside the page (its script injected, nothing fetched).
 */
import { serve, type ServerType } from "@hono/node-server";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { DEFAULT_LENGTH } from "../../src/core/analyze.js";
import { createOfflineGrader } from "../../src/grader/offline-grader.js";
import type { Grader } from "../../src/grader/types.js";
import { createGradingService } from "../../src/grading.js";
import { buildTestApp } from "./app.js";
import { launchChromium } from "./browser.js";
import { createOpenAiMock } from "./openai-mock.js";

export const OUT = "test-output";

/** The two screens the issue was reported on: a laptop and a phone. */
export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;
export type ViewportName = keyof typeof VIEWPORTS;

export interface FormInput {
  principle: string;
  question: string;
  answer: string;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now (a page opened with `audit`). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

/**
 * Serve an app's fetch handler on a free loopback port. `overrideGlobalObjects: false` keeps the
 * platform's Request/Response, so MSW still intercepts the server's own calls (transcription).
 */
export async function listen(fetch: (request: Request) => Response | Promise<Response>, options: { overrideGlobalObjects?: boolean } = {}): Promise<{ base: string; close(): Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: "127.0.0.1", ...options }, () => resolve(s));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function startWebHarness(options: { grader?: () => Promise<Grader> } = {}) {
  mkdirSync(OUT, { recursive: true });
  const mock = createOpenAiMock();
  mock.server.listen({ onUnhandledFrame: "error" });
  const ctx = await buildTestApp(options.grader ? { grader: await options.grader() } : {});
  const server = await listen(ctx.app.fetch);
  const base = server.base;
  const browser: Browser = await launchChromium();

  /** A page that records dialogs and page errors, so any script that runs is noticed. */
  /** `audit`: let axe-core's script be injected, which the page's CSP (script-src 'self') would refuse. */
  async function openPage(o: { javaScriptEnabled?: boolean; size?: ViewportName; audit?: boolean } = {}) {
    const context = await browser.newContext({ ...VIEWPORTS[o.size ?? "desktop"], javaScriptEnabled: o.javaScriptEnabled ?? true, bypassCSP: o.audit ?? false });
    const page = await context.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("pageerror", (e) => errors.push(e.message));
    return { page, dialogs, errors, close: () => context.close() };
  }

  async function fillForm(page: Page, values: FormInput) {
    await page.goto(`${base}/`);
    await page.selectOption("#principle", values.principle);
    await page.fill("#question", values.question);
    await page.fill("#answer", values.answer);
  }

  /** Grade an answer offline straight into the app's store (history to look at, without the model). */
  const offline = createGradingService({ store: ctx.store, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
  const seed = (input: FormInput) => offline.grade(input);

  async function close() {
    await browser.close();
    await server.close();
    mock.server.close();
    await ctx.store.close();
  }

  return { base, ctx, mock, browser, openPage, fillForm, seed, close };
}

export type WebHarness = Awaited<ReturnType<typeof startWebHarness>>;

/**
 * A page for the practice suites, `width` pixels wide. Its clock stands still unless the test moves
 * it (page.clock), so timings are exact and nothing sleeps; not for an axe-core `audit`, which
 * injects its script (the page's CSP would refuse it) and waits on its own timers.
 */
export async function practicePage(browser: Browser, width = 1280, audit = false) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: audit });
  const page = await context.newPage();
  if (!audit) {
    await page.clock.install({ time: new Date("2026-03-02T09:00:00Z") });
    await page.clock.pauseAt(new Date("2026-03-02T09:00:01Z"));
  }
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("dialog", (d) => void d.accept());
  return { page, errors, close: () => context.close() };
}
