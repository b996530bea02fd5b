/** The page's recorder driven from the keyboard, for the browser suites with a fake microphone. */
import type { Page } from "playwright-core";
import { expect } from "vitest";

export const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");

/**
 * Focus `from`, Tab through `tabs` (the ids that take the focus in turn, ending on Record), Enter;
 * then Enter on Stop once the microphone has recorded for `ms`. The start is taken inside the page
 * from the document timeline (real frame time, which a mocked page clock leaves alone), so the
 * test's round trips do not lengthen the recording. `moveClock`: the page's mocked clock is moved on
 * by `ms` as well, so its timers show the time recorded.
 */
export async function recordFor(page: Page, ms: number, options: { from: string; tabs: string[]; moveClock?: boolean }) {
  await page.evaluate(() => {
    const box = document.getElementById("recorder")!;
    const w = window as unknown as { recordingSince: number | null };
    w.recordingSince = null;
    new MutationObserver(() => {
      if (box.dataset.state === "recording" && w.recordingSince === null) w.recordingSince = document.timeline.currentTime as number;
    }).observe(box, { attributes: true, attributeFilter: ["data-state"] });
  });
  await page.focus(`#${options.from}`);
  for (const id of options.tabs) {
    await page.keyboard.press("Tab");
    expect(await activeId(page)).toBe(id);
  }
  await page.keyboard.press("Enter");
  await page.waitForSelector("#recorder[data-state=recording]");
  expect(await activeId(page)).toBe("rec-stop");
  if (options.moveClock) await page.clock.fastForward(ms);
  const elapsed = await page.evaluate(() => (document.timeline.currentTime as number) - (window as unknown as { recordingSince: number }).recordingSince);
  if (ms > elapsed) await new Promise((r) => setTimeout(r, ms - elapsed));
  await page.keyboard.press("Enter");
  await page.waitForSelector("#recorder[data-state=recorded]");
}
