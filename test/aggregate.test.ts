import { describe, expect, it } from "vitest";
import { aggregateSamples, median } from "../src/core/aggregate.js";
import type { ModelGrade } from "../src/core/feedback.js";
import { modelGrade, } from "./support/openai-mock.js";
import { SAMPLE_ANSWER } from "./support/app.js";

function withScores(scores: [number, number, number, number, number], tag: string): ModelGrade {
  const g = modelGrade(SAMPLE_ANSWER);
  const [s, t, a, r, fit] = scores;
  return {
    ...g,
    situation: { ...g.situation, score: s, feedback: `${tag} situation` },
    task: { ...g.task, score: t },
    action: { ...g.action, score: a },
    result: { ...g.result, score: r },
    principleFit: { ...g.principleFit, score: fit },
  };
}

describe("self-consistency aggregation", () => {
  it("median takes the lower middle for even counts", () => {
    expect(median([3])).toBe(3);
    expect(median([4, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2);
    expect(() => median([])).toThrow();
  });

  it("reports median scores, min/max spread, and words from the sample nearest the median", () => {
    const samples = [withScores([2, 3, 4, 1, 3], "A"), withScores([3, 3, 3, 2, 2], "B"), withScores([4, 1, 2, 4, 4], "C")];
    const { grade, spread, representative } = aggregateSamples(samples);
    expect([grade.situation.score, grade.task.score, grade.action.score, grade.result.score, grade.principleFit.score]).toEqual([3, 3, 3, 2, 3]);
    expect(spread).toEqual({ situation: { min: 2, max: 4 }, task: { min: 1, max: 3 }, action: { min: 2, max: 4 }, result: { min: 1, max: 4 }, principleFit: { min: 2, max: 4 } });
    // Distances to the medians (3,3,3,2,3): A = 1+0+1+1+0 = 3, B = 0+0+0+0+1 = 1, C = 1+2+1+2+1 = 7.
    expect(representative).toBe(1);
    expect(grade.situation.feedback).toBe("B situation");
  });

  it("a part most samples find absent is absent with score 0", () => {
    const a = withScores([3, 3, 3, 3, 3], "A");
    const b = { ...a, result: { ...a.result, present: false, score: 0 } };
    const { grade } = aggregateSamples([a, b, b]);
    expect(grade.result).toMatchObject({ present: false, score: 0 });
  });
});
