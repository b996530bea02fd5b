/**
 * The invention guard and the rule-based rewrite. Property tests: for any answer, the offline
 * rewrite contains no figure absent from the answer (checked here by plain token and substring
 * comparison, not by the guard's own functions), and whatever sentences a rewriter proposes, no
 * figure outside a placeholder survives the guard unless the answer has it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LENGTH } from "../src/core/analyze.js";
import type { Feedback } from "../src/core/feedback.js";
import { parse } from "../src/core/nlp.js";
import { findQuantities } from "../src/core/quantities.js";
import { GAPS, maskPlaceholders, type ProposedSentence } from "../src/core/rewrite.js";
import { guardRewrite, namesIn, occursIn } from "../src/core/rewrite-guard.js";
import { rewriteSource } from "../src/core/rewrite-source.js";
import { STAR_PARTS } from "../src/core/star-split.js";
import { tokenize } from "../src/core/tokens.js";
import { createOfflineGrader } from "../src/grader/offline-grader.js";
import { createOfflineRewriter } from "../src/grader/rewrite-offline.js";
import { createGradingService } from "../src/grading.js";
import { createRewriteService } from "../src/rewrite.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { SAMPLE_ANSWER } from "./support/app.js";

const store = openSqliteStore(":memory:");
const grading = createGradingService({ store, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
const rewriting = createRewriteService({ store, rewriter: createOfflineRewriter(), length: DEFAULT_LENGTH });
const grade = (answer: string) => grading.grade({ answer, principle: "ownership" });

// ---- answers built from the kinds of sentences candidates write, figures in digits and in words
const amount = fc.oneof(
  fc.integer({ min: 1, max: 5000 }).map(String),
  fc.integer({ min: 1, max: 99 }).map((n) => `${n}%`),
  fc.integer({ min: 1, max: 900 }).map((n) => `$${n}k`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 9 })).map(([a, b]) => `${a}.${b}%`),
  fc.constantFrom("three", "twelve", "a third", "half", "twice", "a dozen", "forty"),
);
const unit = fc.constantFrom("tickets", "hours", "minutes", "customers", "engineers", "days", "errors", "of the backlog", "");
const subject = fc.constantFrom("I", "We", "Our team", "My manager", "The client", "Nobody");
const verb = fc.constantFrom("cut", "reduced", "shipped", "analysed", "rewrote", "found", "handled", "owned", "promised", "needed");
const tail = fc.constantFrom("", " in 2019", " by Friday", " with Priya", " at Acme", " before Black Friday", " within a quarter", " after 3 weeks", " on v2.1");
const storySentence = fc
  .tuple(subject, verb, amount, unit, tail, fc.constantFrom(".", "!", "."))
  .map(([s, v, a, u, t, end]) => `${s} ${v} ${a} ${u}`.replace(/\s+/g, " ").trim() + t + end);
const fixedSentence = fc.constantFrom(
  "My goal was to halve the backlog.",
  "As a result, complaints fell from 40 to 12 a week.",
  "I think that shows I care.",
  "We rolled it out behind a feature flag.",
  "That's a great question, let me think.",
  "I would probably do it again.",
);
const noise = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `${s.replace(/[\[\]]/g, "")}.`);
const answerArb = fc
  .array(fc.oneof({ weight: 5, arbitrary: storySentence }, { weight: 2, arbitrary: fixedSentence }, { weight: 1, arbitrary: noise }), { minLength: 1, maxLength: 12 })
  .map((sentences) => sentences.join(" "))
  // The grader refuses an answer without a word (answer_empty): there is nothing to rewrite.
  .filter((a) => /[\p{L}\p{N}]/u.test(a));

/** The figures a text states outside its placeholders, by the two counting rules. */
function figures(text: string): { digits: string[]; quantities: string[] } {
  const masked = maskPlaceholders(text);
  return {
    digits: tokenize(masked).filter((t) => /\d/.test(t)),
    quantities: findQuantities(masked, parse(masked)).map((q) => q.text),
  };
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, " ");

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

describe("offline rewrite, for any answer", () => {
  it("states no number or quantity the answer does not contain, and needs no correction by the guard", async () => {
    await fc.assert(
      fc.asyncProperty(answerArb, async (answer) => {
        const feedback = await grade(answer);
        const rewrite = await rewriting.rewriteFeedback(feedback);
        const answerTokens = new Set(tokenize(answer));
        const { digits, quantities } = figures(rewrite.text);
        for (const d of digits) expect(answerTokens.has(d), `digit token ${d}`).toBe(true);
        for (const q of quantities) expect(squash(answer).includes(squash(q)), `quantity ${q}`).toBe(true);
        expect(rewrite.dropped).toBe(0);
        expect(rewrite.meta.figuresReplaced).toBe(0);
        // Every sentence cites real sentences of the grading, and only placeholders cite none.
        for (const s of rewrite.sentences) {
          for (const i of s.from) expect(i).toBeLessThan(feedback.segments.length);
          if (!s.from.length) expect(maskPlaceholders(s.text).trim()).toBe("");
        }
      }),
      { numRuns: 120 },
    );
  }, 120_000);
});

describe("the guard, for any proposal", () => {
  it("lets no figure outside a placeholder through unless the answer has it", async () => {
    const proposalArb = fc.array(
      fc.record({
        base: fc.nat(),
        injected: amount,
        where: fc.constantFrom("start", "end", "replace"),
        part: fc.constantFrom(...STAR_PARTS),
        from: fc.array(fc.integer({ min: -2, max: 14 }), { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 6 },
    );
    await fc.assert(
      fc.asyncProperty(answerArb, proposalArb, async (answer, specs) => {
        const feedback = await grade(answer);
        const source = rewriteSource(feedback);
        const proposed: ProposedSentence[] = specs.map((spec) => {
          const base = source.sentences[spec.base % source.sentences.length]!.text;
          const text =
            spec.where === "start" ? `In ${spec.injected} weeks, ${base}` : spec.where === "end" ? `${base} It saved ${spec.injected} hours.` : base.replace(/\S*\d\S*/, spec.injected);
          return { text, part: spec.part, from: spec.from };
        });
        const out = guardRewrite(source, proposed);
        const answerTokens = new Set(tokenize(answer).map((t) => t.toLowerCase()));
        // A digit may restate a number word of the answer ("3" for "three"); nothing else is allowed.
        const inAnswer = (d: string) => answerTokens.has(d.toLowerCase()) || answerTokens.has(NUMBER_WORDS[Number(d)] ?? "");
        for (const s of out.sentences) {
          for (const d of figures(s.text).digits) expect(inAnswer(d), `digit token ${d} in “${s.text}”`).toBe(true);
          for (const i of s.from) expect(i >= 0 && i < source.sentences.length).toBe(true);
        }
        expect(out.sentences.length + out.dropped).toBe(proposed.length);
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});

describe("the guard's rules", () => {
  const source = () => rewriteSource({ answer: SAMPLE_ANSWER, segments: [] } as unknown as Feedback);

  it("reads names from the tagger: a capitalised first word is a name only when it is no English word", () => {
    const names = (t: string) => namesIn(t, parse(t)).map((n) => n.text);
    expect(names("Latency fell by 40% and we saved $2M a year.")).toEqual([]);
    expect(names("Sarah helped me, and I told the CFO.")).toEqual(["Sarah", "CFO"]);
    expect(names("I walked Priya from Finance through the data.")).toEqual(["Priya", "Finance"]);
    expect(names("Email ops@acme.io about it.")).toContain("ops@acme.io");
  });

  it("finds a figure only as a whole number: 5 is not in 0.5% or 2019", () => {
    expect(occursIn("cut below 0.5% in 2019", "5")).toBe(false);
    expect(occursIn("cut below 0.5% in 2019", "19")).toBe(false);
    expect(occursIn("cut below 0.5% in 2019", "0.5%")).toBe(true);
    expect(occursIn("we had 1,200 users.", "200")).toBe(false);
    expect(occursIn("we had 5, then 6.", "5")).toBe(true);
  });

  it("compares figures as whole words, with number words equal to digits and hedges ignored", () => {
    const proposed: ProposedSentence[] = [
      { part: "task", from: [2], text: "My task was to cut the error rate below 0.5% before Black Friday, five weeks away." },
      { part: "result", from: [7], text: "The error rate dropped to about 0.2% and we handled 3x the traffic on Black Friday." },
      { part: "result", from: [7], text: "The error rate dropped to 0.2% and we handled 30x the traffic on Black Friday." },
    ];
    const out = guardRewrite(source(), proposed);
    expect(out.sentences.map((s) => s.text)).toEqual([
      proposed[0]!.text,
      proposed[1]!.text,
      `The error rate dropped to 0.2% and we handled ${GAPS.figure} the traffic on Black Friday.`,
    ]);
    expect(out.figuresReplaced).toBe(1);
  });

  it("exempts placeholder text and keeps placeholder-only sentences without a source", () => {
    const out = guardRewrite(source(), [
      { part: "result", from: [], text: "[how much faster, e.g. from 40 to 12 minutes, and who noticed — Priya?]" },
      { part: "task", from: [99], text: "[what you were responsible for]." },
    ]);
    expect(out.dropped).toBe(0);
    expect(out.sentences.map((s) => s.from)).toEqual([[], []]);
    expect(out.placeholders).toEqual(["[how much faster, e.g. from 40 to 12 minutes, and who noticed — Priya?]", "[what you were responsible for]"]);
  });

  it("drops a sentence whose content the answer does not carry, whatever it cites", () => {
    const out = guardRewrite(source(), [
      { part: "action", from: [5], text: "I convinced the whole team in one meeting and they thanked me." },
      { part: "action", from: [], text: "I proposed a targeted fix and presented the data to my manager." },
    ]);
    expect(out.rejected).toEqual([{ text: "I convinced the whole team in one meeting and they thanked me.", reason: "unsupported" }]);
    // A sentence the answer does carry gets its citation from code when the model gives none.
    expect(out.sentences).toEqual([{ part: "action", from: [5], text: "I proposed a targeted fix and presented the data to my manager." }]);
  });
});
