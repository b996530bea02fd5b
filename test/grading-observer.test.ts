/** The grading use case reports each outcome to an injected observer; the request log is built on it. */
import { describe, expect, it } from "vitest";
import { DEFAULT_LENGTH } from "../src/core/analyze.js";
import type { Feedback } from "../src/core/feedback.js";
import { createOfflineGrader } from "../src/grader/offline-grader.js";
import { createGradingService, type GradeInput } from "../src/grading.js";
import { openSqlite } from "../src/store/sqlite.js";
import { tempDbFile } from "./support/app.js";

const ANSWER = "Our release pipeline failed every Friday. I owned the fix: I traced the flaky tests, rewrote two of them and added a retry budget. Failed releases fell from 4 a month to 0.";

describe("grading observer", () => {
  it("is told each grading that returns and each that fails, with its input; the service without one is unchanged", async () => {
    const { store, stories } = openSqlite(tempDbFile());
    const base = createGradingService({ store, stories, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
    const graded: Array<[Feedback, GradeInput]> = [];
    const failed: Array<[string, GradeInput]> = [];
    const observed = base.withObserver({
      graded: (feedback, input) => graded.push([feedback, input]),
      failed: (err, input) => failed.push([(err as { code: string }).code, input]),
    });

    const feedback = await observed.grade({ answer: ANSWER, principle: "ownership" });
    expect(graded).toEqual([[feedback, { answer: ANSWER, principle: "ownership" }]]);
    await expect(observed.grade({ answer: " ", principle: "ownership" })).rejects.toMatchObject({ code: "answer_empty" });
    expect(failed).toEqual([["answer_empty", { answer: " ", principle: "ownership" }]]);

    // The base service reports to nobody and shares the store: both see the same history.
    await base.grade({ answer: ANSWER, principle: "ownership" });
    expect(graded).toHaveLength(1);
    expect(await store.listGradings({ limit: 10 })).toHaveLength(2);
  });
});
