/**
 * What every subcommand needs: I/O streams (injectable for tests), configuration parsed once from
 * the environment plus command-line overrides, and the stores and grading service built from it.
 */
import type { Readable, Writable } from "node:stream";
import { loadConfig, type Config } from "../config.js";
import type { Grader } from "../grader/types.js";
import { createGradingService, type GradingService } from "../grading.js";
import { analysisPoolFor, createGrader, createRewriter } from "../node-deps.js";
import { createRewriteService, type RewriteService } from "../rewrite.js";
import { processOwner } from "../batch/lease.js";
import type { BatchStore, JobOwner } from "../store/batch-types.js";
import { openSqlite } from "../store/sqlite.js";
import type { StoryStore } from "../store/stories.js";
import type { Store } from "../store/types.js";

export interface CliIO {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
}

/** A failure that ends the command with a message and an exit code (no stack trace). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * Exit status of every command (documented in `starcoach grade --help` and docs/BATCH.md). 70 and 74
 * are the BSD sysexits codes for an internal error and an input/output error.
 */
export const EXIT = { ok: 0, rowsFailed: 1, usage: 2, notReady: 3, internal: 70, io: 74 } as const;

export interface GradingOverrides {
  offline?: boolean;
  model?: string;
  db?: string;
}

export function cliConfig(env: CliIO["env"], o: GradingOverrides): Config {
  return loadConfig({
    ...env,
    ...(o.offline ? { STARCOACH_OFFLINE: "1" } : {}),
    ...(o.model ? { STARCOACH_MODEL: o.model } : {}),
    ...(o.db ? { STARCOACH_DB: o.db } : {}),
  });
}

export interface CliContext {
  config: Config;
  /** This command run, as the owner of the batch jobs it creates and grades. */
  owner: JobOwner;
  store: Store;
  batches: BatchStore;
  stories: StoryStore;
  grader: Grader;
  grading: GradingService;
  /** Rewrites for --rewrite, by the same mode and model as the grading. */
  rewrite: RewriteService;
  close(): Promise<void>;
}

export async function openContext(io: CliIO, o: GradingOverrides): Promise<CliContext> {
  const config = cliConfig(io.env, o);
  const { store, batches, stories, close } = openSqlite(config.dbFile, { maxMb: config.dbMaxMb });
  const grader = await createGrader(config);
  if (grader.mode === "offline" && !o.offline) io.stderr.write("starcoach: no OPENAI_API_KEY set, grading offline (rule-based). Use --offline to silence this note.\n");
  // Offline, the command analyses on its main thread unless STARCOACH_ANALYSIS_THREADS says otherwise:
  // a worker thread with its own copy of the NLP model adds about 55 MB, which takes a 100k-row
  // CSV past its 250 MB peak RSS (docs/PERFORMANCE.md). With a model the threads keep the event
  // loop free for the model calls.
  const analysis = analysisPoolFor(config, grader.mode === "offline" ? 0 : undefined);
  return {
    config,
    owner: processOwner("cli"),
    store,
    batches,
    stories,
    grader,
    grading: createGradingService({ store, stories, grader, length: config.length, prices: config.llm?.prices ?? null, analyze: analysis.analyze }),
    rewrite: createRewriteService({ store, rewriter: await createRewriter(config), length: config.length }),
    close: async () => {
      await analysis.close();
      await close();
    },
  };
}
