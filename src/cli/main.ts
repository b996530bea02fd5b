/**
 * The `starcoach` command: a commander program that dispatches to subcommands. Each subcommand
 * lives in its own module and registers itself here with one line.
 */
import { Command, CommanderError } from "commander";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../config.js";
import { printable } from "../core/control-chars.js";
import { JobConflictError } from "../batch/job.js";
import { InputError } from "../grading.js";
import { StoreError } from "../store/faults.js";
import { registerBatch } from "./batch.js";
import { CliError, EXIT, type CliIO } from "./context.js";
import { ioReason } from "./output-target.js";
import { registerData } from "./data.js";
import { registerDoctor } from "./doctor.js";
import { registerEval } from "./eval.js";
import { registerGrade } from "./grade.js";
import { registerMcp } from "./mcp.js";
import { registerServe } from "./serve.js";
import { registerStories } from "./stories.js";
import pkg from "../../package.json" with { type: "json" };

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command("starcoach")
    .description("Grade STAR answers to behavioural interview questions, one by one or in batches, or serve the web app.")
    .version(pkg.version, "-v, --version", "print the version")
    .showHelpAfterError()
    .exitOverride()
    // Usage errors quote the arguments given: escape what a terminal would act on.
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(printable(s, { keepNewlines: true })),
      // Help wraps to the terminal, at most 100 columns (long lines are hard to read); 80 when not a terminal.
      getOutHelpWidth: () => Math.min(io.stdout.columns ?? 80, 100),
      getErrHelpWidth: () => Math.min(io.stderr.columns ?? 80, 100),
    });
  registerGrade(program, io, setExit);
  registerBatch(program, io, setExit);
  registerEval(program, io, setExit);
  registerStories(program, io, setExit);
  registerData(program, io, setExit);
  registerDoctor(program, io, setExit);
  registerMcp(program, io, setExit);
  registerServe(program, io, setExit);
  return program;
}

/** Run the command line; resolves to the exit code (the bin launcher passes it to process.exit). */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof JobConflictError) {
      io.stderr.write(`starcoach: ${printable(err.message)}\n`);
      return EXIT.notReady;
    }
    if (err instanceof StoreError) {
      io.stderr.write(`starcoach: ${printable(err.detail)}\n`);
      return EXIT.io;
    }
    if (err instanceof CliError || err instanceof ConfigError || err instanceof InputError) {
      io.stderr.write(`starcoach: ${printable(err.message, { keepNewlines: true })}\n`);
      return err instanceof CliError ? err.exitCode : EXIT.usage;
    }
    const e = err as NodeJS.ErrnoException;
    if (e?.code === "ENOENT" || e?.code === "EACCES" || e?.code === "EISDIR") {
      // One line that names the path, not Node's "ENOENT: no such file or directory, open …".
      io.stderr.write(`starcoach: ${e.path ? `cannot read "${printable(e.path)}": ${ioReason(e)}` : printable(e.message)}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`starcoach: unexpected error: ${printable(err instanceof Error ? (err.stack ?? err.message) : String(err), { keepNewlines: true })}\n`);
    return EXIT.internal;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
  process.exitCode = code;
}
