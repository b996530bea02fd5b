/**
 * The recorded response shapes of the servers people run models on (test/fixtures/local-models):
 * each fixture is a server's exact envelope, with the grading JSON left as a marker so it follows
 * the output schema; here the marker is filled with a grading of the test's answer.
 */
import { readFileSync } from "node:fs";
import type { ModelGrade } from "../../src/core/feedback.js";
import type { Reply } from "./openai-mock.js";

export const LOCAL_SHAPES = {
  ollama: "Ollama (gemma3:4b): the JSON inside a ```json fence",
  lmstudio: "LM Studio (qwen2.5-7b-instruct): one sentence, then the JSON; the stream has no usage block",
  llamacpp: "llama.cpp server (DeepSeek-R1 distill GGUF): the reply starts inside the reasoning, only </think> appears",
  "vllm-reasoning": "vLLM (Qwen3-8B, reasoning parser): reasoning in reasoning_content, clean JSON content",
  "deepseek-think": "DeepSeek-R1 on Ollama: <think>…</think> in the content, then the JSON",
} as const;
export type LocalShape = keyof typeof LOCAL_SHAPES;

const MARKERS = /__GRADE_JSON(_INDENTED)?__/g;
/** The JSON is streamed in pieces of this many characters, as a server streams tokens. */
const PIECE = 24;

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/local-models/${name}`, import.meta.url), "utf8");
}

function fill(text: string, grade: ModelGrade): string {
  return text.replace(MARKERS, (_m, indented?: string) => JSON.stringify(grade, null, indented ? 2 : undefined));
}

/** Replace the marker inside every string of a parsed JSON value. */
function fillDeep(value: unknown, grade: ModelGrade): unknown {
  if (typeof value === "string") return fill(value, grade);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, grade));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, grade)]));
  return value;
}

/** One SSE event per piece: a chunk whose delta carries the marker becomes many, each with a slice of the JSON. */
function expandChunk(event: string, grade: ModelGrade): string[] {
  if (!MARKERS.test(event)) return [event];
  MARKERS.lastIndex = 0;
  const chunk = JSON.parse(event.slice("data: ".length)) as { choices: Array<{ delta: { content: string } }> };
  const content = fill(chunk.choices[0]!.delta.content, grade);
  const out: string[] = [];
  for (let i = 0; i < content.length; i += PIECE) {
    const piece = structuredClone(chunk);
    piece.choices[0]!.delta.content = content.slice(i, i + PIECE);
    out.push(`data: ${JSON.stringify(piece)}`);
  }
  return out;
}

/** The mock's reply in this server's shape: JSON for a plain call, its SSE chunks when streaming. */
export function recordedReply(shape: LocalShape, grade: ModelGrade, chunkDelayMs = 0): Reply {
  const body = fillDeep(JSON.parse(fixture(`${shape}.json`)), grade);
  const events = fixture(`${shape}.sse`).split("\n\n").filter(Boolean);
  const chunks = events.flatMap((e) => expandChunk(e, grade)).map((e) => `${e}\n\n`);
  return { kind: "recorded", body, chunks, chunkDelayMs };
}
