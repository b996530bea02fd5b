/**
 * The pages as a new user meets them, in a real browser at a laptop size (1280×900) and a phone
 * size (390×844): what can be read and reached, what moves, what a screen reader hears, and an
 * axe-core audit of every page.
 */
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { questionsFor } from "../src/core/questions.js";
import { skipWithoutBrowser } from "./support/browser.js";
import { startWebHarness, VIEWPORTS, type ViewportName, type WebHarness } from "./support/web-harness.js";
import { streamingLlmGrader } from "./support/web.js";

const SKIP = skipWithoutBrowser("web-ux-browser.test");
const SIZES = Object.keys(VIEWPORTS) as ViewportName[];

let web: WebHarness;

/** Text that fits its box: nothing cut off to the side or below (a field scrolled to its end fails). */
async function shownInFull(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1);
}

describe.skipIf(SKIP)("the web pages at laptop and phone sizes", () => {
  beforeAll(async () => {
    web = await startWebHarness({ grader: () => streamingLlmGrader({ maxRetries: 0 }) });
  }, 60_000);
  afterEach(() => web.mock.reset());
  afterAll(() => web?.close());

  describe.each(SIZES)("%s", (size) => {
    it("shows the chosen question in full, and Random question leaves the focus where it was", async () => {
      const { page, errors, close } = await web.openPage({ size });
      await page.goto(`${web.base}/?principle=ownership`);
      const bank = questionsFor("ownership").map((q) => q.text);
      const longest = [...bank].sort((a, b) => b.length - a.length)[0]!;
      await page.selectOption("#question-bank", longest);
      expect(await page.inputValue("#question")).toBe(longest);
      expect(await shownInFull(page, "#question")).toBe(true);

      await page.click("#random-question");
      const picked = await page.inputValue("#question");
      expect(bank).toContain(picked);
      expect(picked).not.toBe(longest);
      expect(await shownInFull(page, "#question")).toBe(true);
      // The focus is not moved into the field (on a phone that opens the keyboard); it is announced.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("random-question");
      expect(await page.textContent("#question-status")).toBe(`Question: ${picked}`);
      expect(errors).toEqual([]);
      await close();
    });
  });
});
