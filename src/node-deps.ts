/**
 * The Node app's dependencies from configuration: the SQLite stores, the grader with its prompt
 * files, the API reference assets, the grading gate. The server (src/node.ts), the CLI, eval, the
 * benchmarks and the tests build on these. This file sits directly in src/ (as the bundle dist/cli.js
 * sits in dist/), so the package root is one folder up in both.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAnalysisPool, defaultAnalysisThreads, type AnalysisPool } from "./analysis/pool.js";
import { createLocalBatchJobs } from "./batch/service.js";
import type { Config } from "./config.js";
import { runDoctor } from "./grader/doctor.js";
import { graderFromConfig, rewriterFromConfig } from "./grader/from-config.js";
import type { Rewriter } from "./grader/rewriter.js";
import type { Grader } from "./grader/types.js";
import { createGradingService } from "./grading.js";
import type { AppDeps } from "./http/context.js";
import { createGate, type Gate } from "./http/middleware/concurrency.js";
import { createRewriteService } from "./rewrite.js";
import { createSpokenGrading } from "./spoken.js";
import { audioDirFor, openAudioArchive, withAudioCleanup } from "./store/audio-archive.js";
import { openSqlite } from "./store/sqlite.js";
import { transcriberFromConfig } from "./transcribe/from-config.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const RUBRIC_FILE = join(ROOT, "prompts", "star-rubric.md");
export const BAR_RAISER_FILE = join(ROOT, "prompts", "bar-raiser.md");
export const FOLLOW_UP_FILE = join(ROOT, "prompts", "followup-rubric.md");
export const REWRITE_FILE = join(ROOT, "prompts", "rewrite.md");

export async function createGrader(config: Config, fetchImpl?: typeof fetch): Promise<Grader> {
  const [rubric, barRaiser, followUp] = await Promise.all([readFile(RUBRIC_FILE, "utf8"), readFile(BAR_RAISER_FILE, "utf8"), readFile(FOLLOW_UP_FILE, "utf8")]);
  return graderFromConfig(config, { rubric, barRaiser, followUp }, fetchImpl);
}

export async function createRewriter(config: Config, fetchImpl?: typeof fetch): Promise<Rewriter> {
  return rewriterFromConfig(config, await readFile(REWRITE_FILE, "utf8"), fetchImpl);
}

const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const ASSET_TYPES: Record<string, string> = { ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8" };

export async function docsAsset(file: string) {
  try {
    const body = await readFile(join(swaggerDir, file));
    return { body: new Uint8Array(body), type: ASSET_TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" };
  } catch {
    return null;
  }
}

/** Access, limits, logging and the grading gate (src/http/middleware), from configuration. */
export function reliabilityDeps(config: Config): Required<Pick<AppDeps, "security" | "gate" | "secrets">> {
  return { security: config.security, gate: createGate(config.security), secrets: [config.llm?.apiKey, config.transcription?.apiKey] };
}

/** Batch rows take slots of the same gate as interactive gradings (its batch share). */
export function batchSlot(gate: Gate) {
  return async () => {
    const slot = await gate.acquire("batch");
    return slot.ok ? slot.release : null;
  };
}

/** The analysis worker threads STARCOACH_ANALYSIS_THREADS asks for; unset: `fallback` (cores − 1, at least 1). 0: none. */
export function analysisPoolFor(config: Config, fallback = defaultAnalysisThreads()): AnalysisPool {
  return createAnalysisPool(config.analysisThreads ?? fallback);
}

/** The app's dependencies plus what only the Node process owns: the analysis threads, closed at shutdown. */
export interface NodeDeps extends AppDeps {
  analysis: AnalysisPool;
}

/** Build the Node app's dependencies from configuration. */
export async function createNodeDeps(config: Config): Promise<NodeDeps> {
  // One connection for the gradings and the batch jobs.
  const { store: sqlite, batches: batchStore, stories } = openSqlite(config.dbFile, { maxMb: config.dbMaxMb });
  // A database that opens but cannot be read or written (damaged pages, a read-only file) stops
  // the start here, with the file named, rather than answering 500 to every request later.
  const fault = await sqlite.health();
  if (fault) {
    await sqlite.close();
    throw fault;
  }
  // Recordings are kept only with STARCOACH_KEEP_AUDIO=1; deleting gradings (one, or all) deletes
  // any kept recordings with them, also those kept by an earlier run with the setting on.
  const archive = openAudioArchive(audioDirFor(config.dbFile));
  const store = withAudioCleanup(sqlite, archive);
  const grader = await createGrader(config);
  const analysis = analysisPoolFor(config);
  const grading = createGradingService({ store, stories, grader, length: config.length, prices: config.llm?.prices ?? null, analyze: analysis.analyze });
  const rewrite = createRewriteService({ store, rewriter: await createRewriter(config), length: config.length });
  const reliability = reliabilityDeps(config);
  const batches = createLocalBatchJobs({ store: batchStore, grading, slot: batchSlot(reliability.gate) });
  const spoken = createSpokenGrading({ grading, transcriber: transcriberFromConfig(config), archive: config.keepAudio ? archive : null });
  return { ...reliability, store, stories, coverageTarget: config.coverageTarget, grading, rewrite, docsAsset, batches, spoken, doctor: () => runDoctor(config), analysis };
}
