/**
 * `starcoach stories`: the story bank from the command line, for a candidate who grades prepared
 * answers with `starcoach grade` (every graded answer is a story): the stories, the coverage of the
 * 16 principles with what to practise next, and the Markdown export. The same use cases as the
 * /stories page and the API (src/practice/stories.ts); `--json` prints the API's shapes.
 */
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { printable } from "../core/control-chars.js";
import { coverageLines, storyLines } from "../practice/bank-text.js";
import { bankOverview, exportMarkdown, listStories, toSummary, type StoryDeps } from "../practice/stories.js";
import { openSqlite } from "../store/sqlite.js";
import { cliConfig, CliError, EXIT, type CliIO } from "./context.js";
import { oneChunk, prepareOutput, writeOutput, writeToStdout } from "./output-target.js";

interface BankFlags {
  db?: string;
  json?: boolean;
  out?: string;
}

/**
 * Run `use` on the bank. Reading never creates the database: a file that does not exist yet is an
 * empty bank (an empty in-memory database, so the same code answers).
 */
async function withBank<T>(io: CliIO, flags: BankFlags, use: (deps: StoryDeps) => Promise<T>): Promise<T> {
  const config = cliConfig(io.env, flags);
  const { store, stories, close } = openSqlite(existsSync(config.dbFile) ? config.dbFile : ":memory:");
  try {
    return await use({ store, stories, coverageTarget: config.coverageTarget });
  } finally {
    await close();
  }
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function registerStories(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const stories = program
    .command("stories")
    .summary("the story bank: list, coverage, export")
    .description("The story bank in the SQLite database (STARCOACH_DB or --db): every graded answer is a story, and re-grades of it are its versions.");
  const dbOption = ["--db <file>", "SQLite database file (overrides STARCOACH_DB)"] as const;

  stories
    .command("list", { isDefault: true })
    .description("List the stories, most recently practised first: best score, title, principles, versions with their score trend, last practice, id.")
    .option(...dbOption)
    .option("--json", "print { stories: [...] } as GET /v1/stories does")
    // As the default subcommand, list receives a misspelt subcommand's name: say what it is.
    .allowExcessArguments()
    .action(async (flags: BankFlags, command: Command) => {
      if (command.args.length) {
        throw new CliError(`unknown command "stories ${printable(command.args[0]!, { maxLength: 40 })}": use stories list, stories coverage or stories export (starcoach stories --help).`, EXIT.usage);
      }
      const all = await withBank(io, flags, (deps) => listStories(deps));
      await writeToStdout(io.stdout, oneChunk(flags.json ? json({ stories: all.map(toSummary) }) : storyLines(all)), "the stories");
      setExit(EXIT.ok);
    });

  stories
    .command("coverage")
    .description(
      "Which of the 16 principles your stories cover (missing, thin: fewer than STARCOACH_COVERAGE_TARGET stories, covered), " +
        "stories stretched over too many principles or telling the same story, and what to practise next with a question.",
    )
    .option(...dbOption)
    .option("--json", "print { target, principles: [...] } as GET /v1/coverage does")
    .action(async (flags: BankFlags) => {
      const overview = await withBank(io, flags, (deps) => bankOverview(deps));
      await writeToStdout(io.stdout, oneChunk(flags.json ? json(overview.coverage) : coverageLines(overview)), "the coverage");
      setExit(EXIT.ok);
    });

  stories
    .command("export")
    .description("Write the bank as Markdown (each story's best version, its principles, its top fixes), as GET /v1/stories/export.md does.")
    .option(...dbOption)
    .option("--out <file>", "write to this file (replaced atomically) instead of standard output")
    .action(async (flags: BankFlags) => {
      const target = flags.out ? await prepareOutput(flags.out, "--out") : null;
      const markdown = await withBank(io, flags, (deps) => exportMarkdown(deps));
      if (target) {
        await writeOutput(target, oneChunk(markdown));
        io.stderr.write(`starcoach: story bank written to ${printable(flags.out!)}\n`);
      } else {
        await writeToStdout(io.stdout, oneChunk(markdown), "the story bank");
      }
      setExit(EXIT.ok);
    });
}
