/** Delivery figures: filler words in context, long pauses from word timings, pace, spoken length. */
import { describe, expect, it } from "vitest";
import { analyze, DEFAULT_LENGTH } from "../src/core/analyze.js";
import { alignWords, findFillers, findLongPauses, measureDelivery, withSpokenLength, type TimedWord } from "../src/core/delivery.js";

const phrases = (text: string) => findFillers(text).map((f) => f.phrase);
const spans = (text: string) => findFillers(text).map((f) => text.slice(f.start, f.end));

describe("fillers", () => {
  it("hesitation sounds always count", () => {
    expect(phrases("Um, so I, uh, owned it. Er, then erm the fix. Umm.")).toEqual(["um", "uh", "er", "erm", "umm"]);
  });

  it.each([
    ["It was, like, really slow.", ["like"]],
    ["Like, we had no tests at all.", ["like"]],
    ["So like we had no tests.", ["like"]],
    ["It took like 20 minutes to deploy.", ["like"]],
    ["It took like two weeks.", ["like"]],
    ["And I was like, no way.", ["like"]],
    ["The build was like really slow.", ["like"]],
    ["We shipped on time, or like.", ["like"]],
  ])("“like” as a filler: %s", (text, expected) => {
    expect(phrases(text)).toEqual(expected);
  });

  it.each([
    "I like the design of the importer.",
    "We would like to ship it sooner.",
    "It looks like a bug in the parser.",
    "It felt like a maze.",
    "It was like a maze with no exit.",
    "They didn't like the proposal.",
    "Just like the last migration, it failed.",
    "Tools like Jenkins and Airflow were in use.",
    "Something like that happened before.",
    "It was like that for months.",
  ])("“like” as a verb or comparison is not a filler: %s", (text) => {
    expect(phrases(text)).toEqual([]);
  });

  it.each([
    ["It was, you know, a hard call.", ["you know"]],
    ["You know, nobody owned it.", ["you know"]],
    ["We had to fix it, you know.", ["you know"]],
    ["It was sort of broken.", ["sort of"]],
    ["I kind of took over the project.", ["kind of"]],
  ])("phrases: %s", (text, expected) => {
    expect(phrases(text)).toEqual(expected);
  });

  it.each([
    "Do you know the answer?",
    "You know the system better than anyone.",
    "I asked if you know what happened.",
    "It was a sort of cache in front of the database.",
    "What kind of tests did you write?",
    "That kind of outage costs us money.",
  ])("the verb “know” and the noun “sort/kind” are not fillers: %s", (text) => {
    expect(phrases(text)).toEqual([]);
  });

  it("ranges point at the filler text, in order, with curly apostrophes and case kept", () => {
    const text = "Um, I was LIKE, really stuck — you know — and it’s sort of fixed now.";
    expect(spans(text)).toEqual(["Um", "LIKE", "you know", "sort of"]);
  });
});

const timed = (spec: Array<[string, number, number]>): TimedWord[] => spec.map(([text, start, end]) => ({ text, start, end }));

describe("long pauses", () => {
  const text = "I read fifty tickets. Then, after a while, I wrote the validator.";
  const words = timed([
    ["I", 0.0, 0.2], ["read", 0.2, 0.5], ["fifty", 0.5, 0.9], ["tickets", 0.9, 1.4],
    ["Then", 4.2, 4.5], ["after", 4.6, 4.9], ["a", 4.9, 5.0], ["while", 5.0, 5.4],
    ["I", 7.9, 8.0], ["wrote", 8.0, 8.3], ["the", 8.3, 8.4], ["validator", 8.4, 9.0],
  ]);

  it("reports silences over 2.5 s between words, with where they fall in the text", () => {
    const pauses = findLongPauses(text, words);
    expect(pauses).toEqual([
      { at: 1.4, seconds: 2.8, offset: text.indexOf("tickets") + "tickets".length },
      // 5.4 → 7.9 is exactly 2.5 s: not over the threshold.
    ]);
    expect(text.slice(0, pauses[0]!.offset)).toBe("I read fifty tickets");
  });

  it("the threshold is strict and configurable", () => {
    expect(findLongPauses(text, words, 2.49).map((p) => p.at)).toEqual([1.4, 5.4]);
    expect(findLongPauses(text, words, 3)).toEqual([]);
    expect(findLongPauses(text, [])).toEqual([]);
  });

  it("alignment survives words spelled differently from the text and split hyphenated words", () => {
    const t = "OK so the follow-up, 62% fewer tickets.";
    const ends = alignWords(t, timed([["okay", 0, 1], ["so", 1, 2], ["the", 2, 3], ["follow", 3, 4], ["up", 4, 5], ["62%", 5, 6], ["fewer", 6, 7], ["tickets", 7, 8]]));
    expect(ends.map((e) => t.slice(0, e).split(" ").pop())).toEqual(["OK", "so", "the", "follow-up", "follow-up", "62%", "fewer", "tickets"]);
  });
});

describe("delivery", () => {
  const transcript = "Um, last year I, like, owned the importer. You know, nobody else would. Um, it worked.";

  it("pace and filler rate per minute of the recording", () => {
    const d = measureDelivery({ transcript, words: 15, durationSeconds: 30, timedWords: null });
    expect(d).toEqual({
      durationSeconds: 30,
      wordsPerMinute: 30,
      fillers: { count: 4, perMinute: 8, examples: ["um", "like", "you know"] },
      longPauses: [],
    });
  });

  it("the spoken length replaces the estimate and drives the verdict", () => {
    const analysis = analyze(transcript, DEFAULT_LENGTH);
    expect(analysis.lengthVerdict).toBe("too_short");
    const delivery = measureDelivery({ transcript, words: analysis.words, durationSeconds: 74.6, timedWords: null });
    const spoken = withSpokenLength(analysis, delivery, DEFAULT_LENGTH);
    expect(spoken.speakingSeconds).toBe(75);
    expect(spoken.lengthVerdict).toBe("ok");
    expect(spoken.wordsPerMinute).toBe(Math.round(analysis.words / (74.6 / 60)));
    expect(withSpokenLength(analysis, { ...delivery, durationSeconds: 130 }, DEFAULT_LENGTH).lengthVerdict).toBe("too_long");
  });
});
