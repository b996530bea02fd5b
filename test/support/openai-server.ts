/**
 * A real HTTP mock of the OpenAI Chat Completions endpoint on a 127.0.0.1 port, for code that
 * msw/node cannot intercept (the Worker runs inside workerd, a separate process). It answers with
 * the recorded response shape (chatCompletionBody) and a grade whose quotes come from the answer
 * in the prompt, so any answer grades (a rewrite request gets the answer's STAR sentences back). Markers in the answer pick a failure:
 * MOCK_HTTP_500 → HTTP 500, MOCK_BAD_JSON → content that breaks the schema, MOCK_FLAKY → HTTP 503
 * the first time that answer is seen, then a normal grade. The bar-raiser review and the follow-up
 * judgement (told apart by the schema name asked for) get valid replies of their own shape.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chatCompletionBody, modelBarRaiser, modelFollowUp, modelGrade, type RecordedCall } from "./openai-mock.js";

export interface OpenAiServer {
  baseURL: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

function answerIn(body: RecordedCall["body"]): string {
  const text = body.messages.map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content))).join("\n");
  // The last fenced block: the system prompt also mentions the tags in prose.
  const blocks = [...text.matchAll(/<answer>\s*([\s\S]*?)\s*<\/answer>/g)];
  return blocks.at(-1)?.[1] ?? "";
}

/** A rewrite that restates each numbered STAR sentence of the prompt as it is (prompts/rewrite.md's format). */
function echoRewrite(numbered: string) {
  const sentences = [...numbered.matchAll(/^\[(\d+)\] \((situation|task|action|result)\) (.*)$/gm)].map((m) => ({ part: m[2], from: [Number(m[1])], text: m[3] }));
  return { sentences };
}

export async function startOpenAiServer(): Promise<OpenAiServer> {
  const calls: RecordedCall[] = [];
  const flakySeen = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/json", "x-request-id": `req_mock_${calls.length}` });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) return send(404, { error: { message: "not found", type: "invalid_request_error" } });
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RecordedCall["body"];
      calls.push({ url: `http://${req.headers.host}${req.url}`, body });
      const answer = answerIn(body);
      if (answer.includes("MOCK_FLAKY") && !flakySeen.has(answer)) {
        flakySeen.add(answer);
        return send(503, { error: { message: "The engine is currently overloaded", type: "server_error" } });
      }
      if (answer.includes("MOCK_HTTP_500")) return send(500, { error: { message: "The server had an error", type: "server_error" } });
      if ((body.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name === "star_rewrite") {
        return send(200, chatCompletionBody(JSON.stringify(echoRewrite(answer))));
      }
      const schema = (body.response_format?.json_schema as { name?: string } | undefined)?.name;
      const reply = schema === "bar_raiser" ? modelBarRaiser() : schema === "follow_up_judgement" ? modelFollowUp(answer) : modelGrade(answer);
      const content = answer.includes("MOCK_BAD_JSON") ? '{"situation": "nope"}' : JSON.stringify(reply);
      send(200, chatCompletionBody(content));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
