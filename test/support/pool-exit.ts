/**
 * Run as its own process by test/analysis-pool.test.ts: starts a pool, asks for one analysis without
 * awaiting it and never calls close(). The process must stay up until the answer comes back (a busy
 * thread holds it open) and then exit by itself (an idle thread does not).
 */
import { createAnalysisPool } from "../../src/analysis/pool.js";
import { DEFAULT_LENGTH } from "../../src/core/analyze.js";

export const POOL_EXIT_ANSWER = "I owned the outage review. I rewrote the alerting, and pages fell by 40%.";

if (import.meta.url === `file://${process.argv[1]}`) {
  const pool = createAnalysisPool(2);
  void pool.analyze(POOL_EXIT_ANSWER, DEFAULT_LENGTH).then((a) => console.log(JSON.stringify({ words: a.words, threads: pool.threads })));
}
