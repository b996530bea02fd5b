/**
 * A bad setting fails at start with one line a person can act on: the setting, the value given
 * (never a key, a token or a URL's password) and what to use instead.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { runCli } from "./support/cli.js";

const messageFor = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
};

describe("configuration errors", () => {
  it("name the setting, quote the value and give the accepted range or form", () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PORT: "abc" }, 'PORT="abc": use a whole number from 0 to 65535'],
      [{ PORT: "70000" }, 'PORT="70000": use a whole number from 0 to 65535'],
      [{ STARCOACH_MAX_CONCURRENT: "2.5" }, 'STARCOACH_MAX_CONCURRENT="2.5": use a whole number from 1 to 10000'],
      [{ STARCOACH_ANALYSIS_THREADS: "two" }, 'STARCOACH_ANALYSIS_THREADS="two": use a whole number from 0 to 64'],
      [{ STARCOACH_PRICE_INPUT: "-1" }, 'STARCOACH_PRICE_INPUT="-1": use a number from 0 to 10000'],
      [{ STARCOACH_DB_MAX_MB: "0" }, 'STARCOACH_DB_MAX_MB="0": use a size in MB above 0, at most 1000000 (decimals allowed)'],
      [{ OPENAI_BASE_URL: "localhost:11434/v1" }, 'OPENAI_BASE_URL="localhost:11434/v1": use a full http(s) URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1'],
      [{ STARCOACH_TRANSCRIBE_BASE_URL: "ftp://speech.example/v1" }, 'STARCOACH_TRANSCRIBE_BASE_URL="ftp://speech.example/v1": use a full http(s) URL'],
    ];
    for (const [env, expected] of cases) expect(messageFor(env), JSON.stringify(env)).toContain(`Invalid configuration: ${expected}`);
    expect(messageFor({ PORT: "x", STARCOACH_WPM: "fast" })).toBe('Invalid configuration: PORT="x": use a whole number from 0 to 65535; STARCOACH_WPM="fast": use a whole number from 60 to 400');
    // Valid values still parse: decimals where allowed, an http URL to a local server.
    expect(loadConfig({ STARCOACH_DB_MAX_MB: "0.5", OPENAI_API_KEY: "sk-x", OPENAI_BASE_URL: "http://127.0.0.1:11434/v1" })).toMatchObject({ dbMaxMb: 0.5 });
  });

  it("never quote a token, a key or the password in a URL", () => {
    const token = messageFor({ STARCOACH_API_TOKEN: "hunter2-short" });
    expect(token).toBe("Invalid configuration: STARCOACH_API_TOKEN: use at least 16 characters (e.g. `openssl rand -hex 32`)");
    const url = messageFor({ OPENAI_BASE_URL: "https://me:s3cret-pw@/v1" });
    expect(url).not.toContain("s3cret-pw");
    expect(url).toContain('OPENAI_BASE_URL="https://…@/v1"');
  });

  it("end a command with that one line and exit code 2", async () => {
    const r = await runCli(["stories"], { env: { STARCOACH_COVERAGE_TARGET: "lots" } });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", 'starcoach: Invalid configuration: STARCOACH_COVERAGE_TARGET="lots": use a whole number from 1 to 10\n']);
  });
});
