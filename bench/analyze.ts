/**
 * Deterministic analysis throughput on ~300-word answers, on one core (this process).
 * Run: npm run bench
 */
import { analyze } from "../src/core/analyze.js";
import { SAMPLE_ANSWER } from "../test/support/app.js";

// ~300 words: the sample story twice over with varied numbers, so no two inputs are identical.
const answers = Array.from({ length: 200 }, (_, i) =>
  `${SAMPLE_ANSWER} ${SAMPLE_ANSWER.replace(/\d+/g, (n) => String(Number(n) + i))}`.split(/\s+/).slice(0, 300).join(" "),
);
const words = analyze(answers[0]!).words;

function run(ms: number): { count: number; elapsed: number } {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < ms) {
    for (const answer of answers) analyze(answer);
    count += answers.length;
  }
  return { count, elapsed: performance.now() - start };
}

run(500); // warm-up (JIT)
const { count, elapsed } = run(3_000);
const perSecond = Math.round((count / elapsed) * 1000);
console.log(`analyze(): ${count} answers of ${words} words in ${(elapsed / 1000).toFixed(2)} s → ${perSecond.toLocaleString("en-US")} answers/s on one core (${((elapsed * 1000) / count).toFixed(1)} µs each; goal ≥ 10,000/s)`);
