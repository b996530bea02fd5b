import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { partialJsonText, repairJsonText } from "../src/grader/repair.js";
import { buildTestApp, llmGrader, postGrade, SAMPLE_ANSWER, useOpenAiMock } from "./support/app.js";
import { createOpenAiMock, modelGrade } from "./support/openai-mock.js";

const obj = '{"a": 1, "b": {"c": "x } y"}, "d": "say \\"hi\\" {"}';

describe("repairJsonText: the one JSON object out of what local models wrap around it", () => {
  it.each([
    ["a ```json fence", "```json\n" + obj + "\n```", ["fence"]],
    ["a bare ``` fence with a trailing newline", "```\n" + obj + "\n```\n", ["fence"]],
    ["a sentence before", "Here is the grading:\n\n" + obj, ["prose"]],
    ["a sentence after", obj + "\n\nLet me know if you need anything else.", ["prose"]],
    ["a sentence and a fence", "Sure! Here it is.\n```json\n" + obj + "\n```", ["fence", "prose"]],
    ["the tail of a reasoning block whose <think> was in the prompt", "the answer is strong, so 4 for action.\n</think>\n\n" + obj, ["reasoning"]],
  ])("%s", (_label, text, repairs) => {
    expect(repairJsonText(text)).toEqual({ text: obj, repairs });
    expect(JSON.parse(repairJsonText(text)!.text)).toEqual(JSON.parse(obj));
  });

  it("leaves alone what needs no repair or cannot be repaired without guessing", () => {
    expect(repairJsonText(obj)).toBeNull(); // already just the object
    expect(repairJsonText("  " + obj + "\n")).toBeNull(); // whitespace is no repair
    expect(repairJsonText("I cannot grade this answer.")).toBeNull();
    expect(repairJsonText('Example: {"a": 0}\nAnswer: ' + obj)).toBeNull(); // two objects: ambiguous
    expect(repairJsonText("```json\n" + obj.slice(0, -5))).toBeNull(); // cut off
    expect(repairJsonText('```json\n{"a": {"b": 1},}\n```')).toBeNull(); // broken outside, valid inside: not a smaller object
    expect(repairJsonText("[" + obj + "]")).toEqual({ text: obj, repairs: ["prose"] }); // the object in a one-element array
  });

  it("skips braces in prose that are not JSON", () => {
    expect(repairJsonText("I weighed {situation, task} first.\n" + obj)).toEqual({ text: obj, repairs: ["prose"] });
  });

  it("partialJsonText: the start of the object in a half-written reply", () => {
    expect(partialJsonText("```json\n{\"situation\": {\"evid")).toBe('{"situation": {"evid');
    expect(partialJsonText('Here it is: {"a": 1}\n```')).toBe('{"a": 1}\n');
    expect(partialJsonText("still thinking about it")).toBeNull();
    expect(partialJsonText('no braces here</think>\n{"a"')).toBe('{"a"');
  });
});

const mock = createOpenAiMock();
useOpenAiMock(mock, { beforeAll, afterEach, afterAll });
const request = { answer: SAMPLE_ANSWER, principle: "ownership" };

describe("never accepting unvalidated output", () => {
  it("a repaired reply that breaks the schema is retried with the validation error in the prompt", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    const broken = { ...modelGrade(SAMPLE_ANSWER), situation: { score: 9 } };
    mock.reply({ kind: "json", content: "```json\n" + JSON.stringify(broken) + "\n```" }, { kind: "json", content: "Sorry, I cannot do that." });
    const { status, json } = await postGrade(app, request);
    expect(status).toBe(502);
    expect(json.error.code).toBe("model_output_invalid");
    expect(mock.calls).toHaveLength(2);
    const first = mock.calls[0]!.body.messages.at(-1)!.content;
    const retry = mock.calls[1]!.body.messages.at(-1)!.content;
    expect(first).not.toContain("previous reply");
    expect(retry.startsWith(first)).toBe(true);
    expect(retry).toMatch(/Your previous reply could not be used: the reply did not match the schema \(situation\.evidence: .*situation\.score: /);
  });

  it("an unparseable reply is retried with that said, and a valid retry is graded and marked repaired", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply({ kind: "json", content: "The grading follows in JSON:\n```json\n{ \"situation\": " }, { kind: "json", content: "Here you go.\n" + JSON.stringify(modelGrade(SAMPLE_ANSWER)) });
    const { status, json } = await postGrade(app, request);
    expect(status).toBe(200);
    expect(json.meta.repaired).toEqual(["prose"]);
    expect(mock.calls[1]!.body.messages.at(-1)!.content).toContain("Your previous reply could not be used: the reply was not one JSON object.");
  });

  it("a clean reply records no repair", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
    const { json } = await postGrade(app, request);
    expect(json.meta).not.toHaveProperty("repaired");
  });
});
