/**
 * `starcoach mcp`: the MCP server (src/mcp/server.ts) on standard input and output, for an
 * assistant that starts it as a child process. Standard output carries the protocol only: every
 * console method is routed to standard error while the server runs.
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Command } from "commander";
import pkg from "../../package.json" with { type: "json" };
import { redactConsole } from "../http/log-sink.js";
import { drainable } from "../mcp/drain.js";
import { createMcpServer } from "../mcp/server.js";
import { EXIT, openContext, type CliIO, type GradingOverrides } from "./context.js";

const CONSOLE_TO_STDOUT = ["log", "info", "debug"] as const;

/** console.log and friends write to stdout, where a stray line would corrupt the protocol. */
function consoleToStderr(): () => void {
  const originals = CONSOLE_TO_STDOUT.map((m) => console[m]);
  for (const m of CONSOLE_TO_STDOUT) console[m] = console.error;
  return () => CONSOLE_TO_STDOUT.forEach((m, i) => (console[m] = originals[i]!));
}

/**
 * Serve until the client closes our standard input (after answering what it already asked) or a
 * signal stops us; then close the database and exit 0.
 */
export async function serveMcp(io: CliIO, flags: GradingOverrides): Promise<number> {
  const restoreConsole = consoleToStderr();
  const ctx = await openContext(io, flags).catch((err: unknown) => {
    restoreConsole();
    throw err;
  });
  const restoreRedaction = redactConsole([ctx.config.llm?.apiKey]);
  const log = (message: string) => io.stderr.write(`starcoach: ${message}\n`);
  const server = createMcpServer({ grading: ctx.grading, stories: ctx.stories, coverageTarget: ctx.config.coverageTarget, version: pkg.version, log });
  const transport = drainable(new StdioServerTransport(io.stdin, io.stdout));
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  server.server.onerror = (err) => log(`protocol error: ${err.message}`);

  const stop = () => void server.close();
  const finish = () => void transport.drained().then(stop);
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  io.stdin.once("end", finish);
  io.stdout.on("error", stop); // EPIPE: the client is gone, nobody reads the answers
  for (const s of signals) process.once(s, stop);
  try {
    await server.connect(transport);
    const mode = ctx.grader.mode === "llm" ? `LLM mode (${ctx.grader.model})` : "offline mode";
    log(`MCP server ready on standard input/output, ${mode}; data in ${ctx.config.dbFile}.`);
    await closed;
    return EXIT.ok;
  } finally {
    for (const s of signals) process.off(s, stop);
    io.stdin.off("end", finish);
    io.stdout.off("error", stop);
    await ctx.close();
    restoreRedaction();
    restoreConsole();
  }
}

export function registerMcp(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("mcp")
    .summary("run a Model Context Protocol server on standard input/output (for Claude Desktop and other assistants)")
    .description(
      [
        "Serve starcoach's tools to an MCP client over standard input and output:",
        "grade_answer, list_principles, suggest_question. The client starts this",
        "command; it runs until the client closes the connection or sends SIGTERM.",
        "Standard output carries only the protocol; notes and errors go to stderr.",
        "",
        "Same configuration and database as `starcoach grade`: OPENAI_API_KEY",
        "(without it, grading is offline), OPENAI_BASE_URL, STARCOACH_MODEL and",
        "STARCOACH_DB (default .data/starcoach.db, relative to the directory the",
        "client starts the server in: give an absolute path in its configuration).",
      ].join("\n"),
    )
    .option("--offline", "grade with the rule-based grader only (no model calls)")
    .option("-m, --model <name>", "model name (overrides STARCOACH_MODEL)")
    .option("--db <file>", "SQLite database file (overrides STARCOACH_DB)")
    .action(async (flags: GradingOverrides) => {
      setExit(await serveMcp(io, flags));
    });
}
