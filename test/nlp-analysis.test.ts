import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/core/analyze.js";
import { STAR_PARTS } from "../src/core/star-split.js";
import { parseGold } from "../src/eval/gold.js";
import { createOfflineGrader } from "../src/grader/offline-grader.js";
import { concernOf } from "../src/grader/improvements.js";
import { computedFigures } from "../src/grader/assemble.js";
import { principleById } from "../src/core/principles.js";
import { DEFAULT_LENGTH } from "../src/core/analyze.js";
import { createGradingService, type GradeInput } from "../src/grading.js";
import type { Feedback } from "../src/core/feedback.js";
import { runEval } from "../src/eval/run.js";
import { openSqlite } from "../src/store/sqlite.js";

const corpus = readdirSync("data/star-corpus")
  .filter((f) => f.endsWith(".jsonl"))
  .flatMap((f) => parseGold(readFileSync(join("data/star-corpus", f), "utf8")).lines);

describe("quantities, in digits or words", () => {
  it("finds amounts as written and ignores dates, ordinals and 'one of'", () => {
    const a = analyze("In 2022 one of our clients complained. I fixed the export. Returns fell by a third, from six hours to under one, and fourteen customers signed up; costs dropped 35%.");
    expect(a.quantities).toEqual(["a third", "six hours", "one", "fourteen", "35%"]);
    expect(a.numbers).toEqual(["2022", "35%"]); // the contract's digit rule is unchanged
    expect(a.quantifiedResult).toBe(true);
  });

  it("a result with a number word is quantified; a time marker or a vague outcome is not", () => {
    expect(analyze("I rebuilt the rota with the team leads. Overtime fell by half within a month.").quantifiedResult).toBe(true);
    expect(analyze("I rebuilt the rota with the team leads. Three years later the team was still happy with it.").quantifiedResult).toBe(false);
  });
});

describe("ownership reads grammar", () => {
  it("flags Action sentences whose acting subject is we, never possessive our or object us", () => {
    const a = analyze("Last year I led the data team at a bank. I tested the index in our staging environment. Then I added a cache, and we rolled it out to all users. The manager thanked us. Queries ran 3x faster.");
    expect(a.weSentences).toEqual(["Then I added a cache, and we rolled it out to all users."]);
    expect(a.weCount).toBe(3); // our, we, us: counted, as the contract says
  });

  it("we're / we've / we'd / we'll act too", () => {
    const a = analyze("I was a shift lead at a warehouse. We'd shipped the wrong pallets twice, so we've rebuilt the picking list together. Errors dropped by 40%.");
    expect(a.weSentences.length).toBe(1);
  });
});

describe("hypothetical and habitual answers", () => {
  it.each([
    "If a customer complained, I would first listen to them. Then I would find out what went wrong and I'd fix it. I believe customers come first.",
    "Usually I start by asking the team what they think. I always write down the options. Then I pick the one with the most data behind it.",
  ])("recognises %s", (answer) => {
    expect(analyze(answer).hypothetical).toBe(true);
  });

  it("a real story that ends with 'next time I would…' is not hypothetical", () => {
    expect(analyze("Last year our release failed twice. I rewrote the deploy script and added a rollback step. Releases have not failed since. Next time I would add the rollback first.").hypothetical).toBe(false);
  });
});

describe("the cards and the highlighting agree on every corpus answer", () => {
  it(`part presence = some segment carries the part (${corpus.length} answers)`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const line of corpus) {
      const a = analyze(line.answer);
      const segments = computedFigures(a).segments;
      for (const part of STAR_PARTS) expect(a.parts[part].present, `${line.id} ${part}`).toBe(segments.some((s) => s.part === part));
    }
  });
});

describe("offline feedback is about this answer", () => {
  const grader = createOfflineGrader();
  const grade = async (answer: string, principle = "ownership") => {
    const analysis = analyze(answer);
    const { grade } = await grader.grade({ answer, question: null, principle: principleById(principle), analysis });
    return { analysis, grade };
  };

  it("asks about disagreement only when there is one, and about measurement only when the result has no figure", async () => {
    const calm = await grade("Last year I ran the stockroom at a garden centre. I counted every shelf and I rebuilt the reorder list. Stock errors fell by a third in two months.");
    expect(calm.grade.followUps.join(" ")).not.toMatch(/disagree/i);
    expect(calm.grade.followUps.join(" ")).not.toMatch(/how did you know it had worked/i);
    const argued = await grade("Last year I ran the stockroom at a garden centre. My manager disagreed with my plan to recount every shelf. I recounted them anyway over two weekends. The errors went away.");
    expect(argued.grade.followUps.join(" ")).toMatch(/disagreement/);
    expect(argued.grade.followUps.join(" ")).toMatch(/How did you know it had worked/);
  });

  it("quotes the candidate's own decision, not someone else's reaction", async () => {
    const { grade: g } = await grade("Our checkout was failing for 4% of users. The team wanted a rewrite. I decided to profile the slowest query first. The manager was annoyed at the delay. Errors fell to 0.2%.");
    const step = g.followUps.find((q) => q.startsWith("You said"));
    expect(step).toContain("I decided to profile the slowest query first");
  });

  it("quotes the words, not the markdown around them", async () => {
    const { grade: g } = await grade("**Situation**: our checkout was failing for 4% of users.\n- **Action**: I decided to profile the slowest query first.\n- **Result**: errors fell to 0.2%.");
    const step = g.followUps.find((q) => q.includes("I decided to profile"));
    expect(step).toContain("“I decided to profile the slowest query first”");
    expect(g.followUps.join(" ")).not.toContain("*");
  });

  it("asks for the goal and the ending in the answer's own words, so two answers get different questions", async () => {
    const answers = [
      "Our warehouse in Leeds shipped the wrong pallets twice a week. I rebuilt the picking list with the shift leads. I also moved the scanners next to the loading bay.",
      "The hospital's rota app crashed every Monday morning. I traced the crash to one report. I rewrote that report's query and tested it with the ward clerks.",
    ];
    const asked = await Promise.all(answers.map(async (answer) => (await grade(answer)).grade.followUps));
    for (const [i, questions] of asked.entries()) {
      const goal = questions.find((q) => /who set that goal/.test(q));
      const ending = questions.find((q) => /how did it end/i.test(q));
      expect(goal, questions.join(" | ")).toBeDefined();
      expect(ending, questions.join(" | ")).toBeDefined();
      // Each quotes words of its own answer that no other question of the list quotes.
      for (const q of [goal!, ending!]) {
        const quoted = /“([^”]+)”/.exec(q)?.[1];
        expect(quoted && answers[i]!.includes(quoted.replace(/…$/, "")), q).toBe(true);
        expect(questions.filter((other) => other.includes(quoted!)), q).toHaveLength(1);
      }
    }
    expect(new Set(asked.flat()).size, "no question is the same text on both answers").toBe(asked.flat().length);
  });

  it("asks a hypothetical answer for a specific instance", async () => {
    const { grade: g } = await grade("In that situation I would first talk to my manager. Then I would gather data and I'd present it to the team.");
    expect(g.followUps[0]).toMatch(/one specific time/);
  });

  it("says why a hypothetical answer's fit is capped, and calls it an answer, not a story", async () => {
    const { grade: g } = await grade("If a customer complained, I would first listen to them. Then I would find out what went wrong and I'd fix it. I believe customers come first.", "customer-obsession");
    expect(g.principleFit.score).toBeLessThanOrEqual(1);
    expect(g.principleFit.rationale).toMatch(/^Fit is at most 1: the answer tells what you would do/);
    expect(g.principleFit.rationale).not.toMatch(/this story/i);
  });

  it("task and result cards describe what is there, whatever the calibrated score", async () => {
    const vague = await grade("Last year I ran the stockroom at a garden centre. My job was to fix the reorder list. I counted every shelf and I rebuilt the list. Everyone was happy with it.");
    expect(vague.grade.task.feedback).toBe("You state your own responsibility; it has no measurable target or deadline.");
    expect(vague.grade.result.feedback).toBe("The outcome is stated but has no figure, so its size cannot be judged.");
    const measured = await grade("Last year I ran the stockroom at a garden centre. My job was to cut stock errors by 30% within four weeks. I counted every shelf and I rebuilt the list. Stock errors fell by a third in two months.");
    expect(measured.grade.task.feedback).toBe("You state your own responsibility, with a measurable target.");
    expect(measured.grade.result.feedback).toMatch(/^The result is measured \(/);
  });

  it("concerns: a figure for the result, 'we' vs 'I' and the length are each one concern", () => {
    expect(concernOf("Back the result with a figure (%, time, money, users), in digits or words.")).toBe(concernOf("Quantify the outcome: a percentage, time saved, money, users or an error rate before and after."));
    expect(concernOf("Rewrite “we shipped it” to say what you yourself did.")).toBe(concernOf("Replace “we” with “I” where you did the work: 2 action sentences say “we” did it."));
    expect(concernOf("State the goal you owned with a measurable target or deadline.")).toBe("task");
    expect(concernOf("End with the outcome, measured: what changed, by how much, and what you learned.")).toBe("result-measure");
  });
});

/** The eval's own run over `lines` with the offline rules: its feedback checks, each feedback shown to `each` too. */
async function checkOffline(lines: typeof corpus, each?: (id: string, f: Feedback) => void) {
  const { store } = openSqlite(":memory:");
  const service = createGradingService({ store, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
  const idOf = new Map(lines.map((l) => [l.answer, l.id]));
  const observed = {
    grader: service.grader,
    grade: async (input: GradeInput) => {
      const f = await service.grade(input);
      each?.(idOf.get(input.answer)!, f);
      return f;
    },
  };
  const report = await runEval(lines, observed);
  await store.close();
  expect(report.failures).toEqual([]);
  return report.feedbackChecks;
}

describe("feedback over the whole corpus (offline)", () => {
  it("no card contradicts the highlighting, no concern is advised twice, no follow-up is on a third of the answers", async () => {
    const checks = await checkOffline(corpus, (id, f) => {
      // The offline rules word every missing part the same way.
      for (const part of STAR_PARTS) if (!f.star[part].present) expect(f.star[part].feedback, `${id} ${part}`).toMatch(/^No \w+ part was found/);
    });
    expect(checks.answers).toBe(corpus.length);
    expect(checks.contradictions.cases).toEqual([]);
    expect(checks.repeatedConcerns.cases).toEqual([]);
    expect(checks.overLimit.cases).toEqual([]);
    expect(checks.repeatedFollowUps.minAnswers * 3).toBeGreaterThanOrEqual(corpus.length);
    expect(checks.repeatedFollowUps.questions).toEqual([]);
  }, 60_000);

  // The same checks on each labelled gold set: answers written apart from the corpus.
  it.each(readdirSync("data/gold").filter((f) => f.endsWith(".jsonl")))("and on data/gold/%s", async (file) => {
    const lines = parseGold(readFileSync(join("data/gold", file), "utf8")).lines;
    const checks = await checkOffline(lines);
    expect(checks.contradictions.cases).toEqual([]);
    expect(checks.repeatedConcerns.cases).toEqual([]);
    expect(checks.overLimit.cases).toEqual([]);
    expect(checks.repeatedFollowUps.questions).toEqual([]);
  }, 60_000);
});
