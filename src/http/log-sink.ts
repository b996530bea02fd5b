/**
 * Where log lines go, and the redaction every line passes: the configured secrets (the model API
 * key, the access token) never reach a log, even inside a provider error that echoes them.
 */
import { redactor } from "./middleware/util.js";

export type LogEntry = Record<string, unknown>;
export type LogSink = (entry: LogEntry) => void;

/** A sink writing one JSON line per entry to stdout, with secrets redacted. */
export function jsonLineSink(secrets: ReadonlyArray<string | null | undefined>, write: (line: string) => void = (l) => console.log(l)): LogSink {
  const redact = redactor(secrets);
  return (entry) => write(redact(JSON.stringify(entry)));
}

/**
 * Redact secrets from everything written through console.* (other modules log unexpected errors
 * with console.error, and an error object may carry a provider's message). Returns an undo.
 */
export function redactConsole(secrets: ReadonlyArray<string | null | undefined>): () => void {
  const redact = redactor(secrets);
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const originals = methods.map((m) => console[m]);
  methods.forEach((m, i) => {
    const original = originals[i]!;
    console[m] = (...args: unknown[]) =>
      original(
        ...args.map((a) => {
          if (typeof a === "string") return redact(a);
          if (a instanceof Error) return redact(a.stack ?? `${a.name}: ${a.message}`);
          if (a && typeof a === "object") {
            try {
              return redact(JSON.stringify(a));
            } catch {
              return "[unprintable]";
            }
          }
          return a;
        }),
      );
  });
  return () => methods.forEach((m, i) => (console[m] = originals[i]!));
}
