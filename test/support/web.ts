/** Helpers for the web tests: a streaming-capable LLM grader and an SSE reader. */
import { withStreaming } from "../../src/grader/llm-stream.js";
import type { Grader } from "../../src/grader/types.js";
import type { LlmSettings } from "../../src/grader/model.js";
import { llmGrader, RUBRIC, testLlmSettings } from "./app.js";

export async function streamingLlmGrader(overrides: Partial<LlmSettings> = {}): Promise<Grader> {
  return withStreaming(await llmGrader(overrides), testLlmSettings(overrides), RUBRIC);
}

export interface SseEvent {
  event: string;
  data: any;
  at: number;
}

/** Read a whole SSE response into events, with the time each arrived (ms since the call). */
export async function readSse(res: Response, started = performance.now()): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let idx: number;
    while ((idx = buffer.indexOf("\n\n")) >= 0) {
      const raw = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const event = /^event: (.*)$/m.exec(raw)?.[1] ?? "message";
      const data = raw.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      if (data) events.push({ event, data: JSON.parse(data), at: performance.now() - started });
    }
  }
  return events;
}
