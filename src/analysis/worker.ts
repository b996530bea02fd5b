/**
 * Entry of an analysis worker thread: the core's analyze() behind the pool's message protocol.
 * Built as dist/analysis-worker.js beside dist/cli.js (scripts/build.ts); from source the pool
 * starts this file through tsx.
 */
import { analyze } from "../core/analyze.js";
import { serveAnalysis } from "./thread.js";

serveAnalysis(analyze);
