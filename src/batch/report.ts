/**
 * The batch report: one self-contained HTML file (inline CSS and SVG, no scripts, no external
 * assets). Results are folded into running aggregates as they stream from the store, so the report
 * of a large job needs little memory; only the answers compared for duplicate stories are held.
 * Every piece of user text goes through esc().
 */
import { createHash } from "node:crypto";
import type { Feedback } from "../core/feedback.js";
import { PRINCIPLES } from "../core/principles.js";
import { STAR_PARTS } from "../core/star-split.js";
import type { BatchJob, BatchStore } from "../store/batch-types.js";
import { finishedResults } from "./output.js";
import { DUPLICATE_THRESHOLD, similarPairs, type SimilarPair } from "./similarity.js";

/** Answers compared for duplicate stories (the first ones in input order). */
export const MAX_DUPLICATE_DOCS = 5_000;
const WEAKEST = 8;
const LISTED = 25;

export function esc(text: unknown): string {
  return String(text ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

const DIMENSIONS = [...STAR_PARTS, "principleFit"] as const;
type Dimension = (typeof DIMENSIONS)[number];
const LABEL: Record<Dimension, string> = { situation: "Situation", task: "Task", action: "Action", result: "Result", principleFit: "Principle fit" };
const SCORE_COLORS = ["#c0392b", "#e67e22", "#f1c40f", "#7dbb42", "#27864a"];

interface Brief {
  id: string;
  principleId: string;
  principleName: string;
  score: number;
  band: string;
  parts: Record<Dimension, number>;
  improvement: string;
}

interface Coverage {
  answers: number;
  best: Brief | null;
  /** Answers for other principles whose model grading names this one as a better fit. */
  suggested: number;
}

export interface ReportData {
  job: BatchJob;
  generatedAt: string;
  graded: number;
  failed: number;
  overallSum: number;
  overallBins: number[];
  bands: Record<string, number>;
  partCounts: Record<Dimension, number[]>;
  coverage: Map<string, Coverage>;
  weakest: Brief[];
  ownership: Record<Feedback["ownership"]["verdict"], number>;
  iRatioSum: number;
  iRatioN: number;
  weInAction: Array<{ id: string; ratio: number }>;
  lengths: Record<Feedback["length"]["verdict"], number>;
  secondsBins: number[];
  outOfRange: Array<{ id: string; seconds: number; verdict: string }>;
  duplicates: Array<SimilarPair & { left: Brief; right: Brief }>;
  duplicatesCompared: number;
  errors: Array<{ id: string; code: string; message: string }>;
  errorCount: number;
  target: { min: number; max: number } | null;
}

const SECONDS_BIN = 15;
const SECONDS_BINS = 17; // 0–255 s, the last bin holds everything longer

function brief(id: string, f: Feedback): Brief {
  return {
    id,
    principleId: f.principle.id,
    principleName: f.principle.name,
    score: f.overall.score,
    band: f.overall.band,
    parts: { situation: f.star.situation.score, task: f.star.task.score, action: f.star.action.score, result: f.star.result.score, principleFit: f.principleFit.score },
    improvement: f.improvements[0] ?? "",
  };
}

export async function collectReportData(batches: BatchStore, jobId: string): Promise<ReportData> {
  const job = await batches.getJob(jobId);
  if (!job) throw new Error(`no batch job ${jobId}`);
  const d: ReportData = {
    job,
    generatedAt: new Date().toISOString(),
    graded: 0,
    failed: 0,
    overallSum: 0,
    overallBins: Array(10).fill(0),
    bands: { weak: 0, developing: 0, solid: 0, strong: 0 },
    partCounts: Object.fromEntries(DIMENSIONS.map((p) => [p, [0, 0, 0, 0, 0]])) as Record<Dimension, number[]>,
    coverage: new Map(PRINCIPLES.map((p) => [p.id, { answers: 0, best: null, suggested: 0 }])),
    weakest: [],
    ownership: { strong: 0, mixed: 0, weak: 0, unclear: 0 },
    iRatioSum: 0,
    iRatioN: 0,
    weInAction: [],
    lengths: { too_short: 0, ok: 0, too_long: 0 },
    secondsBins: Array(SECONDS_BINS).fill(0),
    outOfRange: [],
    duplicates: [],
    duplicatesCompared: 0,
    errors: [],
    errorCount: 0,
    target: null,
  };
  const docs: Array<{ key: number; text: string }> = [];
  const briefs: Brief[] = [];

  for await (const r of finishedResults(batches, jobId)) {
    if (r.status !== "done" || !r.feedback) {
      d.failed++;
      if (d.errors.length < 200) d.errors.push({ id: r.rowId, code: r.error?.code ?? "unknown", message: r.error?.message ?? "" });
      continue;
    }
    const f = r.feedback;
    const b = brief(r.rowId, f);
    d.graded++;
    d.overallSum += b.score;
    d.overallBins[Math.min(9, Math.floor(b.score / 10))]!++;
    d.bands[b.band] = (d.bands[b.band] ?? 0) + 1;
    for (const p of DIMENSIONS) d.partCounts[p][b.parts[p]]!++;
    const cov = d.coverage.get(b.principleId);
    if (cov) {
      cov.answers++;
      if (!cov.best || b.score > cov.best.score) cov.best = b;
    }
    for (const other of f.principleFit.betterFits) {
      const c = d.coverage.get(other);
      if (c) c.suggested++;
    }
    d.weakest.push(b);
    if (d.weakest.length > WEAKEST * 4) d.weakest = d.weakest.sort((x, y) => x.score - y.score).slice(0, WEAKEST);
    d.ownership[f.ownership.verdict]++;
    if (f.ownership.iRatio !== null) {
      d.iRatioSum += f.ownership.iRatio;
      d.iRatioN++;
    }
    if (f.ownership.actionIRatio !== null && f.ownership.actionIRatio < 0.5) d.weInAction.push({ id: r.rowId, ratio: f.ownership.actionIRatio });
    d.lengths[f.length.verdict]++;
    d.target ??= f.length.targetSeconds;
    d.secondsBins[Math.min(SECONDS_BINS - 1, Math.floor(f.length.speakingSeconds / SECONDS_BIN))]!++;
    if (f.length.verdict !== "ok") d.outOfRange.push({ id: r.rowId, seconds: f.length.speakingSeconds, verdict: f.length.verdict });
    if (docs.length < MAX_DUPLICATE_DOCS) {
      docs.push({ key: briefs.length, text: f.answer });
      briefs.push(b);
    }
  }
  d.weakest = d.weakest.sort((x, y) => x.score - y.score).slice(0, WEAKEST);
  d.duplicatesCompared = docs.length;
  d.duplicates = similarPairs(docs).map((p) => ({ ...p, left: briefs[p.a]!, right: briefs[p.b]! }));
  d.errorCount = d.failed;
  return d;
}

// ---------------------------------------------------------------- rendering

const pct = (n: number, total: number) => (total ? `${Math.round((n / total) * 100)}%` : "–");

function stackedBar(counts: number[], width = 420, height = 22): string {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return `<svg width="${width}" height="${height}" role="img" aria-label="no data"></svg>`;
  let x = 0;
  const rects = counts
    .map((c, score) => {
      const w = (c / total) * width;
      const rect = c
        ? `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="${height}" fill="${SCORE_COLORS[score]}"><title>score ${score}: ${c} (${pct(c, total)})</title></rect>` +
          (w > 22 ? `<text x="${(x + w / 2).toFixed(1)}" y="${height / 2 + 4}" text-anchor="middle" class="bar-label">${c}</text>` : "")
        : "";
      x += w;
      return rect;
    })
    .join("");
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${counts.map((c, s) => `score ${s}: ${c}`).join(", ")}">${rects}</svg>`;
}

function histogram(bins: number[], labels: string[], opts: { highlight?: (i: number) => boolean; width?: number; height?: number } = {}): string {
  const width = opts.width ?? 520;
  const height = opts.height ?? 140;
  const max = Math.max(1, ...bins);
  const bw = width / bins.length;
  const bars = bins
    .map((c, i) => {
      const h = (c / max) * (height - 30);
      const fill = opts.highlight?.(i) ? "#2f6fb0" : "#9bb7d4";
      return `<rect x="${(i * bw + 2).toFixed(1)}" y="${(height - 18 - h).toFixed(1)}" width="${(bw - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"><title>${esc(labels[i])}: ${c}</title></rect>` +
        (c ? `<text x="${(i * bw + bw / 2).toFixed(1)}" y="${(height - 22 - h).toFixed(1)}" text-anchor="middle" class="small">${c}</text>` : "") +
        `<text x="${(i * bw + bw / 2).toFixed(1)}" y="${height - 4}" text-anchor="middle" class="small">${esc(labels[i])}</text>`;
    })
    .join("");
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="histogram">${bars}</svg>`;
}

function scoreCell(score: number | null, max = 4): string {
  if (score === null) return `<td class="cell none">–</td>`;
  const level = max === 4 ? score : Math.min(4, Math.floor(score / 20));
  return `<td class="cell" style="background:${SCORE_COLORS[level]}">${score}</td>`;
}

function coverageStatus(c: Coverage): { label: string; cls: string } {
  if (!c.answers || !c.best) return { label: "missing", cls: "missing" };
  if (c.best.score >= 80 && c.best.parts.principleFit >= 3) return { label: "strong", cls: "strong" };
  if (c.best.score >= 60 && c.best.parts.principleFit >= 2) return { label: "covered", cls: "covered" };
  return { label: "weak", cls: "weak" };
}

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2733;margin:0;background:#f6f7f9}
main{max-width:1060px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid #dde3ea;padding-bottom:4px}
.meta{color:#5b6b7c;font-size:13px}.small{font-size:11px;fill:#334}.bar-label{font-size:11px;fill:#fff;font-weight:600}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;background:#fff;width:100%;margin:8px 0}th,td{border:1px solid #dde3ea;padding:5px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#eef2f6}td.cell{text-align:center;color:#fff;font-weight:600;width:44px}td.none{color:#99a;background:#f1f1f1;font-weight:400}
.status{font-weight:600;text-transform:uppercase;font-size:12px}.strong{color:#27864a}.covered{color:#5c8f2a}.weak{color:#c46a00}.missing{color:#b03a2e}
.legend span{display:inline-block;padding:1px 8px;margin-right:4px;color:#fff;border-radius:3px;font-size:12px}
.note{color:#5b6b7c;font-size:13px}.parts td:first-child{width:110px}
`;

/**
 * The CSP source that allows the report's one inline stylesheet when it is served over HTTP (the
 * app's policy allows no inline <style> otherwise). A hash, not a nonce: the stylesheet never
 * changes, and the file written by `--report` stays a plain standalone page.
 */
export const REPORT_STYLE_SOURCE = `'sha256-${createHash("sha256").update(CSS).digest("base64")}'`;

export function renderReport(d: ReportData): string {
  const total = d.graded + d.failed;
  const mean = d.graded ? Math.round(d.overallSum / d.graded) : null;
  const covered = [...d.coverage.values()].filter((c) => c.answers > 0).length;
  const missing = PRINCIPLES.filter((p) => !d.coverage.get(p.id)?.answers);
  const legend = `<p class="legend">${SCORE_COLORS.map((c, s) => `<span style="background:${c}">${s}</span>`).join("")} part scores 0–4 (overall 0–100 coloured in steps of 20)</p>`;

  const parts = DIMENSIONS.map((p) => {
    const counts = d.partCounts[p];
    const n = counts.reduce((a, b) => a + b, 0);
    const avg = n ? (counts.reduce((a, c, s) => a + c * s, 0) / n).toFixed(2) : "–";
    return `<tr><td>${LABEL[p]}</td><td>${stackedBar(counts)}</td><td>mean ${avg}</td></tr>`;
  }).join("");

  const matrix = PRINCIPLES.map((p) => {
    const c = d.coverage.get(p.id)!;
    const s = coverageStatus(c);
    const best = c.best;
    return `<tr><td>${esc(p.name)}</td><td>${c.answers}</td>${scoreCell(best?.score ?? null, 100)}${DIMENSIONS.map((dim) => scoreCell(best ? best.parts[dim] : null)).join("")}<td>${best ? esc(best.id) : ""}</td><td>${c.suggested || ""}</td><td class="status ${s.cls}">${s.label}</td></tr>`;
  }).join("");

  const dupRows = d.duplicates
    .slice(0, 50)
    .map(
      (p) =>
        `<tr><td>${esc(p.left.id)}<br><span class="note">${esc(p.left.principleName)}</span></td><td>${esc(p.right.id)}<br><span class="note">${esc(p.right.principleName)}</span></td>` +
        `<td>${Math.round(p.similarity * 100)}%</td><td>${p.left.principleId === p.right.principleId ? "same principle" : "different principles"}</td><td>${p.shared.map(esc).join(", ")}</td></tr>`,
    )
    .join("");

  const weakest = d.weakest
    .map((b) => `<tr><td>${esc(b.id)}</td><td>${esc(b.principleName)}</td>${scoreCell(b.score, 100)}<td>${esc(b.band)}</td><td>${esc(b.improvement)}</td></tr>`)
    .join("");

  const secondsLabels = d.secondsBins.map((_, i) => (i === SECONDS_BINS - 1 ? `${i * SECONDS_BIN}+` : `${i * SECONDS_BIN}`));
  const target = d.target ?? { min: 60, max: 120 };
  const list = (items: string[]) => (items.length > LISTED ? `${items.slice(0, LISTED).join(", ")}, … (${items.length - LISTED} more)` : items.join(", "));

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>starcoach batch report ${esc(d.job.id)}</title><style>${CSS}</style></head>
<body><main>
<h1>Batch report</h1>
<p class="meta">Job ${esc(d.job.id)} · ${esc(d.job.mode === "llm" ? `model ${d.job.model ?? ""}` : "offline (rule-based) grading")} · prompt ${esc(d.job.promptVersion)} · generated ${esc(d.generatedAt)}</p>
<div class="cards">
<div class="card"><b>${d.graded}</b>graded of ${total}</div>
<div class="card"><b>${d.failed}</b>failed rows</div>
<div class="card"><b>${mean ?? "–"}</b>mean overall score</div>
<div class="card"><b>${covered}/16</b>principles covered</div>
<div class="card"><b>${d.duplicates.length}</b>possible duplicate stories</div>
</div>
<p>Bands: ${Object.entries(d.bands).map(([b, n]) => `${esc(b)} ${n}`).join(" · ")}</p>

<h2 id="distribution">Score distribution per STAR part</h2>
${legend}
<table class="parts"><tbody>${parts}</tbody></table>
<p>Overall scores (0–100):</p>
${histogram(d.overallBins, d.overallBins.map((_, i) => `${i * 10}`))}

<h2 id="coverage">Coverage of the 16 Leadership Principles</h2>
<p>${covered} of 16 principles have at least one answer.${missing.length ? ` Missing: ${missing.map((p) => esc(p.name)).join(", ")}.` : ""} Scores are those of the best answer for each principle. "Suggested by" counts answers for other principles whose grading names this principle as a better fit.</p>
<table id="coverage-matrix"><thead><tr><th>Principle</th><th>Answers</th><th>Best</th>${DIMENSIONS.map((p) => `<th>${LABEL[p].slice(0, 3)}</th>`).join("")}<th>Best answer</th><th>Suggested by</th><th>Status</th></tr></thead><tbody>${matrix}</tbody></table>

<h2 id="duplicates">Duplicate stories</h2>
<p class="note">Prepare one story per principle. Pairs of answers whose text similarity (TF-IDF cosine over content words, computed by code) is at least ${Math.round(DUPLICATE_THRESHOLD * 100)}%, among the first ${d.duplicatesCompared} graded answers.</p>
${d.duplicates.length ? `<table id="duplicate-pairs"><thead><tr><th>Answer</th><th>Similar answer</th><th>Similarity</th><th></th><th>Shared terms</th></tr></thead><tbody>${dupRows}</tbody></table>` : "<p>No two answers tell the same story.</p>"}

<h2 id="weakest">Weakest answers</h2>
<table><thead><tr><th>Answer</th><th>Principle</th><th>Score</th><th>Band</th><th>Top improvement</th></tr></thead><tbody>${weakest}</tbody></table>

<h2 id="ownership">"I" and "we"</h2>
<p>Ownership verdicts: ${Object.entries(d.ownership).map(([v, n]) => `${esc(v)} ${n}`).join(" · ")}. Mean I-ratio: ${d.iRatioN ? `${Math.round((d.iRatioSum / d.iRatioN) * 100)}%` : "–"}.</p>
<p>${d.weInAction.length ? `Answers where "we" outnumbers "I" in the Action part (say what you did): ${esc(list(d.weInAction.map((w) => `${w.id} (${Math.round(w.ratio * 100)}%)`)))}` : `No answer has "we" outnumbering "I" in the Action part.`}</p>

<h2 id="length">Length</h2>
<p>Speaking time at the configured rate: ${d.lengths.ok} within ${target.min}–${target.max} s, ${d.lengths.too_short} too short, ${d.lengths.too_long} too long.</p>
${histogram(d.secondsBins, secondsLabels, { highlight: (i) => i * SECONDS_BIN >= target.min && i * SECONDS_BIN < target.max })}
${d.outOfRange.length ? `<p>Out of range: ${esc(list(d.outOfRange.map((o) => `${o.id} (${o.seconds} s, ${o.verdict.replace("_", " ")})`)))}</p>` : ""}

<h2 id="errors">Rows not graded</h2>
${d.errors.length ? `<table><thead><tr><th>Id</th><th>Code</th><th>Message</th></tr></thead><tbody>${d.errors.map((e) => `<tr><td>${esc(e.id)}</td><td>${esc(e.code)}</td><td>${esc(e.message)}</td></tr>`).join("")}</tbody></table>${d.errorCount > d.errors.length ? `<p class="note">First ${d.errors.length} of ${d.errorCount} shown.</p>` : ""}` : "<p>Every row was graded.</p>"}
</main></body></html>
`;
}

export async function buildReport(batches: BatchStore, jobId: string): Promise<string> {
  return renderReport(await collectReportData(batches, jobId));
}
