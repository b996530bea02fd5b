/**
 * XSS under the CSP in a real browser (Debian chromium + playwright-core) against the real service
 * process with an access token: sign in through the login form, store answers carrying XSS payloads
 * through the API, open each from the history page, and grade one through the form. No payload may
 * run (no dialog, no window.__pwned), the app's own script and stylesheet must work under the CSP,
 * the session cookie must be invisible to scripts, and a script injected into the DOM at run time
 * (as if escaping had failed) must be blocked by the CSP itself.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSP } from "../../src/http/middleware/headers.js";
import { SAMPLE_ANSWER } from "../support/app.js";
import { launchChromium, skipWithoutBrowser } from "../support/browser.js";
import { send } from "./http-client.js";
import { startServerProcess, type ServerProcess } from "./server-process.js";

const SKIP = skipWithoutBrowser("browser-csp");
const TOKEN = "browser-test-token-0123456789abcdef";

// The web-form tests' payloads plus the usual suspects: tags, handlers, breaking out of attributes and textareas.
const PAYLOADS = [
  `<script>alert(1)</script>`,
  `<img src=x onerror="window.__pwned=1;alert(2)">`,
  `<svg onload="window.__pwned=1">`,
  `"><script>window.__pwned=1</script>`,
  `'><img src=x onerror=window.__pwned=1>`,
  `</textarea><script>window.__pwned=1</script>`,
  `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
  `<a href="javascript:window.__pwned=1">click</a>`,
  `<style>body{display:none}</style>`,
  `<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">`,
];

let srv: ServerProcess;
let browser: Browser;

describe.skipIf(SKIP)("XSS payloads are inert under the CSP in a real browser", () => {
  beforeAll(async () => {
    srv = await startServerProcess({ STARCOACH_OFFLINE: "1", STARCOACH_API_TOKEN: TOKEN, STARCOACH_RATE_LIMIT: "0", STARCOACH_LOG: "off" });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    srv?.kill("SIGTERM");
    await srv?.exited;
  });

  it("stored payloads opened from history, and a payload graded through the form, never run", async () => {
    // Store one grading per payload, in the answer and the question, through the API with the token.
    for (const [i, payload] of PAYLOADS.entries()) {
      const res = await send(srv.base, "POST", "/v1/grade", { "content-type": "application/json", authorization: `Bearer ${TOKEN}` }, JSON.stringify({ answer: `${SAMPLE_ANSWER} Payload ${i}: ${payload} and I measured it.`, question: `Q ${payload}`, principle: "ownership" }));
      expect(res.status).toBe(200);
    }

    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    const cspViolations: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });

    // Without the cookie the page is the login form (401); signing in sets an HttpOnly cookie.
    const first = await page.goto(`${srv.base}/history`);
    expect(first!.status()).toBe(401);
    await page.fill("#token", TOKEN);
    await Promise.all([page.waitForURL(`${srv.base}/history`), page.click("button[type=submit]")]);
    expect(await page.evaluate(() => document.cookie)).toBe("");
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "starcoach_session")).toMatchObject({ httpOnly: true, sameSite: "Strict" });

    const links = await page.$$eval('a[href^="/result/"]', (as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
    expect(links.length).toBe(PAYLOADS.length);
    for (const href of links) {
      const res = await page.goto(`${srv.base}${href}`);
      expect(res!.status()).toBe(200);
      expect(res!.headers()["content-security-policy"]).toBe(CSP);
      await page.waitForLoadState("load");
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator("body").isVisible()).toBe(true);
    }
    // The story bank shows titles taken from those answers: the bank, each story's page, the mock page.
    await page.goto(`${srv.base}/stories`);
    const storyLinks = await page.$$eval('.story-card h3 a', (as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
    expect(storyLinks.length).toBe(PAYLOADS.length);
    for (const href of ["/stories", ...storyLinks, "/mock"]) {
      const res = await page.goto(`${srv.base}${href}`);
      expect(res!.status()).toBe(200);
      expect(res!.headers()["content-security-policy"]).toBe(CSP);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    }
    // The app's own stylesheet and script load and work under the CSP.
    expect(await page.evaluate(() => [...document.styleSheets].some((s) => (s.href ?? "").includes("/assets/app.css") && s.cssRules.length > 10))).toBe(true);

    // A payload typed into the form and graded through the page's own script (fetch + SSE).
    await page.goto(`${srv.base}/`);
    await page.selectOption("#principle", "ownership");
    await page.fill("#answer", `${SAMPLE_ANSWER} ${PAYLOADS.join(" ")}`);
    await page.click("#submit");
    await page.waitForSelector("#annotated-answer", { timeout: 20_000 });
    expect(await page.textContent("#annotated-answer")).toContain(`<script>alert(1)</script>`);

    // Defence in depth: a script and an inline handler injected at run time (as if escaping failed) are blocked.
    const injected = await page.evaluate(async () => {
      const seen: string[] = [];
      document.addEventListener("securitypolicyviolation", (e) => seen.push(e.violatedDirective));
      const s = document.createElement("script");
      s.textContent = "window.__pwned = 'inline'";
      document.body.appendChild(s);
      const div = document.createElement("div");
      div.innerHTML = `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="window.__pwned='handler'" onerror="window.__pwned='handler'">`;
      document.body.appendChild(div);
      const st = document.createElement("style");
      st.textContent = "body { background: red }";
      document.head.appendChild(st);
      await new Promise((r) => setTimeout(r, 300));
      return { pwned: (window as unknown as { __pwned?: string }).__pwned ?? null, seen, background: getComputedStyle(document.body).backgroundColor };
    });
    console.log(`\n[browser] ${PAYLOADS.length} stored payloads opened from history + 1 graded through the form: ${dialogs.length} dialogs, window.__pwned ${injected.pwned ?? "undefined"}; run-time injection blocked by: ${[...new Set(injected.seen)].join(", ")}`);
    expect(injected.pwned).toBeNull();
    expect(injected.seen).toEqual(expect.arrayContaining(["script-src-elem"]));
    expect(injected.background).not.toBe("rgb(255, 0, 0)");
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("the batch report is styled under the CSP: its one inline stylesheet is allowed by hash", async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const rows = ["ownership", "frugality", "dive-deep"].map((principle, i) => ({ id: `r${i}`, principle, answer: SAMPLE_ANSWER }));
    const created = await send(srv.base, "POST", "/v1/batches", { "content-type": "application/json", ...auth }, JSON.stringify(rows));
    expect(created.status).toBe(202);
    const { id } = JSON.parse(created.text) as { id: string };
    await expect.poll(async () => JSON.parse((await send(srv.base, "GET", `/v1/batches/${id}`, auth)).text).status, { timeout: 20_000 }).toBe("done");

    const context = await browser.newContext();
    const page = await context.newPage();
    const cspViolations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(`${srv.base}/login?next=${encodeURIComponent(`/v1/batches/${id}/report`)}`);
    await page.fill("#token", TOKEN);
    await Promise.all([page.waitForURL(`${srv.base}/v1/batches/${id}/report`), page.click("button[type=submit]")]);
    await page.waitForLoadState("load");
    const look = await page.evaluate(() => ({
      tableBorders: getComputedStyle(document.querySelector("table")!).borderCollapse,
      cardsDisplay: getComputedStyle(document.querySelector(".cards")!).display,
    }));
    console.log(`[browser] batch report over HTTP: table border-collapse ${look.tableBorders}, .cards display ${look.cardsDisplay}, CSP violations ${cspViolations.length}`);
    expect(look.tableBorders).toBe("collapse");
    expect(look.cardsDisplay).toBe("grid"); // the figure cards are a grid (two to a row on a phone)
    expect(cspViolations).toEqual([]);
    await context.close();
  }, 60_000);
});
