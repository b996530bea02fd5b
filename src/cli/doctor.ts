/**
 * `starcoach doctor`: check the configured model endpoint (src/grader/doctor.ts) and print one line
 * per check, with what to change under each problem. Exit 0 when nothing failed, 1 otherwise.
 */
import type { Command } from "commander";
import { runDoctor, type CheckStatus, type DoctorReport } from "../grader/doctor.js";
import { cliConfig, EXIT, type CliIO } from "./context.js";

/** Some check failed: the report says what to change. */
export const EXIT_DOCTOR_FAILED = 1;

const LABEL: Record<CheckStatus, string> = { ok: "ok  ", warn: "warn", fail: "FAIL", skip: "skip" };

export function formatDoctor(report: DoctorReport): string {
  const lines = [report.mode === "llm" ? `starcoach doctor: ${report.baseURL}, model ${report.model}` : "starcoach doctor: offline mode", ""];
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const check of report.checks) {
    lines.push(`  ${LABEL[check.status]}  ${check.id.padEnd(width)}  ${check.summary}`);
    if (check.fix && check.status !== "ok") lines.push(`  ${" ".repeat(4)}  ${" ".repeat(width)}  → ${check.fix}`);
  }
  const failed = report.checks.filter((c) => c.status === "fail").length;
  lines.push("");
  if (failed) lines.push(`${failed} check${failed === 1 ? "" : "s"} failed: change what the → line${failed === 1 ? " says" : "s say"}, then run \`starcoach doctor\` again.`);
  else if (report.mode === "offline") lines.push("Nothing to check: grading runs on the rules alone.");
  else lines.push(`Grading will use ${report.model}${report.structuredMode ? ` with ${report.structuredMode} structured output` : ""}.`);
  return `${lines.join("\n")}\n`;
}

export function registerDoctor(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("doctor")
    .description("Check the model endpoint: does /models answer and list the model, does structured output work (and in which mode), how long it takes, does transcription answer.")
    .option("--model <id>", "check this model instead of STARCOACH_MODEL")
    .option("--json", "print the report as JSON (the same as GET /v1/doctor)")
    .action(async (o: { model?: string; json?: boolean }) => {
      const report = await runDoctor(cliConfig(io.env, o.model ? { model: o.model } : {}));
      io.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report));
      setExit(report.ok ? EXIT.ok : EXIT_DOCTOR_FAILED);
    });
}
