/** `starcoach data wipe --yes`: delete everything stored, from the command line. */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { printable } from "../core/control-chars.js";
import { describeOwner, otherHolder, processOwner } from "../batch/lease.js";
import { openSqliteBatchStore } from "../store/sqlite-batch.js";
import { openSqliteStore } from "../store/sqlite.js";
import { audioDirFor, openAudioArchive } from "../store/audio-archive.js";
import { cliConfig, CliError, EXIT, type CliIO } from "./context.js";

interface WipeFlags {
  yes?: boolean;
  db?: string;
}

/** A job another live process is grading would store gradings after the wipe: stop it first. */
async function refuseWhileGraded(file: string): Promise<void> {
  if (!existsSync(file)) return;
  const batches = openSqliteBatchStore(file);
  try {
    const me = processOwner("cli");
    for (const job of await batches.listJobs(["ready"])) {
      const holder = otherHolder(job, me);
      if (holder) throw new CliError(`job ${job.id} is being graded by ${describeOwner(holder)}; stop it first, then run \`starcoach data wipe --yes\` again. Nothing was deleted.`, EXIT.notReady);
    }
  } finally {
    await batches.close();
  }
}

export function registerData(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const data = program.command("data").summary("the stored data: wipe").description("Manage the answers and results stored in the SQLite database.");

  data
    .command("wipe")
    .description(
      "Delete every stored grading (the model cache with them) and every batch job with its rows from the database " +
        "(STARCOACH_DB or --db), and from eval-cache.db beside it; the text is also scrubbed from the files. " +
        "Stop a server or a `grade` command using the same database first.",
    )
    .option("--yes", "confirm: without it nothing is deleted")
    .option("--db <file>", "SQLite database file (overrides STARCOACH_DB)")
    .action(async (flags: WipeFlags) => {
      const file = cliConfig(io.env, flags).dbFile;
      const files = [file, join(dirname(file), "eval-cache.db")].filter((f) => existsSync(f));
      const shown = printable(file);
      if (!flags.yes) {
        throw new CliError(`this deletes every grading, cached answer and batch job in ${shown}; nothing was deleted. Run \`starcoach data wipe --yes\` to confirm.`, EXIT.usage);
      }
      if (!files.length) {
        io.stderr.write(`starcoach: nothing to delete: ${shown} does not exist.\n`);
        setExit(EXIT.ok);
        return;
      }
      await refuseWhileGraded(file);
      for (const f of files) {
        const store = openSqliteStore(f);
        try {
          const d = await store.deleteAll();
          io.stderr.write(`starcoach: deleted ${d.gradings} gradings and ${d.batchJobs} batch jobs from ${printable(f)}.\n`);
        } finally {
          await store.close();
        }
      }
      // Recordings kept with STARCOACH_KEEP_AUDIO=1 live beside the database.
      if (existsSync(audioDirFor(file))) {
        await openAudioArchive(audioDirFor(file)).removeAll();
        io.stderr.write(`starcoach: deleted the kept recordings in ${printable(audioDirFor(file))}.\n`);
      }
      setExit(EXIT.ok);
    });
}
