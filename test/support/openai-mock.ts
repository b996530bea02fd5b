/**
 * MSW mock of the OpenAI Chat Completions endpoint that @ai-sdk/openai's `provider.chat()` calls
 * (POST {baseURL}/chat/completions), with the response shape the real API sends
 * (test/fixtures/chat-completion.json). Tests queue replies; every request is recorded.
 */
import { readFileSync } from "node:fs";
import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import type { ModelBarRaiser } from "../../src/core/bar-raiser.js";
import { analyze } from "../../src/core/analyze.js";
import type { ModelGrade } from "../../src/core/feedback.js";
import type { ModelFollowUp } from "../../src/core/followup.js";

export const MOCK_BASE_URL = "https://llm.test/v1";
const template = readFileSync(new URL("../fixtures/chat-completion.json", import.meta.url), "utf8");

/** A realistic Chat Completions body whose message content is `content`. */
export function chatCompletionBody(content: string): Record<string, unknown> {
  const body = JSON.parse(template) as { choices: Array<{ message: { content: string } }> } & Record<string, unknown>;
  body.choices[0]!.message.content = content;
  return body;
}

/**
 * The Server-Sent Events OpenAI sends for `stream: true`: a role chunk, content deltas, a finish
 * chunk, the usage chunk (stream_options.include_usage) and `data: [DONE]`.
 */
export function chatCompletionChunks(content: string, pieces = 24): string[] {
  const base = JSON.parse(template) as Record<string, unknown>;
  const head = { id: base.id, object: "chat.completion.chunk", created: base.created, model: base.model, service_tier: base.service_tier, system_fingerprint: base.system_fingerprint };
  const event = (choices: unknown[], usage: unknown = null) => `data: ${JSON.stringify({ ...head, choices, usage })}\n\n`;
  const delta = (d: Record<string, unknown>, finish: string | null = null) => ({ index: 0, delta: d, logprobs: null, finish_reason: finish });
  const size = Math.max(1, Math.ceil(content.length / pieces));
  const out = [event([delta({ role: "assistant", content: "", refusal: null })])];
  for (let i = 0; i < content.length; i += size) out.push(event([delta({ content: content.slice(i, i + size) })]));
  out.push(event([delta({}, "stop")]), event([], base.usage), "data: [DONE]\n\n");
  return out;
}

function streamedResponse(chunks: string[], chunkDelayMs: number): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const chunk of chunks) {
        if (chunkDelayMs) await delay(chunkDelayMs);
        controller.enqueue(encoder.encode(chunk));
      }
      controller.close();
    },
  });
  return new HttpResponse(body, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
}

/**
 * A reply that calls the function `name` with `args` (tool mode), in the Chat Completions shape:
 * `message.tool_calls` for a plain call; for a stream, the call's arguments in several deltas.
 */
export function toolCallReply(name: string, args: unknown, chunkDelayMs = 0): Reply {
  const base = chatCompletionBody("") as { choices: Array<{ message: Record<string, unknown>; finish_reason: string }> } & Record<string, unknown>;
  const argsText = JSON.stringify(args);
  const call = { id: "call_Kq7sX2mB9vT4", type: "function", function: { name, arguments: argsText } };
  base.choices[0]!.message = { role: "assistant", content: null, tool_calls: [call], refusal: null, annotations: [] };
  base.choices[0]!.finish_reason = "tool_calls";
  const head = { id: base.id, object: "chat.completion.chunk", created: base.created, model: base.model, system_fingerprint: base.system_fingerprint };
  const event = (choices: unknown[], usage: unknown = null) => `data: ${JSON.stringify({ ...head, choices, usage })}\n\n`;
  const delta = (d: Record<string, unknown>, finish: string | null = null) => ({ index: 0, delta: d, logprobs: null, finish_reason: finish });
  const chunks = [event([delta({ role: "assistant", content: null, tool_calls: [{ index: 0, ...call, function: { name, arguments: "" } }] })])];
  for (let i = 0; i < argsText.length; i += 40) chunks.push(event([delta({ tool_calls: [{ index: 0, function: { arguments: argsText.slice(i, i + 40) } }] })]));
  chunks.push(event([delta({}, "tool_calls")]), event([], base.usage), "data: [DONE]\n\n");
  return { kind: "recorded", body: base, chunks, chunkDelayMs };
}

export type Reply =
  | { kind: "json"; content: string; /** when the client asks to stream: pause between chunks */ chunkDelayMs?: number }
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: Record<string, unknown> | string }
  | { kind: "delay"; ms: number; content: string }
  /** A server's own response shape (test/fixtures/local-models): `body` as JSON, or `chunks` as SSE when streaming. */
  | { kind: "recorded"; body: unknown; chunks: string[]; chunkDelayMs?: number }
  | { kind: "network-error" };

export interface RecordedCall {
  url: string;
  body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    temperature?: number;
    response_format?: { type: string; json_schema?: unknown };
    tools?: Array<{ type: string; function: { name: string; parameters: unknown } }>;
    tool_choice?: unknown;
    max_tokens?: number;
    max_completion_tokens?: number;
    reasoning_effort?: string;
    stream?: boolean;
  };
}

/**
 * A valid model grading whose quotes are taken from `answer`; its sentence labels are the rules'
 * (so figures match the offline analysis) unless `overrides.sentences` says otherwise.
 */
export function modelGrade(answer: string, overrides: Partial<ModelGrade> = {}): ModelGrade {
  const sentences = answer.split(/(?<=[.!?])\s+/);
  const q = (i: number) => sentences[Math.min(i, sentences.length - 1)]!;
  const part = (i: number, score: number) => ({
    evidence: [q(i)],
    feedback: `Specific feedback on “${q(i).slice(0, 30)}”.`,
    fix: score < 4 ? "Say what you measured before and after." : null,
    present: true,
    score,
  });
  return {
    sentences: analyze(answer).sentences.map((s, index) => ({ index, part: s.label })),
    situation: part(0, 3),
    task: part(1, 3),
    action: part(2, 4),
    result: part(sentences.length - 1, 2),
    principleFit: { evidence: [q(2)], rationale: "Shows ownership of the outcome.", score: 3, betterFits: [] },
    improvements: ["Quantify the result with the before and after error rate."],
    followUps: ["How did you decide which fix to ship first?"],
    ...overrides,
  };
}

/** A valid bar-raiser review. */
export function modelBarRaiser(overrides: Partial<ModelBarRaiser> = {}): ModelBarRaiser {
  return {
    reasons: ["The actions are the candidate's own and the result is measured."],
    redFlags: [],
    followUps: ["Who else did you have to convince?", "What would you do differently?", "How did you measure the error rate?"],
    hireSignal: "yes",
    ...overrides,
  };
}

/** A valid follow-up judgement whose evidence is the answer's first sentence. */
export function modelFollowUp(answer: string, overrides: Partial<ModelFollowUp> = {}): ModelFollowUp {
  return {
    answersQuestionReason: "It answers the question asked.",
    answersQuestion: true,
    evidence: [answer.split(/(?<=[.!?])\s+/)[0]!],
    contradictions: [],
    feedback: "Specific and first-person.",
    specificity: 3,
    ...overrides,
  };
}

export function createOpenAiMock(baseURL: string = MOCK_BASE_URL) {
  const queue: Reply[] = [];
  const calls: RecordedCall[] = [];
  let fallback: Reply | null = null;

  const server = setupServer(
    http.post(`${baseURL}/chat/completions`, async ({ request }) => {
      const body = (await request.json()) as RecordedCall["body"];
      calls.push({ url: request.url, body });
      const reply = queue.shift() ?? fallback;
      if (!reply) return HttpResponse.json({ error: { message: "no reply queued in test", type: "test" } }, { status: 500 });
      switch (reply.kind) {
        case "json":
          // Like the real API: a client that asks to stream gets Server-Sent Events.
          if (body.stream) return streamedResponse(chatCompletionChunks(reply.content), reply.chunkDelayMs ?? 0);
          return HttpResponse.json(chatCompletionBody(reply.content));
        case "delay":
          await delay(reply.ms);
          if (body.stream) return streamedResponse(chatCompletionChunks(reply.content), 0);
          return HttpResponse.json(chatCompletionBody(reply.content));
        case "recorded":
          if (body.stream) return streamedResponse(reply.chunks, reply.chunkDelayMs ?? 0);
          return HttpResponse.json(reply.body as Record<string, unknown>);
        case "status":
          return HttpResponse.json(reply.body ?? { error: { message: `mock ${reply.status}`, type: "server_error" } }, {
            status: reply.status,
            ...(reply.headers ? { headers: reply.headers } : {}),
          });
        case "network-error":
          return HttpResponse.error();
      }
    }),
  );

  return {
    server,
    calls,
    /** Queue replies for the next calls, in order. */
    reply(...replies: Reply[]) {
      queue.push(...replies);
    },
    /** Reply with this to every call once the queue is empty. */
    always(reply: Reply | null) {
      fallback = reply;
    },
    grade(grade: ModelGrade): Reply {
      return { kind: "json", content: JSON.stringify(grade) };
    },
    reset() {
      queue.length = 0;
      calls.length = 0;
      fallback = null;
    },
  };
}

export type OpenAiMock = ReturnType<typeof createOpenAiMock>;
