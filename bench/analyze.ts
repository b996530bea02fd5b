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

/** Wall time, and this process's CPU time: on a shared machine the CPU rate is what one free core gives. */
function run(ms: number): { count: number; elapsed: number; cpu: number } {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let count = 0;
  while (performance.now() - start < ms) {
    for (const answer of answers) analyze(answer);
    count += answers.length;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { count, elapsed: performance.now() - start, cpu: (cpu.user + cpu.system) / 1000 };
}

/** Answers per wall-clock second and per CPU-second over `ms` of analysis, after a warm-up. */
export function measureAnalysis(ms = 5_000): { perSecond: number; perCpuSecond: number; words: number } {
  run(1_000); // warm-up (JIT; the first call also loads the NLP model)
  const { count, elapsed, cpu } = run(ms);
  return { perSecond: (count / elapsed) * 1000, perCpuSecond: (count / cpu) * 1000, words };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { perSecond, perCpuSecond } = measureAnalysis();
  const rate = (n: number) => Math.round(n).toLocaleString("en-US");
  console.log(`analyze(): answers of ${words} words → ${rate(perSecond)} answers/s wall clock, ${rate(perCpuSecond)} answers per CPU-second on one core (${(1e6 / perCpuSecond).toFixed(1)} µs CPU each; goal ≥ 1,000/s)`);
}
