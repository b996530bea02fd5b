/**
 * OpenAI Batch API round trip through the real `openai` client against MSW: upload of the request
 * JSONL, batch create and retrieve, output and error file download, merge through the grading
 * service (grounding, scoring, cache), with failed lines becoming error rows.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chatCompletionBody, createOpenAiMock, MOCK_BASE_URL, modelGrade } from "./support/openai-mock.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { jsonLines, runCli } from "./support/cli.js";

const mock = createOpenAiMock();
beforeAll(() => mock.server.listen({ onUnhandledFrame: "error" }));
afterEach(() => {
  mock.reset();
  mock.server.resetHandlers();
});
afterAll(() => mock.server.close());

const env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: MOCK_BASE_URL, STARCOACH_MODEL_RETRIES: "0" };

interface Line {
  custom_id: string;
  method: string;
  url: string;
  body: { model: string; messages: Array<{ role: string; content: string }>; temperature: number; response_format: { type: string; json_schema: { name: string; strict: boolean; schema: any } } };
}

/** The Batch API as a small state machine: files, one batch that completes when told to. */
function batchApi() {
  const state = { uploaded: "" as string, purpose: "", status: "validating", creates: 0, outputLines: [] as string[], errorLines: [] as string[] };
  const batch = () => ({
    id: "batch_abc123",
    object: "batch",
    endpoint: "/v1/chat/completions",
    errors: null,
    input_file_id: "file-in-1",
    completion_window: "24h",
    status: state.status,
    output_file_id: state.status === "completed" ? "file-out-1" : null,
    error_file_id: state.status === "completed" && state.errorLines.length ? "file-err-1" : null,
    created_at: 1_760_000_000,
    in_progress_at: null,
    expires_at: 1_760_086_400,
    completed_at: state.status === "completed" ? 1_760_003_600 : null,
    request_counts: { total: 4, completed: state.status === "completed" ? 2 : 0, failed: state.status === "completed" ? 2 : 0 },
    metadata: { starcoach_job: "x" },
  });
  const handlers = [
    http.post(`${MOCK_BASE_URL}/files`, async ({ request }) => {
      const form = await request.formData();
      state.purpose = String(form.get("purpose"));
      state.uploaded = await (form.get("file") as File).text();
      return HttpResponse.json({ id: "file-in-1", object: "file", bytes: state.uploaded.length, created_at: 1_760_000_000, filename: "input.jsonl", purpose: "batch", status: "processed" });
    }),
    http.post(`${MOCK_BASE_URL}/batches`, async ({ request }) => {
      const body = (await request.json()) as { input_file_id: string; endpoint: string; completion_window: string };
      expect(body).toMatchObject({ input_file_id: "file-in-1", endpoint: "/v1/chat/completions", completion_window: "24h" });
      state.creates++;
      return HttpResponse.json(batch());
    }),
    http.get(`${MOCK_BASE_URL}/batches/batch_abc123`, () => HttpResponse.json(batch())),
    http.get(`${MOCK_BASE_URL}/files/file-out-1/content`, () => new HttpResponse(state.outputLines.join("\n") + "\n", { headers: { "content-type": "application/octet-stream" } })),
    http.get(`${MOCK_BASE_URL}/files/file-err-1/content`, () => new HttpResponse(state.errorLines.join("\n") + "\n", { headers: { "content-type": "application/octet-stream" } })),
  ];
  return { state, handlers };
}

const answerOf = (line: Line) => {
  const user = line.body.messages.find((m) => m.role === "user")!.content;
  return [...user.matchAll(/<answer>\s*([\s\S]*?)\s*<\/answer>/g)].at(-1)![1]!;
};

describe("starcoach grade --openai-batch, then batch status|collect", () => {
  it("submits the request file, waits, merges results and failed lines, and later hits the cache", async () => {
    const api = batchApi();
    mock.server.use(...api.handlers);
    const db = tempDbFile();
    const input = join(dirname(db), "answers.jsonl");
    const answers = [0, 1, 2, 3].map((i) => SAMPLE_ANSWER.replace("Acme", `Acme-${i}`));
    writeFileSync(
      input,
      [
        ...answers.map((answer, i) => JSON.stringify({ id: `a${i}`, principle: i === 1 ? "Deliver Results" : "ownership", question: i === 0 ? "Tell me about ownership." : null, answer })),
        JSON.stringify({ id: "bad", principle: "nope", answer: "text" }),
      ].join("\n"),
    );

    // 1. Submit.
    const submit = await runCli(["grade", input, "--openai-batch", "--db", db], { env });
    expect(submit.code).toBe(0);
    const job = submit.stdout.trim();
    expect(job).toMatch(/^job_\w+$/);
    expect(submit.stderr).toContain("submitted 4 requests as OpenAI batch batch_abc123");
    expect(api.state.purpose).toBe("batch");
    const lines = api.state.uploaded.trim().split("\n").map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => l.custom_id)).toEqual(["row-0", "row-1", "row-2", "row-3"]);
    expect(lines[0]!).toMatchObject({ method: "POST", url: "/v1/chat/completions", body: { model: "gpt-4.1-mini", temperature: 0 } });
    expect(lines[0]!.body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "star_feedback", strict: true } });
    expect(lines[0]!.body.response_format.json_schema.schema.required).toEqual(expect.arrayContaining(["situation", "task", "action", "result", "principleFit"]));
    expect(lines[0]!.body.messages[1]!.content).toContain("Tell me about ownership.");
    expect(answerOf(lines[2]!)).toBe(answers[2]);
    expect(mock.calls).toHaveLength(0); // nothing went to live Chat Completions

    // 2. Status while the batch runs; collect says "not yet" with exit 3.
    api.state.status = "in_progress";
    const status = await runCli(["batch", "status", job, "--db", db], { env });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: job, status: "submitted", provider: { batchId: "batch_abc123", status: "in_progress" }, counts: { total: 5, pending: 4, error: 1 } });
    const early = await runCli(["batch", "collect", job, "--db", db], { env });
    expect(early.code).toBe(3);
    expect(early.stderr).toContain("in_progress");

    // 3. Completed: two good lines (one with an invented quote), one bad JSON, one failed request, one expired.
    const grade0 = modelGrade(answers[0]!);
    grade0.action.evidence.push("a quote the model invented");
    api.state.outputLines = [
      JSON.stringify({ id: "batch_req_0", custom_id: "row-0", response: { status_code: 200, request_id: "req_0", body: chatCompletionBody(JSON.stringify(grade0)) }, error: null }),
      JSON.stringify({ id: "batch_req_1", custom_id: "row-1", response: { status_code: 200, request_id: "req_1", body: chatCompletionBody(JSON.stringify(modelGrade(answerOf(lines[1]!)))) }, error: null }),
      JSON.stringify({ id: "batch_req_2", custom_id: "row-2", response: { status_code: 200, request_id: "req_2", body: chatCompletionBody('{"situation":"nope"}') }, error: null }),
    ];
    api.state.errorLines = [
      JSON.stringify({ id: "batch_req_3", custom_id: "row-3", response: { status_code: 500, request_id: "req_3", body: { error: { message: "The server had an error while processing your request.", type: "server_error" } } }, error: null }),
    ];
    api.state.status = "completed";
    const out = join(dirname(db), "out.jsonl");
    const collected = await runCli(["batch", "collect", job, "--db", db, "--out", out], { env });
    expect(collected.code).toBe(1);
    expect(collected.stderr).toContain("merged 2 results, 2 failed");
    const results = jsonLines(readFileSync(out, "utf8"));
    expect(results.map((r) => r.id)).toEqual(["a0", "a1", "a2", "a3", "bad"]);
    expect(results[0]!.feedback).toMatchObject({ principle: { id: "ownership" }, question: "Tell me about ownership.", meta: { mode: "llm", model: "gpt-4.1-mini", droppedQuotes: 1, usage: { inputTokens: 1874, outputTokens: 612 } } });
    // Batch API replies cost half the live price: (1,874 × $0.20 + 612 × $0.80) per million tokens.
    expect(results[0]!.feedback.meta.cost).toEqual({ usd: 0.000864, inputPerMillion: 0.2, outputPerMillion: 0.8, batchApi: true, pricesAsOf: "2025-04-14" });
    expect(collected.stderr).toContain("model cost $0.001728 for 2 answers ($0.000864 per answer, 2 at Batch API half price)");
    expect(results[0]!.feedback.star.action.evidence).not.toContain("a quote the model invented");
    expect(results[0]!.feedback.overall.score).toBeGreaterThan(0);
    expect(results[1]!.feedback.principle.id).toBe("deliver-results");
    expect(results[2]!.error?.code).toBe("model_output_invalid");
    expect(results[3]!.error).toMatchObject({ code: "model_unavailable", message: expect.stringContaining("HTTP 500") });
    expect(results[4]!.error?.code).toBe("unknown_principle");

    // 4. The merged gradings are in the same cache as live grading: a live run of the first two
    //    answers makes no model call.
    const again = join(dirname(db), "again.jsonl");
    writeFileSync(again, readFileSync(input, "utf8").split("\n").slice(0, 2).join("\n"));
    const live = await runCli(["grade", again, "--db", db], { env });
    expect(live.code).toBe(0);
    expect(mock.calls).toHaveLength(0);
    expect(jsonLines(live.stdout).every((r) => r.feedback.meta.cached)).toBe(true);
    expect(api.state.creates).toBe(1);
  });

  it("rows missing from an expired batch become errors", async () => {
    const api = batchApi();
    mock.server.use(...api.handlers);
    const db = tempDbFile();
    const input = join(dirname(db), "answers.jsonl");
    writeFileSync(input, JSON.stringify({ id: "only", principle: "ownership", answer: SAMPLE_ANSWER.replace("Acme", "Initech") }));
    const submit = await runCli(["grade", input, "--openai-batch", "--db", db], { env });
    api.state.status = "expired";
    const r = await runCli(["batch", "collect", submit.stdout.trim(), "--db", db], { env });
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)[0]!.error?.code).toBe("provider_batch_incomplete");
  });
});
