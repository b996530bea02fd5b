import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, lengthVerdict, speakingSeconds } from "../src/core/analyze.js";
import { splitSentences } from "../src/core/sentences.js";
import { countTokens } from "../src/core/tokens.js";
import { SAMPLE_ANSWER } from "./support/app.js";

describe("sentence splitting", () => {
  it("keeps offsets into the original text", () => {
    const text = "  First one. Second one!\nThird line";
    const s = splitSentences(text);
    expect(s.map((x) => x.text)).toEqual(["First one.", "Second one!", "Third line"]);
    for (const x of s) expect(text.slice(x.start, x.end)).toBe(x.text);
  });

  it("does not split on abbreviations, initials or decimals", () => {
    const s = splitSentences("We moved to the U.S. office, e.g. Dr. Smith's team. Latency fell 3.5 times. Done.");
    expect(s.map((x) => x.text)).toEqual(["We moved to the U.S. office, e.g. Dr. Smith's team.", "Latency fell 3.5 times.", "Done."]);
  });

  it("splits on line breaks (bullets) and ignores blank lines", () => {
    expect(splitSentences("- I did A\n\n- I did B").map((x) => x.text)).toEqual(["- I did A", "- I did B"]);
  });
});

describe("length", () => {
  it("speaking time = round(words / wpm × 60) and the verdict bounds", () => {
    expect(speakingSeconds(300, 150)).toBe(120);
    expect(speakingSeconds(149, 150)).toBe(60);
    expect(lengthVerdict(59, { minSeconds: 60, maxSeconds: 120 })).toBe("too_short");
    expect(lengthVerdict(120, { minSeconds: 60, maxSeconds: 120 })).toBe("ok");
    expect(lengthVerdict(121, { minSeconds: 60, maxSeconds: 120 })).toBe("too_long");
  });

  it("honours a configured speaking rate and bounds", () => {
    const a = analyze("word ".repeat(100), { wordsPerMinute: 100, minSeconds: 30, maxSeconds: 50 });
    expect(a.speakingSeconds).toBe(60);
    expect(a.lengthVerdict).toBe("too_long");
    expect(a.targetSeconds).toEqual({ min: 30, max: 50 });
  });
});

describe("STAR split and ownership on a well-formed answer", () => {
  const a = analyze(SAMPLE_ANSWER);

  it("finds all four parts in order", () => {
    const order = a.sentences.map((s) => s.part);
    expect(order[0]).toBe("situation");
    expect(order.at(-1)).toBe("result");
    for (const part of ["situation", "task", "action", "result"] as const) expect(a.parts[part].present).toBe(true);
    expect(a.parts.task.sentences[0]).toMatch(/^My task was/);
    expect(a.parts.action.sentences).toContain("I proposed a targeted fix and presented the data to my manager.");
  });

  it("counts pronouns and flags the Action sentence that hides behind we", () => {
    expect(a.iCount).toBe(9);
    expect(a.weCount).toBe(3);
    expect(a.iRatio).toBe(0.75);
    expect(a.weSentences).toEqual(["Then I added an index and a cache, and we rolled it out behind a feature flag."]);
    expect(a.actionIRatio).toBeGreaterThan(0.7);
    expect(a.ownershipVerdict).toBe("strong");
  });

  it("collects numbers, and those in the result", () => {
    expect(a.numbers).toEqual(["6", "4%", "0.5%", "5", "80%", "0.2%", "3x"]);
    expect(a.resultNumbers).toEqual(["0.2%", "3x"]);
  });
});

describe("edge cases", () => {
  it("an answer with no Action part: actionIRatio is null and no we-sentences", () => {
    const a = analyze("Last year our team was migrating a billing system. The deadline was tight and the stakes were high for the company.");
    expect(a.parts.action.present).toBe(false);
    expect(a.actionIRatio).toBeNull();
    expect(a.weSentences).toEqual([]);
  });

  it("an all-we answer has a weak ownership verdict", () => {
    const a = analyze("We had an outage. We needed to fix it fast. We analyzed the logs and we rewrote the retry logic. We reduced errors by 40%.");
    expect(a.iCount).toBe(0);
    expect(a.iRatio).toBe(0);
    expect(a.ownershipVerdict).toBe("weak");
  });

  it("recognises a hypothetical answer", () => {
    expect(analyze("I would speak with my coworker privately. Then I would talk to my manager and I would follow their lead.").hypothetical).toBe(true);
    expect(analyze(SAMPLE_ANSWER).hypothetical).toBe(false);
  });

  it("never throws and stays consistent on arbitrary text (property)", () => {
    const sentence = fc.array(fc.constantFrom("I", "we", "We", "US", "I/O", "fixed", "the", "35%", "—", "it.", "our", "my", "Then", "As", "a", "result,", "\n", "“quoted”"), { maxLength: 60 }).map((w) => w.join(" "));
    fc.assert(
      fc.property(fc.oneof(sentence, fc.string({ maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 200 })), (text) => {
        const a = analyze(text);
        const direct = countTokens(text);
        expect([a.words, a.iCount, a.weCount, a.numbers]).toEqual([direct.words, direct.iCount, direct.weCount, direct.numbers]);
        expect(a.iCount + a.weCount).toBeLessThanOrEqual(a.words);
        expect(a.resultNumbers.length).toBeLessThanOrEqual(a.numbers.length);
        // Every sentence is in exactly one part or none ("other"), and a part is present exactly
        // when a sentence carries it.
        const labelled = Object.values(a.parts).reduce((n, p) => n + p.sentences.length, 0);
        expect(labelled + a.sentences.filter((s) => s.part === null).length).toBe(a.sentences.length);
        for (const [part, p] of Object.entries(a.parts)) expect(p.present).toBe(a.sentences.some((s) => s.part === part));
        if (a.actionIRatio !== null) expect(a.actionIRatio).toBeGreaterThanOrEqual(0);
        for (const s of a.sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
      }),
      { numRuns: 400 },
    );
  });
});
