/**
 * `starcoach doctor` and GET /v1/doctor: probe the configured model endpoint the way grading uses
 * it and say, in one line each, what works and what to change. Three checks:
 * - models: GET {base}/models answers, and lists the configured model;
 * - structured: a tiny structured-output call (the grader's own call: mode fallback, repair,
 *   validation) works, in which mode, and how long it took;
 * - transcription: the speech-to-text endpoint answers a cheap, empty request (it is refused
 *   with a 400 before any audio is processed).
 * Only fetch and the AI SDK are used, so it runs on Node and Workers alike. No check reports the key.
 */
import { APICallError } from "ai";
import { z } from "zod";
import { OPENAI_DEFAULT_BASE_URL, type Config } from "../config.js";
import { innermost, type LlmSettings } from "./model.js";
import { createStructuredCaller, structuredSpec } from "./structured.js";
import { ModelError, type StructuredMode } from "./types.js";

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface DoctorCheck {
  id: "models" | "structured" | "transcription";
  status: CheckStatus;
  /** What was found, in one sentence. */
  summary: string;
  /** What to change, when something is wrong. */
  fix?: string;
  latencyMs?: number;
}

export interface DoctorReport {
  /** No check failed. */
  ok: boolean;
  mode: "llm" | "offline";
  baseURL: string | null;
  model: string | null;
  /** How structured output is asked for on this endpoint, once the probe found out. */
  structuredMode: StructuredMode | null;
  checks: DoctorCheck[];
}

export interface DoctorOptions {
  /** Injectable for tests; the model calls use settings.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Per-request limit for the plain HTTP probes (the model call uses STARCOACH_MODEL_TIMEOUT_MS). */
  probeTimeoutMs?: number;
}

const SERVERS_HINT = "Ollama http://localhost:11434/v1, LM Studio http://localhost:1234/v1, llama.cpp http://localhost:8080/v1, vLLM http://localhost:8000/v1";
const PROBE_SCHEMA = z.object({ word: z.string(), count: z.number().int() });
const PROBE_SPEC = structuredSpec(PROBE_SCHEMA, "probe");
const PROBE_PROMPT = { system: "You reply with structured data only.", user: 'Return the word "star" and the count 3.' };

const trimSlash = (url: string) => url.replace(/\/+$/, "");
const elapsed = (started: number) => Math.round(performance.now() - started);

/** A server's own words, short and without the key (some servers echo part of it). */
function serverSays(text: string | undefined, key: string | undefined): string {
  if (!text) return "";
  let said = text.replace(/\s+/g, " ").trim().slice(0, 200);
  if (key && key.length >= 8) said = said.split(key).join("[redacted]");
  return said.replace(/\b(sk-[A-Za-z0-9_*-]{4,})/g, "[redacted]");
}

/** Why a request never got an HTTP answer, in words. */
function unreachable(error: unknown, url: string): { summary: string; fix: string } {
  const e = error as { name?: string; cause?: { code?: string; name?: string; message?: string } } | null;
  const code = e?.cause?.code ?? "";
  const host = new URL(url).host;
  if (e?.name === "TimeoutError" || e?.cause?.name === "TimeoutError" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return { summary: `${url} did not answer in time.`, fix: "Check that the server is running and reachable from this machine (firewall, VPN), then try again." };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return { summary: `The host ${host} does not resolve.`, fix: `Fix the host name in the base URL (${SERVERS_HINT}).` };
  }
  const why = code === "ECONNREFUSED" ? "connection refused" : code || e?.cause?.message?.slice(0, 60) || "no connection";
  return { summary: `Nothing answers at ${host} (${why}).`, fix: `Start the model server, or set OPENAI_BASE_URL to where it listens (${SERVERS_HINT}).` };
}

const KEY_FIX = "Set OPENAI_API_KEY to a key this server accepts (a local server started without a key takes any non-empty value).";

/** The check, plus what the other checks need to know: the HTTP status (null: no answer) and whether the model is listed. */
type ModelsProbe = DoctorCheck & { http: number | null; listed: boolean | null };
type StructuredProbe = DoctorCheck & { mode: StructuredMode | null; http: number | null };

async function probeModels(settings: LlmSettings, fetchImpl: typeof fetch, timeoutMs: number): Promise<ModelsProbe> {
  const url = `${trimSlash(settings.baseURL ?? OPENAI_DEFAULT_BASE_URL)}/models`;
  const started = performance.now();
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { authorization: `Bearer ${settings.apiKey}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { id: "models", status: "fail", ...unreachable(error, url), listed: null, http: null };
  }
  const latencyMs = elapsed(started);
  const base = { id: "models" as const, latencyMs, http: res.status };
  if (res.status === 401 || res.status === 403) {
    return { ...base, status: "fail", summary: `The server rejected the API key (HTTP ${res.status} from ${url}).`, fix: KEY_FIX, listed: null };
  }
  if (res.status === 404) {
    return { ...base, status: "fail", summary: `${url} answered 404: this is not the API's base URL.`, fix: `Set OPENAI_BASE_URL to the server's OpenAI-compatible base, usually ending in /v1 (${SERVERS_HINT}).`, listed: null };
  }
  if (!res.ok) {
    return { ...base, status: "fail", summary: `${url} answered HTTP ${res.status}.`, fix: "Check the server's log; the base URL may point at another service.", listed: null };
  }
  const body = (await res.json().catch(() => null)) as { data?: Array<{ id?: unknown }> } | null;
  const ids = Array.isArray(body?.data) ? body.data.map((m) => String(m.id)) : null;
  if (!ids) return { ...base, status: "warn", summary: `${url} answered, but not with a model list.`, listed: null };
  // Ollama lists "name:latest" for a model pulled as "name".
  const listed = ids.some((id) => id === settings.model || id === `${settings.model}:latest`);
  if (listed) return { ...base, status: "ok", summary: `${url} answers in ${latencyMs} ms and lists "${settings.model}".`, listed };
  const some = ids.slice(0, 8).join(", ") + (ids.length > 8 ? `, … (${ids.length} in all)` : "");
  return {
    ...base,
    status: "warn",
    summary: `${url} answers, but does not list "${settings.model}"${ids.length ? ` (it lists ${some})` : " (it lists no models)"}.`,
    fix: `Set STARCOACH_MODEL to one of the listed models (with Ollama, \`ollama pull ${settings.model}\` first).`,
    listed,
  };
}

async function probeStructured(settings: LlmSettings): Promise<StructuredProbe> {
  const started = performance.now();
  try {
    const result = await createStructuredCaller({ ...settings, maxRetries: 0 })(PROBE_SPEC, PROBE_PROMPT, 0);
    const latencyMs = elapsed(started);
    const notes = [
      result.mode === "json_schema" ? "" : `the server refused json_schema, so gradings use ${result.mode}`,
      result.repaired.length ? `the reply needed repair (${result.repaired.join(", ")})` : "",
      result.usage?.reasoningTokens ? `${result.usage.reasoningTokens} reasoning tokens` : "",
    ].filter(Boolean);
    return { id: "structured", status: "ok", summary: `A structured answer came back in ${result.mode} mode in ${latencyMs} ms${notes.length ? `; ${notes.join("; ")}` : ""}.`, latencyMs, mode: result.mode, http: 200 };
  } catch (error) {
    const latencyMs = elapsed(started);
    const code = error instanceof ModelError ? error.code : "model_unavailable";
    const cause = innermost(error instanceof ModelError ? error.cause : error);
    const status = APICallError.isInstance(cause) ? (cause.statusCode ?? null) : null;
    const failed = (summary: string, fix: string): StructuredProbe => ({ id: "structured", status: "fail", summary, fix, latencyMs, mode: null, http: status });
    if (code === "model_timeout") return failed(`No answer within ${settings.timeoutMs} ms.`, "The model may still be loading: try again, or raise STARCOACH_MODEL_TIMEOUT_MS.");
    if (code === "model_auth_failed") return failed(`The server rejected the API key (HTTP ${status}).`, KEY_FIX);
    if (code === "model_rate_limited") return failed("The provider is rate-limiting requests (HTTP 429).", "Wait a minute and try again, or check the account's limits.");
    if (code === "model_output_invalid") {
      return failed("The model answered, but twice not with JSON that fits the schema.", "Use a larger or instruction-tuned model, or try STARCOACH_STRUCTURED=tool (or json_object).");
    }
    if (status === 404) return failed(`The server does not know the model "${settings.model}" (HTTP 404).`, "Set STARCOACH_MODEL to a model the server has (see the models check).");
    if (status === 400 || status === 422) {
      const said = APICallError.isInstance(cause) ? serverSays(cause.responseBody, settings.apiKey) : "";
      const tried = settings.structured && settings.structured !== "auto" ? `in ${settings.structured} mode` : "in every mode (json_schema, json_object, tool)";
      return failed(
        `The server refused structured output ${tried}: HTTP ${status}${said ? ` "${said}"` : ""}.`,
        "Use a server version or model that supports JSON schema, JSON mode or tool calling; if the message is about the length, lower STARCOACH_MAX_OUTPUT_TOKENS.",
      );
    }
    if (status !== null) return failed(`The server failed with HTTP ${status}.`, "Check the server's log and try again.");
    const { summary, fix } = unreachable(cause, settings.baseURL ?? OPENAI_DEFAULT_BASE_URL);
    return failed(summary, fix);
  }
}

async function probeTranscription(t: NonNullable<Config["transcription"]>, fetchImpl: typeof fetch, timeoutMs: number): Promise<DoctorCheck> {
  const url = `${trimSlash(t.baseURL)}/audio/transcriptions`;
  // Not needed to grade text: without an explicit setting a failure is only a warning.
  const failure: CheckStatus = t.explicit ? "fail" : "warn";
  const where = t.explicit ? "STARCOACH_TRANSCRIBE_BASE_URL" : "STARCOACH_TRANSCRIBE_BASE_URL (spoken answers only; it defaults to OPENAI_BASE_URL)";
  // The cheapest request that proves the endpoint is there: a form with the model and no audio.
  const form = new FormData();
  form.set("model", t.model);
  const started = performance.now();
  let res: Response;
  try {
    res = await fetchImpl(url, { method: "POST", body: form, headers: t.apiKey ? { authorization: `Bearer ${t.apiKey}` } : {}, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const { summary } = unreachable(error, url);
    return { id: "transcription", status: failure, summary, fix: `Start the transcription server, or set ${where} to an OpenAI-compatible speech-to-text endpoint.` };
  }
  const latencyMs = elapsed(started);
  await res.body?.cancel();
  if (res.status === 401 || res.status === 403) return { id: "transcription", status: failure, summary: `${url} rejected the API key (HTTP ${res.status}).`, fix: KEY_FIX, latencyMs };
  if (res.status === 404 || res.status === 405) {
    return { id: "transcription", status: failure, summary: `${url} answered ${res.status}: no transcription endpoint there.`, fix: `Set ${where} to a server that offers /audio/transcriptions.`, latencyMs };
  }
  if (res.status >= 500) return { id: "transcription", status: failure, summary: `${url} failed with HTTP ${res.status}.`, fix: "Check the transcription server's log.", latencyMs };
  return { id: "transcription", status: "ok", summary: `${url} answers (HTTP ${res.status} to an empty request, in ${latencyMs} ms); model ${t.model}.`, latencyMs };
}

/** Read one check in the light of the other: a 404 or a missing model means different things depending on both. */
function reconcile(models: ModelsProbe, structured: StructuredProbe): void {
  if (models.http === 404 && structured.status === "ok") {
    models.status = "warn";
    models.summary += " Grading works anyway: this server has no model list.";
    delete models.fix;
  } else if (models.http === 404 && structured.http === 404) {
    structured.summary = "Not found either (HTTP 404): fix the base URL first (see the models check).";
    delete structured.fix;
  } else if (models.listed === false && structured.http === 404) {
    models.status = "fail";
  } else if (models.listed === false && structured.status === "ok") {
    // llama.cpp serves whatever model it loaded, under any name.
    models.summary += " The server answered for it anyway.";
    delete models.fix;
  }
}

export async function runDoctor(config: Pick<Config, "llm" | "transcription">, options: DoctorOptions = {}): Promise<DoctorReport> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.probeTimeoutMs ?? 10_000;
  const transcription: DoctorCheck = config.transcription
    ? await probeTranscription(config.transcription, fetchImpl, timeoutMs)
    : { id: "transcription", status: "skip", summary: "Not configured: spoken answers need STARCOACH_TRANSCRIBE_BASE_URL (or a model endpoint with a key)." };

  if (!config.llm) {
    const offline = "Offline mode: no OPENAI_API_KEY (or STARCOACH_OFFLINE=1), so grading uses the rules and no model is called.";
    return {
      ok: transcription.status !== "fail",
      mode: "offline",
      baseURL: null,
      model: null,
      structuredMode: null,
      checks: [
        { id: "models", status: "skip", summary: offline, fix: "To grade with a model, set OPENAI_API_KEY (any non-empty value for a local server), OPENAI_BASE_URL and STARCOACH_MODEL." },
        { id: "structured", status: "skip", summary: "Not tried: no model is configured." },
        transcription,
      ],
    };
  }

  const llm: LlmSettings = { ...config.llm, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const models = await probeModels(llm, fetchImpl, timeoutMs);
  // Without an answer, or with the key refused, the model call would only fail the same way.
  const structured: StructuredProbe = models.http === null || models.http === 401 || models.http === 403
    ? { id: "structured", status: "skip", summary: "Not tried: fix the models check first.", mode: null, http: null }
    : await probeStructured(llm);
  reconcile(models, structured);
  const strip = ({ http: _h, listed: _l, mode: _m, ...check }: DoctorCheck & { http?: unknown; listed?: unknown; mode?: unknown }): DoctorCheck => check;
  const checks = [strip(models), strip(structured), transcription];
  return {
    ok: checks.every((c) => c.status !== "fail"),
    mode: "llm",
    baseURL: llm.baseURL ?? OPENAI_DEFAULT_BASE_URL,
    model: llm.model,
    structuredMode: structured.mode,
    checks,
  };
}
