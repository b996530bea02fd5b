/** Configuration, parsed once from the environment with zod; a bad value fails fast with its name. */
import { z } from "zod";

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
  STARCOACH_WPM: intFrom(150, 60, 400),
  STARCOACH_MIN_SECONDS: intFrom(60, 0, 3600),
  STARCOACH_MAX_SECONDS: intFrom(120, 1, 3600),
});

export interface Config {
  port: number;
  host: string;
  dbFile: string;
  offline: boolean;
  llm: { apiKey: string; baseURL?: string; model: string; timeoutMs: number; maxRetries: number } | null;
  length: { wordsPerMinute: number; minSeconds: number; maxSeconds: number };
}

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
        },
    length: { wordsPerMinute: e.STARCOACH_WPM, minSeconds: e.STARCOACH_MIN_SECONDS, maxSeconds: e.STARCOACH_MAX_SECONDS },
  };
}
