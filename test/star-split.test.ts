import { describe, expect, it } from "vitest";
import { analyze } from "../src/core/analyze.js";
import { STAR_PARTS, type StarPart } from "../src/core/star-split.js";
import { SAMPLE_ANSWER } from "./support/app.js";

const present = (answer: string) => Object.fromEntries(STAR_PARTS.map((p) => [p, analyze(answer).parts[p].present])) as Record<StarPart, boolean>;

describe("offline STAR-part presence", () => {
  it("finds all four parts in a complete answer", () => {
    expect(present(SAMPLE_ANSWER)).toEqual({ situation: true, task: true, action: true, result: true });
  });

  it("finds no real part in a hypothetical non-answer", () => {
    const answer = "In a situation like that, I would first talk to my manager. Then I would gather data and present it to the team. I'd make sure everyone agreed before we moved on.";
    expect(present(answer)).toEqual({ situation: false, task: false, action: false, result: false });
    expect(analyze(answer).hypothetical).toBe(true);
  });

  it("an action-only answer has actions and nothing else", () => {
    const answer = "I rewrote the deployment script. I added a rollback step and tested it on staging. Then I showed it to the on-call engineers.";
    expect(present(answer)).toEqual({ situation: false, task: false, action: true, result: false });
  });

  it("counts all-'we' steps as actions and a vague outcome as a result", () => {
    const answer = "Our support queue had grown to two weeks. We hired two temps and we rewrote the macros. Things got better after that.";
    expect(present(answer)).toMatchObject({ situation: true, action: true, result: true });
  });

  it("a story that stops at the last step has no result", () => {
    const answer = "Last year I was a team lead at a bank, and our release process was failing every other week. My goal was to make releases boring. I mapped every manual step and I automated the three slowest ones.";
    expect(present(answer)).toEqual({ situation: true, task: true, action: true, result: false });
  });
});
