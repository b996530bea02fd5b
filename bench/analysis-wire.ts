/**
 * What it costs to send one Analysis between threads (src/analysis/wire.ts), on ~300-word answers:
 * structured clone of the whole object against the compact form (tokens as one Int32Array and a
 * string table), in bytes and in microseconds on each side. Run: npx tsx bench/analysis-wire.ts
 */
import { deserialize, serialize } from "node:v8";
import { decodeAnalysis, encodeAnalysis } from "../src/analysis/wire.js";
import { analyze } from "../src/core/analyze.js";
import { SAMPLE_ANSWER } from "../test/support/app.js";

const answers = Array.from({ length: 50 }, (_, i) => `${SAMPLE_ANSWER} ${SAMPLE_ANSWER.replace(/\d+/g, (n) => String(Number(n) + i))}`.split(/\s+/).slice(0, 300).join(" "));
const analyses = answers.map((a) => analyze(a));

/** Mean µs per analysis of `fn` over `rounds` passes through all answers, after one pass of warm-up. */
function perAnswer<T>(inputs: T[], fn: (x: T) => unknown, rounds = 40): number {
  for (const x of inputs) fn(x);
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const x of inputs) fn(x);
  return ((performance.now() - started) / (rounds * inputs.length)) * 1000;
}

const full = analyses.map((a) => serialize(a));
const compact = analyses.map((a) => serialize(encodeAnalysis(a)));
const kb = (bufs: Buffer[]) => (bufs.reduce((n, b) => n + b.length, 0) / bufs.length / 1024).toFixed(1);
const row = (name: string, bytes: string, send: number, receive: number) => console.log(`${name.padEnd(22)} ${bytes.padStart(6)} KB   sender ${send.toFixed(0).padStart(4)} µs   receiver ${receive.toFixed(0).padStart(4)} µs`);
console.log(`Analysis of ${analyses[0]!.words}-word answers, mean per answer (sender: the worker thread; receiver: the event loop):`);
row("structured clone", kb(full), perAnswer(analyses, (a) => serialize(a)), perAnswer(full, (b) => deserialize(b)));
row("compact (wire.ts)", kb(compact), perAnswer(analyses, (a) => serialize(encodeAnalysis(a))), perAnswer(compact, (b) => decodeAnalysis(deserialize(b))));
