/** Configuration, parsed once from the environment with zod; a bad value fails fast with its name. */
import { z } from "zod";
import { printable } from "./core/control-chars.js";
import { pricesFor, type TokenPrices } from "./core/cost.js";
import { DEFAULT_LENGTH } from "./core/length.js";
import { REASONING_EFFORTS, STRUCTURED_MODES, type ReasoningEffort, type StructuredSetting } from "./grader/types.js";

/** A whole number from min to max; every way of missing says so (not zod's "expected number, received NaN"). */
const intIn = (min: number, max: number) => {
  const error = `use a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const intFrom = (fallback: number, min: number, max: number) => intIn(min, max).default(fallback);
/** Any number (decimals allowed) within a range. */
const numberIn = (min: number, max: number) => {
  const error = `use a number from ${min} to ${max}`;
  return z.coerce.number({ error }).min(min, { error }).max(max, { error });
};
const DB_MAX_MB = "use a size in MB above 0, at most 1000000 (decimals allowed)";
/** An http(s) URL, e.g. an OpenAI-compatible server's base URL with its /v1. */
const baseUrl = () => z.url({ protocol: /^https?$/, error: "use a full http(s) URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1" });

/** One STARCOACH_ALLOWED_HOSTS entry: a name or IP literal, optionally with a port; or `*` (any). */
const HOST_ENTRY = /^(\*|(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:\d{1,5})?)$/;

/** Distinct stories per principle that count as covered, unless STARCOACH_COVERAGE_TARGET says otherwise. */
export const DEFAULT_COVERAGE_TARGET = 2;

// Every default is stated once: the length targets in the core, the limits in securityDefaults().
const DEFAULTS = securityDefaults();

const EnvSchema = z.object({
  PORT: intFrom(8787, 0, 65535),
  HOST: z.string().min(1).default("127.0.0.1"),
  STARCOACH_DB: z.string().min(1).default(".data/starcoach.db"),
  // Cap on the SQLite file's size in MB (decimals allowed); over it, writes answer 507 storage_full.
  STARCOACH_DB_MAX_MB: z.coerce.number({ error: DB_MAX_MB }).positive({ error: DB_MAX_MB }).max(1_000_000, { error: DB_MAX_MB }).optional(),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: baseUrl().optional(),
  STARCOACH_MODEL: z.string().min(1).default("gpt-4.1-mini"),
  STARCOACH_OFFLINE: z.enum(["0", "1", "true", "false", ""]).optional(),
  // Cost per graded answer (meta.cost): US dollars per million input / output tokens.
  STARCOACH_PRICE_INPUT: numberIn(0, 10_000).optional(),
  STARCOACH_PRICE_OUTPUT: numberIn(0, 10_000).optional(),
  STARCOACH_MODEL_TIMEOUT_MS: intFrom(60_000, 100, 600_000),
  STARCOACH_MODEL_RETRIES: intFrom(2, 0, 10),
  // Local and other OpenAI-compatible servers (README: "Run it with a local model").
  STARCOACH_STRUCTURED: z.enum(["auto", ...STRUCTURED_MODES]).default("auto"),
  STARCOACH_REASONING_EFFORT: z.enum(REASONING_EFFORTS).optional(),
  STARCOACH_MAX_OUTPUT_TOKENS: intIn(256, 200_000).optional(),
  // Speech to text for spoken answers: an OpenAI-compatible /audio/transcriptions endpoint.
  STARCOACH_TRANSCRIBE_BASE_URL: baseUrl().optional(),
  STARCOACH_TRANSCRIBE_MODEL: z.string().min(1).default("whisper-1"),
  STARCOACH_TRANSCRIBE_API_KEY: z.string().optional(),
  STARCOACH_TRANSCRIBE_TIMEOUT_MS: intFrom(120_000, 1_000, 600_000),
  STARCOACH_KEEP_AUDIO: z.enum(["0", "1", "true", "false"]).optional(),
  STARCOACH_WPM: intFrom(DEFAULT_LENGTH.wordsPerMinute, 60, 400),
  STARCOACH_MIN_SECONDS: intFrom(DEFAULT_LENGTH.minSeconds, 0, 3600),
  STARCOACH_MAX_SECONDS: intFrom(DEFAULT_LENGTH.maxSeconds, 1, 3600),
  // Story bank: how many distinct stories per principle count as covered.
  STARCOACH_COVERAGE_TARGET: intFrom(DEFAULT_COVERAGE_TARGET, 1, 10),
  // Reliability and security (docs/RELIABILITY.md).
  STARCOACH_API_TOKEN: z.string().min(16, "use at least 16 characters (e.g. `openssl rand -hex 32`)").optional(),
  STARCOACH_RATE_LIMIT: intFrom(DEFAULTS.rateLimitPerMinute, 0, 100_000),
  STARCOACH_BATCH_ROWS_PER_HOUR: intIn(0, 10_000_000).optional(),
  STARCOACH_MAX_CONCURRENT: intFrom(DEFAULTS.maxConcurrent, 1, 10_000),
  STARCOACH_MAX_QUEUE: intFrom(DEFAULTS.maxQueue, 0, 100_000),
  STARCOACH_QUEUE_TIMEOUT_MS: intFrom(DEFAULTS.queueTimeoutMs, 100, 600_000),
  STARCOACH_CORS_ORIGINS: z.string().optional(),
  STARCOACH_ALLOWED_HOSTS: z
    .string()
    .transform((v) => v.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean))
    .refine((list) => list.every((h) => HOST_ENTRY.test(h)), "list host names or host:port pairs separated by commas (e.g. coach.example.com,coach.example.com:8443), or *")
    .optional(),
  STARCOACH_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+)$/, "use 0 or false (no proxy), 1 or true (one proxy you run), or the number of proxies in the chain")
    .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v)))
    .pipe(z.number().int().min(0).max(10))
    .optional(),
  STARCOACH_LOG: z.enum(["json", "off"]).default("json"),
  STARCOACH_LOG_ANSWERS: z.enum(["0", "1", "true", "false"]).optional(),
  STARCOACH_SHUTDOWN_TIMEOUT_MS: intFrom(DEFAULTS.shutdownTimeoutMs, 0, 600_000),
  // Worker threads that analyse answers (Node only); 0: on the main thread. Unset: cores − 1, at least 1.
  STARCOACH_ANALYSIS_THREADS: intIn(0, 64).optional(),
});

const truthy = (v: string | undefined) => v === "1" || v === "true";


/** A bind address only this machine can reach. */
export function isLoopbackAddress(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost)$/i.test(host);
}

/** Where the app runs: a Node server (the default) or a Cloudflare Worker, reachable only by its own routes. */
export type Runtime = "node" | "workers";

/** Access, limits, headers and logging (src/http/middleware); every field has a safe default. */
export interface SecurityConfig {
  /** When set, /v1 needs `Authorization: Bearer <token>` (or the login cookie) and pages need the login cookie. */
  apiToken: string | null;
  /** Grading requests per minute per client (token bucket, burst = the same number); 0 turns it off. */
  rateLimitPerMinute: number;
  /** Batch rows per hour per client (burst = the same number); 0 turns it off. */
  batchRowsPerHour: number;
  /**
   * Whether the limits also count offline gradings (which cost nothing). Off only for a Node
   * server on loopback without a token: the owner grading their own answers. The limits protect
   * model spend and shared servers, so model-calling work is always counted.
   */
  rateLimitOffline: boolean;
  /** Gradings (model calls) running at once; more wait in a queue of maxQueue, then get 503. */
  maxConcurrent: number;
  maxQueue: number;
  /** A queued grading that has waited this long gets 503 + Retry-After instead of waiting on. */
  queueTimeoutMs: number;
  /** Origins allowed to call the API from a browser; empty: CORS off (same origin only). */
  corsOrigins: string[];
  /**
   * Host header names the server answers besides localhost and IP addresses (DNS rebinding
   * defence; anything else gets 421 host_not_allowed). Entries are `name` (any port) or
   * `name:port`. null: any Host is answered.
   */
  allowedHosts: string[] | null;
  /**
   * Proxies you run in front of the server (0: none). With n > 0 the client is the n-th
   * X-Forwarded-For entry from the right (the address your outermost proxy saw; entries further
   * left are whatever the client sent), and X-Forwarded-Proto tells whether the client used HTTPS.
   */
  trustProxy: number;
  log: { enabled: boolean; answers: boolean };
  shutdownTimeoutMs: number;
}

export function securityDefaults(): SecurityConfig {
  return {
    apiToken: null,
    rateLimitPerMinute: 30,
    batchRowsPerHour: 30 * 60,
    rateLimitOffline: false,
    maxConcurrent: 16,
    maxQueue: 64,
    queueTimeoutMs: 30_000,
    corsOrigins: [],
    allowedHosts: [],
    trustProxy: 0,
    log: { enabled: true, answers: false },
    shutdownTimeoutMs: 30_000,
  };
}

export interface Config {
  port: number;
  host: string;
  dbFile: string;
  /** STARCOACH_DB_MAX_MB: the database may not grow past this size; null: only the disk limits it. */
  dbMaxMb: number | null;
  offline: boolean;
  llm: {
    apiKey: string;
    baseURL?: string;
    model: string;
    timeoutMs: number;
    maxRetries: number;
    /** How structured output is asked for; `auto` finds what the server accepts. */
    structured: StructuredSetting;
    /** Sent as reasoning_effort when set. */
    reasoningEffort?: ReasoningEffort;
    /** Unset: 4,096, or 16,384 once the model shows it reasons. */
    maxOutputTokens?: number;
    /** Token prices for meta.cost: STARCOACH_PRICE_INPUT/OUTPUT, else the model's dated default; null: unknown. */
    prices: TokenPrices | null;
  } | null;
  length: { wordsPerMinute: number; minSeconds: number; maxSeconds: number };
  /** Distinct stories per principle that the story bank counts as covered. */
  coverageTarget: number;
  /**
   * Where spoken answers are transcribed: STARCOACH_TRANSCRIBE_BASE_URL, else the model endpoint
   * when a key is set (`explicit: false`); null when neither is configured, and then
   * POST /v1/grade/audio answers 503 transcription_unavailable.
   */
  transcription: { baseURL: string; model: string; apiKey?: string; explicit: boolean; timeoutMs: number; maxRetries: number } | null;
  /** Keep uploaded recordings beside the database (STARCOACH_KEEP_AUDIO=1); by default they are discarded. */
  keepAudio: boolean;
  /** STARCOACH_ANALYSIS_THREADS: worker threads for the analysis (Node); 0 = none; null = the default (cores − 1, at least 1). */
  analysisThreads: number | null;
  security: SecurityConfig;
}

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Which Host names to answer. A Node server with no token (or one on loopback) answers only its own
 * names, so a web page whose name is rebound to 127.0.0.1 cannot read or change anything. With a
 * token on a public address the token protects the data and the operator names the hosts if they
 * want the check; a Worker is reached only through its own routes.
 */
function hostPolicy(list: string[] | undefined, runtime: Runtime, host: string, token: string | undefined): string[] | null {
  if (list?.includes("*")) return null;
  if (list) return list;
  if (runtime === "workers") return null;
  return token && !isLoopbackAddress(host) ? null : [];
}

/**
 * A setting as the message names it: with the value given, for a person to spot the typo. Never
 * a key or a token, and never the password in a URL.
 */
function given(name: string, env: Record<string, string | undefined>): string {
  const value = env[name];
  if (value === undefined || /KEY|TOKEN/.test(name)) return name;
  return `${name}=${JSON.stringify(printable(value.replace(/\/\/[^/@\s]*@/, "//…@"), { maxLength: 60 }))}`;
}

export function loadConfig(env: Record<string, string | undefined>, runtime: Runtime = "node"): Config {
  // Empty strings mean "not set" (a common shell habit: OPENAI_BASE_URL= ).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${given(String(i.path[0]), cleaned)}: ${i.message}`).join("; ");
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.STARCOACH_MIN_SECONDS >= e.STARCOACH_MAX_SECONDS) {
    throw new ConfigError("Invalid configuration: STARCOACH_MIN_SECONDS must be below STARCOACH_MAX_SECONDS");
  }
  const offline = e.STARCOACH_OFFLINE === "1" || e.STARCOACH_OFFLINE === "true" || !e.OPENAI_API_KEY;
  const transcribeKey = e.STARCOACH_TRANSCRIBE_API_KEY ?? e.OPENAI_API_KEY;
  return {
    port: e.PORT,
    host: e.HOST,
    dbFile: e.STARCOACH_DB,
    dbMaxMb: e.STARCOACH_DB_MAX_MB ?? null,
    offline,
    llm: offline || !e.OPENAI_API_KEY
      ? null
      : {
          apiKey: e.OPENAI_API_KEY,
          ...(e.OPENAI_BASE_URL ? { baseURL: e.OPENAI_BASE_URL } : {}),
          model: e.STARCOACH_MODEL,
          timeoutMs: e.STARCOACH_MODEL_TIMEOUT_MS,
          maxRetries: e.STARCOACH_MODEL_RETRIES,
          structured: e.STARCOACH_STRUCTURED,
          ...(e.STARCOACH_REASONING_EFFORT ? { reasoningEffort: e.STARCOACH_REASONING_EFFORT } : {}),
          ...(e.STARCOACH_MAX_OUTPUT_TOKENS ? { maxOutputTokens: e.STARCOACH_MAX_OUTPUT_TOKENS } : {}),
          prices: pricesFor(e.STARCOACH_MODEL, { input: e.STARCOACH_PRICE_INPUT, output: e.STARCOACH_PRICE_OUTPUT }),
        },
    length: { wordsPerMinute: e.STARCOACH_WPM, minSeconds: e.STARCOACH_MIN_SECONDS, maxSeconds: e.STARCOACH_MAX_SECONDS },
    coverageTarget: e.STARCOACH_COVERAGE_TARGET,
    // A transcription endpoint or key of its own turns transcription on even in offline mode (a
    // local speech-to-text server needs no model key); otherwise it follows the model's key.
    transcription: e.STARCOACH_TRANSCRIBE_BASE_URL || e.STARCOACH_TRANSCRIBE_API_KEY || (e.OPENAI_API_KEY && !offline)
      ? {
          baseURL: e.STARCOACH_TRANSCRIBE_BASE_URL ?? e.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL,
          model: e.STARCOACH_TRANSCRIBE_MODEL,
          ...(transcribeKey ? { apiKey: transcribeKey } : {}),
          explicit: Boolean(e.STARCOACH_TRANSCRIBE_BASE_URL),
          timeoutMs: e.STARCOACH_TRANSCRIBE_TIMEOUT_MS,
          maxRetries: e.STARCOACH_MODEL_RETRIES,
        }
      : null,
    keepAudio: truthy(e.STARCOACH_KEEP_AUDIO),
    analysisThreads: e.STARCOACH_ANALYSIS_THREADS ?? null,
    security: {
      apiToken: e.STARCOACH_API_TOKEN ?? null,
      rateLimitPerMinute: e.STARCOACH_RATE_LIMIT,
      batchRowsPerHour: e.STARCOACH_BATCH_ROWS_PER_HOUR ?? e.STARCOACH_RATE_LIMIT * 60,
      rateLimitOffline: runtime === "workers" || Boolean(e.STARCOACH_API_TOKEN) || !isLoopbackAddress(e.HOST),
      maxConcurrent: e.STARCOACH_MAX_CONCURRENT,
      maxQueue: e.STARCOACH_MAX_QUEUE,
      queueTimeoutMs: e.STARCOACH_QUEUE_TIMEOUT_MS,
      corsOrigins: (e.STARCOACH_CORS_ORIGINS ?? "").split(",").map((o) => o.trim().replace(/\/$/, "")).filter(Boolean),
      allowedHosts: hostPolicy(e.STARCOACH_ALLOWED_HOSTS, runtime, e.HOST, e.STARCOACH_API_TOKEN),
      trustProxy: e.STARCOACH_TRUST_PROXY ?? 0,
      log: { enabled: e.STARCOACH_LOG === "json", answers: truthy(e.STARCOACH_LOG_ANSWERS) },
      shutdownTimeoutMs: e.STARCOACH_SHUTDOWN_TIMEOUT_MS,
    },
  };
}
