/**
 * A real HTTP mock of OpenAI Chat Completions on 127.0.0.1 (node:http), for faults MSW cannot
 * express at the socket level (connection reset, truncated body, a hung response) and for load.
 * It answers with the recorded response shape and a grade quoting the answer in the prompt.
 *
 * Faults are picked per answer: a marker `FAULT_<kind>_<n>` in the answer makes the first n calls
 * for that answer fail with <kind> (n = 99: always), then it answers normally.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { chatCompletionBody, modelGrade } from "../support/openai-mock.js";

export const FAULTS = ["429", "500", "503", "reset", "timeout", "truncated", "nonjson", "schema", "refusal", "401echo"] as const;
export type Fault = (typeof FAULTS)[number];

export interface MockModel {
  baseURL: string;
  calls: number;
  /** Authorization headers received (to check the key only goes to the model). */
  authHeaders: Set<string>;
  /** Calls open right now (from the request's arrival until its response ends or its socket closes), and the most at once. */
  readonly inflight: number;
  readonly maxInflight: number;
  /** Calls whose client went away before the answer was sent (aborted by the caller). */
  readonly abandoned: number;
  callsFor(marker: string): number;
  close(): Promise<void>;
}

function answerIn(raw: string): string {
  try {
    const body = JSON.parse(raw) as { messages: Array<{ content: unknown }> };
    const text = body.messages.map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content))).join("\n");
    const blocks = [...text.matchAll(/<answer>\s*([\s\S]*?)\s*<\/answer>/g)];
    return blocks.at(-1)?.[1] ?? "";
  } catch {
    return "";
  }
}

export async function startMockModel(options: { latencyMs?: number } = {}): Promise<MockModel> {
  const latency = options.latencyMs ?? 0;
  const perMarker = new Map<string, number>();
  const sockets = new Set<Socket>();
  const state = { calls: 0, authHeaders: new Set<string>(), inflight: 0, maxInflight: 0, abandoned: 0 };

  const server: Server = createServer((req, res) => {
    state.inflight++;
    state.maxInflight = Math.max(state.maxInflight, state.inflight);
    // A call ends when its response is sent or its client hangs up. The hang-up is taken from the
    // client's FIN ('end', handled before the next socket's data) rather than from 'close', which
    // Node emits a loop phase later: when this process is slow, a stalled loop would otherwise
    // see the caller's next calls arrive before the calls it already cancelled had ended.
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      req.socket.off("end", end);
      state.inflight--;
      if (!res.writableFinished) state.abandoned++;
    };
    req.socket.once("end", end);
    res.on("close", end);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.calls++;
      state.authHeaders.add(String(req.headers.authorization ?? ""));
      const answer = answerIn(Buffer.concat(chunks).toString("utf8"));
      const m = /FAULT_([a-z0-9]+)_(\d+)/.exec(answer);
      const marker = m?.[0];
      const seen = marker ? (perMarker.get(marker) ?? 0) + 1 : 0;
      if (marker) perMarker.set(marker, seen);
      const fault = m && seen <= Number(m[2]) ? (m[1] as Fault) : null;
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(payload);
        res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
        res.end(text);
      };
      const okBody = () => chatCompletionBody(JSON.stringify(modelGrade(answer)));
      const respond = () => {
        switch (fault) {
          case null:
            return json(200, okBody());
          case "429":
            return json(429, { error: { message: "Rate limit reached for gpt-4.1-mini on requests per min (RPM).", type: "requests", code: "rate_limit_exceeded" } }, { "retry-after": "1" });
          case "500":
            return json(500, { error: { message: "The server had an error while processing your request.", type: "server_error" } });
          case "503":
            return json(503, { error: { message: "The engine is currently overloaded, please try again later.", type: "server_error" } });
          case "401echo":
            // What OpenAI really does: it echoes (part of) the key it was given.
            return json(401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization).replace(/^Bearer /, "")}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: "invalid_request_error", code: "invalid_api_key" } });
          case "reset":
            return req.socket.destroy();
          case "timeout":
            return; // never answer; the socket is destroyed on close()
          case "truncated": {
            const text = JSON.stringify(okBody());
            res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
            res.write(text.slice(0, Math.floor(text.length / 2)));
            return setTimeout(() => req.socket.destroy(), 20);
          }
          case "nonjson":
            res.writeHead(200, { "content-type": "text/html" });
            return res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
          case "schema":
            return json(200, chatCompletionBody(JSON.stringify({ situation: "nope", score: "high" })));
          case "refusal": {
            const body = chatCompletionBody("") as { choices: Array<{ message: Record<string, unknown> }> };
            body.choices[0]!.message = { role: "assistant", content: null, refusal: "I'm sorry, I can't help with that request.", annotations: [] };
            return json(200, body);
          }
        }
      };
      if (latency > 0 && fault !== "timeout") setTimeout(respond, latency);
      else respond();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    get calls() {
      return state.calls;
    },
    get inflight() {
      return state.inflight;
    },
    get maxInflight() {
      return state.maxInflight;
    },
    get abandoned() {
      return state.abandoned;
    },
    authHeaders: state.authHeaders,
    callsFor: (marker) => perMarker.get(marker) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
