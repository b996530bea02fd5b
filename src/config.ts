/** Configuration, parsed once from the environment with zod; a bad value fails fast with its name. */
import { z } from "zod";
import { REASONING_EFFORTS, STRUCTURED_MODES, type ReasoningEffort, type StructuredSetting } from "./grader/types.js";

const intFrom = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const EnvSchema = z.object({
  PORT: intFrom(8787, 0, 65535),
  HOST: z.string().min(1).default("127.0.0.1"),
  STARCOACH_DB: z.string().min(1).default(".data/starcoach.db"),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  STARCOACH_MODEL: z.string().min(1).default("gpt-4.1-mini"),
  STARCOACH_OFFLINE: z.enum(["0", "1", "true", "false", ""]).optional(),
  STARCOACH_MODEL_TIMEOUT_MS: intFrom(60_000, 100, 600_000),
  STARCOACH_MODEL_RETRIES: intFrom(2, 0, 10),
  // Local and other OpenAI-compatible servers (README: "Run it with a local model").
  STARCOACH_STRUCTURED: z.enum(["auto", ...STRUCTURED_MODES]).default("auto"),
  STARCOACH_REASONING_EFFORT: z.enum(REASONING_EFFORTS).optional(),
  STARCOACH_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(256).max(200_000).optional(),
  // Speech to text for spoken answers: an OpenAI-compatible /audio/transcriptions endpoint.
  STARCOACH_TRANSCRIBE_BASE_URL: z.url().optional(),
  STARCOACH_TRANSCRIBE_MODEL: z.string().min(1).default("whisper-1"),
  STARCOACH_WPM: intFrom(150, 60, 400),
  STARCOACH_MIN_SECONDS: intFrom(60, 0, 3600),
  STARCOACH_MAX_SECONDS: intFrom(120, 1, 3600),
  // Story bank: how many distinct stories per principle count as covered.
  STARCOACH_COVERAGE_TARGET: intFrom(2, 1, 10),
  // Reliability and security (docs/RELIABILITY.md).
  STARCOACH_API_TOKEN: z.string().min(16, "use at least 16 characters (e.g. `openssl rand -hex 32`)").optional(),
  STARCOACH_RATE_LIMIT: intFrom(30, 0, 100_000),
  STARCOACH_MAX_CONCURRENT: intFrom(16, 1, 10_000),
  STARCOACH_MAX_QUEUE: intFrom(64, 0, 100_000),
  STARCOACH_QUEUE_TIMEOUT_MS: intFrom(30_000, 100, 600_000),
  STARCOACH_CORS_ORIGINS: z.string().optional(),
  STARCOACH_TRUST_PROXY: z.enum(["0", "1", "true", "false"]).optional(),
  STARCOACH_LOG: z.enum(["json", "off"]).default("json"),
  STARCOACH_LOG_ANSWERS: z.enum(["0", "1", "true", "false"]).optional(),
  STARCOACH_SHUTDOWN_TIMEOUT_MS: intFrom(30_000, 0, 600_000),
});

const truthy = (v: string | undefined) => v === "1" || v === "true";

/** Access, limits, headers and logging (src/http/middleware); every field has a safe default. */
export interface SecurityConfig {
  /** When set, /v1 needs `Authorization: Bearer <token>` (or the login cookie) and pages need the login cookie. */
  apiToken: string | null;
  /** Grading requests per minute per client (token bucket, burst = the same number); 0 turns it off. */
  rateLimitPerMinute: number;
  /** Gradings (model calls) running at once; more wait in a queue of maxQueue, then get 503. */
  maxConcurrent: number;
  maxQueue: number;
  /** A queued grading that has waited this long gets 503 + Retry-After instead of waiting on. */
  queueTimeoutMs: number;
  /** Origins allowed to call the API from a browser; empty: CORS off (same origin only). */
  corsOrigins: string[];
  /** Take the client address from X-Forwarded-For / CF-Connecting-IP (only behind a proxy you run). */
  trustProxy: boolean;
  log: { enabled: boolean; answers: boolean };
  shutdownTimeoutMs: number;
}

export function securityDefaults(): SecurityConfig {
  return {
    apiToken: null,
    rateLimitPerMinute: 30,
    maxConcurrent: 16,
    maxQueue: 64,
    queueTimeoutMs: 30_000,
    corsOrigins: [],
    trustProxy: false,
    log: { enabled: true, answers: false },
    shutdownTimeoutMs: 30_000,
  };
}

export interface Config {
  port: number;
  host: string;
  dbFile: string;
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
  } | null;
  length: { wordsPerMinute: number; minSeconds: number; maxSeconds: number };
  /** Distinct stories per principle that the story bank counts as covered. */
  coverageTarget: number;
  /**
   * Where spoken answers are transcribed: STARCOACH_TRANSCRIBE_BASE_URL, else the model endpoint
   * when a key is set (`explicit: false`); null when neither is configured.
   */
  transcription: { baseURL: string; model: string; apiKey?: string; explicit: boolean } | null;
  security: SecurityConfig;
}

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "not set" (a common shell habit: OPENAI_BASE_URL= ).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.STARCOACH_MIN_SECONDS >= e.STARCOACH_MAX_SECONDS) {
    throw new ConfigError("Invalid configuration: STARCOACH_MIN_SECONDS must be below STARCOACH_MAX_SECONDS");
  }
  const offline = e.STARCOACH_OFFLINE === "1" || e.STARCOACH_OFFLINE === "true" || !e.OPENAI_API_KEY;
  return {
    port: e.PORT,
    host: e.HOST,
    dbFile: e.STARCOACH_DB,
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
        },
    length: { wordsPerMinute: e.STARCOACH_WPM, minSeconds: e.STARCOACH_MIN_SECONDS, maxSeconds: e.STARCOACH_MAX_SECONDS },
    coverageTarget: e.STARCOACH_COVERAGE_TARGET,
    transcription: e.STARCOACH_TRANSCRIBE_BASE_URL || (e.OPENAI_API_KEY && !offline)
      ? {
          baseURL: e.STARCOACH_TRANSCRIBE_BASE_URL ?? e.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL,
          model: e.STARCOACH_TRANSCRIBE_MODEL,
          ...(e.OPENAI_API_KEY ? { apiKey: e.OPENAI_API_KEY } : {}),
          explicit: Boolean(e.STARCOACH_TRANSCRIBE_BASE_URL),
        }
      : null,
    security: {
      apiToken: e.STARCOACH_API_TOKEN ?? null,
      rateLimitPerMinute: e.STARCOACH_RATE_LIMIT,
      maxConcurrent: e.STARCOACH_MAX_CONCURRENT,
      maxQueue: e.STARCOACH_MAX_QUEUE,
      queueTimeoutMs: e.STARCOACH_QUEUE_TIMEOUT_MS,
      corsOrigins: (e.STARCOACH_CORS_ORIGINS ?? "").split(",").map((o) => o.trim().replace(/\/$/, "")).filter(Boolean),
      trustProxy: truthy(e.STARCOACH_TRUST_PROXY),
      log: { enabled: e.STARCOACH_LOG === "json", answers: truthy(e.STARCOACH_LOG_ANSWERS) },
      shutdownTimeoutMs: e.STARCOACH_SHUTDOWN_TIMEOUT_MS,
    },
  };
}
