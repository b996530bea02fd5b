/**
 * The rule-based rewrite over the gold answers: how often the invention check had to correct it
 * (it should never need to), the placeholders it writes, its length and its time per answer.
 * Run: npm run bench:rewrite
 */
import { readFileSync } from "node:fs";
import { DEFAULT_LENGTH } from "../src/core/analyze.js";
import { createOfflineGrader } from "../src/grader/offline-grader.js";
import { createOfflineRewriter } from "../src/grader/rewrite-offline.js";
import { createGradingService } from "../src/grading.js";
import { createRewriteService } from "../src/rewrite.js";
import { openSqliteStore } from "../src/store/sqlite.js";

const FILES = ["data/gold/answers.jsonl", "data/gold/holdout.jsonl", "data/gold/holdout-2.jsonl"];
const store = openSqliteStore(":memory:");
const grading = createGradingService({ store, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
const rewriting = createRewriteService({ store, rewriter: createOfflineRewriter(), length: DEFAULT_LENGTH });

const rows = FILES.flatMap((file) => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { answer: string; principle: string; question?: string }));
const gradings = await Promise.all(rows.map((r) => grading.grade({ answer: r.answer, principle: r.principle, question: r.question ?? null })));
for (const f of gradings.slice(0, 5)) await rewriting.rewriteFeedback(f); // warm-up

let dropped = 0, figures = 0, over = 0, words = 0, originalWords = 0, ms = 0;
const placeholders = new Map<string, number>();
for (const f of gradings) {
  const started = performance.now();
  const r = await rewriting.rewriteFeedback(f);
  ms += performance.now() - started;
  dropped += r.dropped;
  figures += r.meta.figuresReplaced;
  words += r.length.words;
  originalWords += f.length.words;
  if (r.length.speakingSeconds > DEFAULT_LENGTH.maxSeconds) over++;
  for (const p of r.placeholders) placeholders.set(p, (placeholders.get(p) ?? 0) + 1);
}
const n = gradings.length;
console.log(`offline rewrite of ${n} gold answers: ${dropped} sentences dropped and ${figures} figures replaced by the check; ${over} over ${DEFAULT_LENGTH.maxSeconds} s`);
console.log(`mean length ${Math.round(words / n)} words (originals ${Math.round(originalWords / n)}); mean ${(ms / n).toFixed(1)} ms per rewrite on one core`);
for (const [p, count] of [...placeholders].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(3)} × ${p}`);
