/**
 * An analysis worker for test/analysis-pool.test.ts: the real analysis behind the real protocol,
 * except that the answer "crash" ends the thread (as a fatal fault would) and "throw" throws.
 */
import { serveAnalysis } from "../../src/analysis/thread.js";
import { analyze } from "../../src/core/analyze.js";

serveAnalysis((answer, length) => {
  if (answer === "crash") process.exit(3);
  if (answer === "throw") throw new RangeError("this answer cannot be analysed");
  return analyze(answer, length);
});
