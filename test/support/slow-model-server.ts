/**
 * A loopback Chat Completions server with a fixed latency, for a real child process (the CLI under
 * kill -9) and for bench/batch.ts. It grades any answer (quotes taken from the answer in the
 * prompt) with the recorded response shape, and counts calls per answer and calls in flight.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ModelGrade } from "../../src/core/feedback.js";
import { chatCompletionBody, modelGrade } from "./openai-mock.js";

export interface SlowModelServer {
  baseURL: string;
  callsPerAnswer: Map<string, number>;
  readonly calls: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

function answerOf(body: { messages?: Array<{ content?: unknown }> }): string {
  const text = (body.messages ?? []).map((m) => (typeof m.content === "string" ? m.content : "")).join("\n");
  return [...text.matchAll(/<answer>\s*([\s\S]*?)\s*<\/answer>/g)].at(-1)?.[1] ?? "";
}

export interface SlowModelOptions {
  /**
   * Label the sentences of an answer as the first answer with as many sentences was labelled: the
   * benchmarks send thousands of answers of one shape, and analysing each would make the mock, not
   * the service, the bottleneck. Quotes still come from each answer.
   */
  reuseLabels?: boolean;
}

export async function startSlowModelServer(latencyMs: number, options: SlowModelOptions = {}): Promise<SlowModelServer> {
  const labelsBySentences = new Map<number, ModelGrade["sentences"]>();
  const gradeFor = (answer: string): ModelGrade => {
    if (!options.reuseLabels) return modelGrade(answer);
    const count = answer.split(/(?<=[.!?])\s+/).length;
    const known = labelsBySentences.get(count);
    if (known) return modelGrade(answer, { sentences: known });
    const grade = modelGrade(answer);
    labelsBySentences.set(count, grade.sentences);
    return grade;
  };
  const callsPerAnswer = new Map<string, number>();
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const bodies = new Map<string, string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const answer = answerOf(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      callsPerAnswer.set(answer, (callsPerAnswer.get(answer) ?? 0) + 1);
      let body = bodies.get(answer);
      if (!body) bodies.set(answer, (body = JSON.stringify(chatCompletionBody(JSON.stringify(gradeFor(answer))))));
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(body);
      }, latencyMs);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    callsPerAnswer,
    get calls() {
      return calls;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
