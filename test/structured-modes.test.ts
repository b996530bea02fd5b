/**
 * Servers without json_schema: a 400 to response_format json_schema moves on to JSON mode with the
 * schema in the prompt, then to tool calling; the mode that works is remembered per endpoint.
 * STARCOACH_STRUCTURED pins one mode.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { forgetEndpoints } from "../src/grader/structured.js";
import { buildTestApp, llmGrader, postGrade, SAMPLE_ANSWER, useOpenAiMock } from "./support/app.js";
import { createOpenAiMock, modelGrade, toolCallReply, type Reply } from "./support/openai-mock.js";
import { readSse, streamingLlmGrader } from "./support/web.js";

const mock = createOpenAiMock();
useOpenAiMock(mock, { beforeAll, afterEach, afterAll });
afterEach(() => forgetEndpoints());

const request = { answer: SAMPLE_ANSWER, principle: "ownership" };
const grade = modelGrade(SAMPLE_ANSWER);
// What servers without a mode say: a 400 naming the response_format (or the tools) they do not take.
const noJsonSchema: Reply = { kind: "status", status: 400, body: { error: { code: 400, message: "response_format type 'json_schema' is not supported", type: "invalid_request_error" } } };
const noJsonObject: Reply = { kind: "status", status: 400, body: { error: "'response_format.type' must be 'json_schema' or 'text'" } };

const kinds = () => mock.calls.map((c) => (c.body.tools ? "tool" : (c.body.response_format?.type ?? "none")));
const systemOf = (i: number) => mock.calls[i]!.body.messages[0]!.content;

describe("STARCOACH_STRUCTURED=auto", () => {
  it("falls back to json_object with the schema in the prompt after a 400, and remembers it", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(noJsonSchema, mock.grade(grade));
    const first = await postGrade(app, request);
    expect(first.status).toBe(200);
    expect(kinds()).toEqual(["json_schema", "json_object"]);
    expect(systemOf(0)).not.toContain("JSON Schema");
    expect(systemOf(1)).toContain("Reply with one JSON object and nothing else");
    expect(systemOf(1)).toContain('"principleFit"');
    // The next grading goes straight to json_object: one call.
    mock.reply(mock.grade(grade));
    expect((await postGrade(app, { ...request, question: "Another one?" })).status).toBe(200);
    expect(kinds()).toEqual(["json_schema", "json_object", "json_object"]);
  });

  it("falls back to tool calling when JSON mode is refused too", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(noJsonSchema, noJsonObject, toolCallReply("star_feedback", grade));
    const { status, json } = await postGrade(app, request);
    expect(status).toBe(200);
    expect(kinds()).toEqual(["json_schema", "json_object", "tool"]);
    const toolCall = mock.calls[2]!.body;
    expect(toolCall.tools).toHaveLength(1);
    expect(toolCall.tools![0]!.function).toMatchObject({ name: "star_feedback", parameters: { type: "object", required: expect.arrayContaining(["situation", "action"]) } });
    expect(toolCall.tool_choice).toBe("required");
    expect(toolCall.response_format).toBeUndefined();
    expect(json.star.action.score).toBe(grade.action.score);
    expect(json.meta.repaired).toBeUndefined();
  });

  it("a server that refuses every mode gets one clear 502, and nothing is remembered", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(noJsonSchema, noJsonObject, { kind: "status", status: 400, body: { error: { message: "tools are not supported", type: "invalid_request_error" } } });
    const { status, json } = await postGrade(app, request);
    expect(status).toBe(502);
    expect(json.error).toEqual({ code: "model_unavailable", message: expect.stringMatching(/rejected the request \(HTTP 400\).*starcoach doctor/) });
    mock.reply(mock.grade(grade));
    await postGrade(app, request);
    expect(kinds().at(-1)).toBe("json_schema");
  });

  it("a model that ignores the tool and answers in text is still read, and validated", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader({ structured: "tool" }) });
    mock.reply({ kind: "json", content: "```json\n" + JSON.stringify(grade) + "\n```" });
    const { status, json } = await postGrade(app, request);
    expect(status).toBe(200);
    expect(json.meta.repaired).toEqual(["fence"]);
  });

  it("an invalid tool call is retried once with the problem in the prompt", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader({ structured: "tool" }) });
    mock.reply(toolCallReply("star_feedback", { ...grade, followUps: [] }), toolCallReply("star_feedback", grade));
    const { status } = await postGrade(app, request);
    expect(status).toBe(200);
    expect(mock.calls[1]!.body.messages.at(-1)!.content).toMatch(/could not be used: .*followUps: /);
  });
});

describe("streaming (POST /v1/grade/stream) in the fallback modes", () => {
  it("after a 400 streams in json_object mode", async () => {
    const { app } = await buildTestApp({ grader: await streamingLlmGrader() });
    mock.reply(noJsonSchema, { kind: "json", content: JSON.stringify(grade), chunkDelayMs: 15 });
    const res = await app.request("/v1/grade/stream", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
    const events = await readSse(res);
    expect(events.at(-1)!.event).toBe("feedback");
    expect(events.filter((e) => e.event === "partial").length).toBeGreaterThan(2);
    expect(kinds()).toEqual(["json_schema", "json_object"]);
    expect(mock.calls.every((c) => c.body.stream)).toBe(true);
  });

  it("in tool mode, partials come from the streamed function arguments", async () => {
    const { app } = await buildTestApp({ grader: await streamingLlmGrader({ structured: "tool" }) });
    mock.reply(toolCallReply("star_feedback", grade, 8));
    const res = await app.request("/v1/grade/stream", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
    const events = await readSse(res);
    const partials = events.filter((e) => e.event === "partial");
    expect(partials.length).toBeGreaterThan(2);
    expect(partials.at(-1)!.data.situation.feedback).toBe(grade.situation.feedback);
    expect(events.at(-1)!.data.star.action.score).toBe(grade.action.score);
    expect(kinds()).toEqual(["tool"]);
  });
});

describe("STARCOACH_STRUCTURED pins one mode", () => {
  it("json_object is used from the first call, and a 400 is not answered with another mode", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader({ structured: "json_object" }) });
    mock.reply(noJsonObject);
    expect((await postGrade(app, request)).status).toBe(502);
    expect(kinds()).toEqual(["json_object"]);
  });

  it("is read from the environment and checked", () => {
    const env = { OPENAI_API_KEY: "sk-x" };
    expect(loadConfig(env).llm?.structured).toBe("auto");
    expect(loadConfig({ ...env, STARCOACH_STRUCTURED: "tool" }).llm?.structured).toBe("tool");
    expect(() => loadConfig({ ...env, STARCOACH_STRUCTURED: "grammar" })).toThrow(/STARCOACH_STRUCTURED/);
  });
});
