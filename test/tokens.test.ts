import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { countTokens, iRatio, stripToken, tokenize } from "../src/core/tokens.js";

describe("contract counting rules", () => {
  it("strips edge punctuation but keeps inner characters", () => {
    expect(stripToken("“Hello,”")).toBe("Hello");
    expect(stripToken("(35%)")).toBe("35%");
    expect(stripToken("—")).toBe("");
    expect(stripToken("$10M.")).toBe("$10M");
    expect(stripToken("U.S.")).toBe("U.S");
  });

  it("counts words: tokens with a letter or digit; a lone dash is none", () => {
    expect(countTokens("We saved $10M — in 3 weeks.").words).toBe(6);
    expect(countTokens("   ").words).toBe(0);
    expect(countTokens("… — –").words).toBe(0);
  });

  it("counts I and we, with curly apostrophes and contractions", () => {
    const c = countTokens("I’m sure we’ll win; I've told my team, and our CEO told me. We'd agreed, ours to lose, myself included.");
    expect(c.iCount).toBe(5); // I’m, I've, my, me, myself
    expect(c.weCount).toBe(4); // we’ll, our, We'd, ours
  });

  it("does not count the country US, I/O, U.S. or my/our as pronouns", () => {
    const c = countTokens("The US office moved I/O to the U.S. cloud; my/our call. Tell us.");
    expect(c.iCount).toBe(0);
    expect(c.weCount).toBe(1); // only "us"
  });

  it("lists numbers as written", () => {
    expect(countTokens("Latency fell 35% (from 200ms), saving $10M across 3 regions in 2023.").numbers).toEqual([
      "35%", "200ms", "$10M", "3", "2023",
    ]);
  });

  it("computes iRatio, null when neither pronoun occurs", () => {
    expect(iRatio(3, 1)).toBe(0.75);
    expect(iRatio(0, 0)).toBeNull();
  });

  it("never throws and stays consistent on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 400 }), (text) => {
        const c = countTokens(text);
        const tokens = tokenize(text);
        expect(c.words).toBeLessThanOrEqual(tokens.length);
        expect(c.iCount + c.weCount).toBeLessThanOrEqual(c.words);
        expect(c.numbers.length).toBeLessThanOrEqual(c.words);
      }),
      { numRuns: 500 },
    );
  });
});
