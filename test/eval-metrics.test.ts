import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  averageRanks,
  exactAccuracy,
  presenceMetrics,
  quadraticWeightedKappa,
  scoreMetrics,
  spearman,
  withinOneAccuracy,
} from "../src/eval/metrics.js";

describe("ordinal agreement metrics (hand-computed fixtures)", () => {
  it("exact and within-one accuracy", () => {
    // differences 0, 1, 2, 0 → exact 2/4, within one 3/4
    expect(exactAccuracy([0, 1, 2, 4], [0, 2, 4, 4])).toBe(0.5);
    expect(withinOneAccuracy([0, 1, 2, 4], [0, 2, 4, 4])).toBe(0.75);
    expect(exactAccuracy([], [])).toBeNull();
  });

  it("quadratic weighted kappa on a 3-item permutation is 0.5", () => {
    // O has one count each at (0,0), (1,2), (2,1); weights (i-j)²/16 → Σw·O = 2/16.
    // Marginals are uniform, E = 1/3 everywhere; Σw over the 3×3 block = 12/16 → Σw·E = 4/16.
    // κ = 1 − (2/16)/(4/16) = 0.5, independent of the unused levels 3 and 4.
    expect(quadraticWeightedKappa([0, 1, 2], [0, 2, 1])).toBeCloseTo(0.5, 12);
  });

  it("quadratic weighted kappa: perfect, reversed, and undefined cases", () => {
    expect(quadraticWeightedKappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4])).toBe(1);
    // Full reversal of 0..4: Σw·O = (16+4+0+4+16)/16 = 2.5; E = 1/5 everywhere and Σ(i−j)² over 5×5 = 100,
    // so Σw·E = (1/5)·100/16 = 1.25 → κ = 1 − 2.5/1.25 = −1
    expect(quadraticWeightedKappa([0, 1, 2, 3, 4], [4, 3, 2, 1, 0])).toBeCloseTo(-1, 12);
    expect(quadraticWeightedKappa([2, 2, 2], [2, 2, 2])).toBeNull();
    expect(() => quadraticWeightedKappa([5], [0])).toThrow(RangeError);
  });

  it("quadratic weighted kappa: an off-by-one grader on a two-level fixture", () => {
    // gold [0,0,1,1], pred [0,1,1,1] over 0..1: O = [[1,1],[0,2]], w01 = w10 = 1.
    // Σw·O = 1; marginals gold [2,2], pred [1,3] → E01 = 2·3/4 = 1.5, E10 = 2·1/4 = 0.5 → Σw·E = 2.
    expect(quadraticWeightedKappa([0, 0, 1, 1], [0, 1, 1, 1], 0, 1)).toBeCloseTo(0.5, 12);
  });

  it("average ranks share ties", () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([3, 1, 3, 3])).toEqual([3, 1, 3, 3]);
  });

  it("Spearman with ties equals sqrt(0.9) on a known fixture", () => {
    // ranks x = [1, 2.5, 2.5, 4], y = [1, 3, 2, 4]; deviations give Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(Math.sqrt(0.9), 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3], [2, 2, 2])).toBeNull();
  });

  it("Spearman is invariant under monotone transforms of either side", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 })), { minLength: 3, maxLength: 30 }), (pairs) => {
        const g = pairs.map((p) => p[0]);
        const q = pairs.map((p) => p[1]);
        const a = spearman(g, q);
        const b = spearman(g.map((x) => x * x + 7), q.map((x) => Math.exp(x)));
        if (a === null) return b === null;
        return b !== null && Math.abs(a - b) < 1e-9;
      }),
    );
  });

  it("scoreMetrics bundles all four", () => {
    expect(scoreMetrics([0, 1, 2], [0, 2, 1])).toEqual({ exact: 1 / 3, withinOne: 1, qwk: expect.closeTo(0.5, 12), spearman: expect.closeTo(0.5, 12), n: 3 });
  });
});

describe("presence metrics", () => {
  const gold = [true, true, true, false, false];

  it("per-class precision, recall, F1 and macro-F1", () => {
    // present: TP 2, FP 1, FN 1 → 2/3 each; absent: TP 1, FP 1, FN 1 → 1/2 each
    const m = presenceMetrics(gold, [true, true, false, false, true]);
    expect(m.present.precision).toBeCloseTo(2 / 3, 12);
    expect(m.present.recall).toBeCloseTo(2 / 3, 12);
    expect(m.present.f1).toBeCloseTo(2 / 3, 12);
    expect(m.present.support).toBe(3);
    expect(m.absent).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.macroF1).toBeCloseTo(7 / 12, 12);
    expect(m.accuracy).toBeCloseTo(0.6, 12);
  });

  it("a detector that always says present gets a low macro-F1", () => {
    const m = presenceMetrics(gold, gold.map(() => true));
    // present: P 3/5, R 1, F1 0.75; absent is never predicted → 0
    expect(m.present.f1).toBeCloseTo(0.75, 12);
    expect(m.absent).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(m.macroF1).toBeCloseTo(0.375, 12);
    expect(m.accuracy).toBeCloseTo(0.6, 12); // accuracy alone would flatter it
  });

  it("a perfect detector gets 1", () => {
    expect(presenceMetrics(gold, gold).macroF1).toBe(1);
  });

  it("rejects unpaired inputs", () => {
    expect(() => presenceMetrics([true], [])).toThrow(RangeError);
  });
});
