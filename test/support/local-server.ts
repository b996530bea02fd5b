/**
 * A stand-in for a model server on this machine (Ollama, LM Studio, llama.cpp, vLLM): a real HTTP
 * server on a 127.0.0.1 port with the OpenAI-compatible routes the doctor and the grader use, and
 * the traits that tell those servers apart — which models it lists and knows, whether it wants a
 * key, which structured-output requests it refuses, whether it transcribes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RecordedCall } from "./openai-mock.js";

export interface LocalServerTraits {
  /** What GET /v1/models lists; null: no such route (404). */
  models?: string[] | null;
  /** Models the chat route serves; default: the listed ones. "*": any name (llama.cpp). */
  serves?: string[] | "*";
  /** When set, any other bearer token gets 401 (with the OpenAI-style message that echoes part of it). */
  key?: string;
  /** Structured requests answered with 400. */
  refuses?: Array<"json_schema" | "json_object" | "tools">;
  /** The message of a refusal (400); `{token}` is replaced by the bearer token the client sent. */
  refusalMessage?: string;
  /** The reply's content (or the tool's arguments): the doctor's probe by default. */
  content?: string;
  /** POST /v1/audio/transcriptions exists (400 for a request without audio). */
  transcribes?: boolean;
}

export interface LocalServer {
  baseURL: string;
  calls: Array<RecordedCall & { path: string }>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, payload: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(payload));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startLocalServer(traits: LocalServerTraits = {}): Promise<LocalServer> {
  const calls: LocalServer["calls"] = [];
  const listed = traits.models === undefined ? ["qwen3:8b"] : traits.models;
  const serves = traits.serves ?? listed ?? [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? "").split("?")[0]!;
      const raw = await readBody(req);
      const token = /^Bearer (.*)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      if (traits.key && token !== traits.key) {
        const shown = `${token.slice(0, 7)}*****${token.slice(-4)}`;
        return send(res, 401, { error: { message: `Incorrect API key provided: ${shown}.`, type: "invalid_request_error", param: null, code: "invalid_api_key" } });
      }
      if (req.method === "GET" && path === "/v1/models" && listed) {
        return send(res, 200, { object: "list", data: listed.map((id) => ({ id, object: "model", created: 1754390000, owned_by: "library" })) });
      }
      if (req.method === "POST" && path === "/v1/audio/transcriptions" && traits.transcribes) {
        return send(res, 400, { error: { message: "No audio file in the request.", type: "invalid_request_error" } });
      }
      if (req.method !== "POST" || path !== "/v1/chat/completions") return send(res, 404, { error: { message: `${path} not found`, type: "not_found_error" } });
      const body = JSON.parse(raw) as RecordedCall["body"];
      calls.push({ url: `http://${req.headers.host}${req.url}`, path, body });
      if (serves !== "*" && !serves.includes(body.model)) return send(res, 404, { error: { message: `model "${body.model}" not found, try pulling it first`, type: "api_error" } });
      const refused = body.tools ? "tools" : body.response_format?.type;
      if (refused && traits.refuses?.includes(refused as "tools")) {
        const message = (traits.refusalMessage ?? `${refused} is not supported by this server`).replace("{token}", token);
        return send(res, 400, { error: { message, type: "invalid_request_error" } });
      }
      const content = traits.content ?? JSON.stringify({ word: "star", count: 3 });
      const message = body.tools
        ? { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: body.tools[0]!.function.name, arguments: content } }] }
        : { role: "assistant", content };
      send(res, 200, {
        id: "chatcmpl-local-1",
        object: "chat.completion",
        created: 1754398000,
        model: body.model,
        choices: [{ index: 0, message, finish_reason: body.tools ? "tool_calls" : "stop" }],
        usage: { prompt_tokens: 31, completion_tokens: 12, total_tokens: 43 },
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}/v1`, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A loopback port with nothing listening (a server started and stopped). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
