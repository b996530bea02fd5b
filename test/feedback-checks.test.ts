import { describe, expect, it } from "vitest";
import type { Part } from "../src/core/feedback.js";
import { STAR_PARTS, type StarPart } from "../src/core/star-split.js";
import { feedbackChecks, formatFeedbackChecks, type CheckedFeedback, type GradedAnswer } from "../src/eval/feedback-checks.js";

const found = (part: StarPart): Part => ({ present: true, score: 3, evidence: [], feedback: `The ${part} is clear.`, fix: null });
const missing = (part: StarPart): Part => ({ present: false, score: 0, evidence: [], feedback: `No ${part} part was found in this answer.`, fix: null });

/** A feedback whose cards and highlighting agree: `parts` are present and each carries one sentence. */
function feedback(parts: readonly StarPart[], extra: Partial<CheckedFeedback> = {}): CheckedFeedback {
  return {
    star: Object.fromEntries(STAR_PARTS.map((p) => [p, parts.includes(p) ? found(p) : missing(p)])) as CheckedFeedback["star"],
    segments: parts.map((part, i) => ({ start: i * 10, end: i * 10 + 9, part })),
    improvements: ["Quantify the outcome: a percentage, time saved, money, users or an error rate before and after."],
    followUps: [],
    ...extra,
  };
}

const ALL = STAR_PARTS;

describe("feedbackChecks on hand-built feedback", () => {
  it("consistent feedback meets every goal", () => {
    const graded: GradedAnswer[] = [
      { id: "a", feedback: feedback(ALL, { followUps: ["Q a1", "Q a2"] }) },
      { id: "b", feedback: feedback(["situation", "action"], { followUps: ["Q b1"] }) },
      { id: "c", feedback: feedback(["action", "result"], { followUps: ["Q c1"] }) },
    ];
    const c = feedbackChecks(graded);
    expect(c.answers).toBe(3);
    expect(c.contradictions).toEqual({ count: 0, pass: true, cases: [] });
    expect(c.repeatedFollowUps).toMatchObject({ asked: 4, repeated: 0, share: 0, minAnswers: 2, pass: true, questions: [] });
    expect(c.repeatedConcerns).toEqual({ count: 0, pass: true, cases: [] });
    expect(c.overLimit).toEqual({ limit: 5, count: 0, pass: true, cases: [] });
  });

  it("finds a highlighted part whose card says missing, and a card that says present with nothing highlighted", () => {
    const highlightedButMissing = feedback(["situation", "action"]);
    highlightedButMissing.segments.push({ start: 40, end: 50, part: "result" }); // result highlighted, card says none found
    const presentButDark = feedback(["situation", "action"]);
    presentButDark.star.task = found("task"); // card present, no task sentence
    const textSaysNone = feedback(ALL);
    textSaysNone.star.task = { ...found("task"), feedback: "No task part was found in this answer." }; // flag on, text off
    const c = feedbackChecks([
      { id: "x", feedback: highlightedButMissing },
      { id: "y", feedback: presentButDark },
      { id: "z", feedback: textSaysNone },
    ]);
    expect(c.contradictions.pass).toBe(false);
    expect(c.contradictions.cases.map(({ id, part, highlighted }) => ({ id, part, highlighted }))).toEqual([
      { id: "x", part: "result", highlighted: true },
      { id: "y", part: "task", highlighted: false },
      { id: "z", part: "task", highlighted: true },
    ]);
  });

  it("a missing part whose card has other words is no contradiction (a model's own wording)", () => {
    const f = feedback(["situation", "action", "result"]);
    f.star.task = { ...missing("task"), feedback: "The answer never says what you were responsible for." };
    expect(feedbackChecks([{ id: "m", feedback: f }]).contradictions.count).toBe(0);
  });

  it("counts a list that gives the same advice twice, naming the concern", () => {
    const twice = feedback(ALL, {
      improvements: [
        "Back the result with a figure (%, time, money, users), in digits or words.",
        "Rewrite “we shipped it” to say what you yourself did.",
        "Quantify the outcome: a percentage, time saved, money, users or an error rate before and after.",
      ],
    });
    const c = feedbackChecks([{ id: "ok", feedback: feedback(ALL) }, { id: "dup", feedback: twice }]);
    expect(c.repeatedConcerns).toEqual({ count: 1, pass: false, cases: [{ id: "dup", concerns: ["result-measure"] }] });
  });

  it("counts lists over five items", () => {
    const six = feedback(ALL, { improvements: ["one", "two", "three", "four", "five", "six"] });
    const c = feedbackChecks([{ id: "six", feedback: six }, { id: "one", feedback: feedback(ALL) }]);
    expect(c.overLimit).toEqual({ limit: 5, count: 1, pass: false, cases: [{ id: "six", improvements: 6 }] });
  });

  it("repeated follow-ups: the share of all questions asked whose text is on a third of the answers", () => {
    // 6 answers: a third is 2. "Same" is on 3 answers (asked 3 times), "Pair" on 2 (2 times), the rest once.
    const asks = [["Same", "A1"], ["Same", "Pair"], ["Same", "Pair", "C1"], ["D1"], ["E1"], ["F1", "F2"]];
    const c = feedbackChecks(asks.map((followUps, i) => ({ id: `q${i}`, feedback: feedback(ALL, { followUps }) })));
    const f = c.repeatedFollowUps;
    expect(f.asked).toBe(11);
    expect(f.minAnswers).toBe(2);
    expect(f.repeated).toBe(5);
    expect(f.share).toBeCloseTo(5 / 11, 12);
    expect(f.pass).toBe(false);
    expect(f.questions).toEqual([{ text: "Same", answers: 3 }, { text: "Pair", answers: 2 }]);
    expect(f.mostCommon).toEqual({ text: "Same", answers: 3 });
  });

  it("a question asked once is never repeated, and a question twice in one answer counts on one answer", () => {
    const single = feedbackChecks([{ id: "only", feedback: feedback(ALL, { followUps: ["Why?", "Why?"] }) }]);
    expect(single.repeatedFollowUps).toMatchObject({ asked: 2, repeated: 0, share: 0, minAnswers: 2, pass: true, mostCommon: { text: "Why?", answers: 1 } });
    const none = feedbackChecks([]);
    expect(none.repeatedFollowUps).toMatchObject({ asked: 0, share: null, pass: true, mostCommon: null });
  });

  it("the text block puts each figure next to its goal and names the failing cases", () => {
    const bad = feedback(["situation"]);
    bad.segments.push({ start: 20, end: 30, part: "action" });
    bad.improvements = ["Back the result with a figure.", "Quantify the outcome before and after."];
    const text = formatFeedbackChecks(feedbackChecks([{ id: "g7", feedback: bad }, { id: "g8", feedback: feedback(ALL, { followUps: ["Why?"] }) }]));
    expect(text).toMatch(/^Feedback checks \(2 answers\)$/m);
    expect(text).toMatch(/^card contradicts the highlighting +1 +0 +NOT MET$/m);
    expect(text).toContain("g7 action: highlighted, card says missing");
    expect(text).toMatch(/^follow-ups asked on ≥ 2 answers \(a third\) +0\.0% \(0\/1\) +≤ 10% +met$/m);
    expect(text).toContain("every question is asked on one answer only");
    const twice = formatFeedbackChecks(feedbackChecks(["g1", "g2", "g3"].map((id) => ({ id, feedback: feedback(ALL, { followUps: [id === "g3" ? "Who?" : "Why?"] }) }))));
    expect(twice).toMatch(/^follow-ups asked on ≥ 2 answers \(a third\) +66\.7% \(2\/3\) +≤ 10% +NOT MET\n {2}most common, on 2 of 3 answers: “Why\?”$/m);
    expect(text).toMatch(/^improvement lists repeating a concern +1 +0 +NOT MET$/m);
    expect(text).toContain("g7: result-measure twice");
    expect(text).toMatch(/^improvement lists over 5 items +0 +0 +met$/m);
  });
});
