/**
 * The batch report: one self-contained HTML file (inline CSS and SVG, no scripts, no external
 * assets). Results are folded into running aggregates as they stream from the store, so the report
 * of a large job needs little memory; only the answers compared for duplicate stories are held.
 * Every piece of user text goes through esc(). Answers are named by their opening words and
 * question, and each links to its full feedback further down (report-answer.ts).
 */
import { createHash } from "node:crypto";
import type { Feedback } from "../core/feedback.js";
import { addCost, describeCost, emptyCostTotal, type CostTotal } from "../core/cost.js";
import { PRINCIPLES } from "../core/principles.js";
import { SCORE_DIMENSIONS, type ScoreDimension } from "../core/star-parts.js";
import type { BatchJob, BatchStore } from "../store/batch-types.js";
import { finishedResults } from "./output.js";
import { answerDetails, answerName, esc, openingWords, scoreBadge, type AnswerName } from "./report-answer.js";
import { DUPLICATE_THRESHOLD, similarPairs, type SimilarPair } from "./similarity.js";

/** Answers compared for duplicate stories (the first ones in input order). */
export const MAX_DUPLICATE_DOCS = 5_000;
/** Up to this many graded answers, the report holds every answer's feedback; above, the ones it names. */
export const MAX_DETAILED = 500;
const WEAKEST = 8;
const LISTED = 25;

export { esc };

const DIMENSIONS = SCORE_DIMENSIONS;
type Dimension = ScoreDimension;
const LABEL: Record<Dimension, string> = { situation: "Situation", task: "Task", action: "Action", result: "Result", principleFit: "Principle fit" };

interface Brief extends AnswerName {
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

/** A count, and the first few answers it counts (a large job keeps only those in memory). */
interface Listed<T> {
  count: number;
  first: T[];
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
  weInAction: Listed<{ answer: Brief; ratio: number }>;
  lengths: Record<Feedback["length"]["verdict"], number>;
  secondsBins: number[];
  outOfRange: Listed<{ answer: Brief; seconds: number; verdict: Feedback["length"]["verdict"] }>;
  duplicates: Array<SimilarPair & { left: Brief; right: Brief }>;
  duplicatesCompared: number;
  errors: Array<{ id: string; code: string; message: string }>;
  errorCount: number;
  errorCodes: Record<string, number>;
  target: { min: number; max: number } | null;
  cost: CostTotal;
}

const SECONDS_BIN = 15;
const SECONDS_BINS = 17; // 0–255 s, the last bin holds everything longer

function brief(ordinal: number, id: string, f: Feedback): Brief {
  return {
    ordinal,
    id,
    question: f.question,
    opening: openingWords(f.answer),
    principleId: f.principle.id,
    principleName: f.principle.name,
    score: f.overall.score,
    band: f.overall.band,
    parts: { situation: f.star.situation.score, task: f.star.task.score, action: f.star.action.score, result: f.star.result.score, principleFit: f.principleFit.score },
    improvement: f.improvements[0] ?? "",
  };
}

function note<T>(listed: Listed<T>, item: T): void {
  listed.count++;
  if (listed.first.length < LISTED) listed.first.push(item);
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
    weInAction: { count: 0, first: [] },
    lengths: { too_short: 0, ok: 0, too_long: 0 },
    secondsBins: Array(SECONDS_BINS).fill(0),
    outOfRange: { count: 0, first: [] },
    duplicates: [],
    duplicatesCompared: 0,
    errors: [],
    errorCount: 0,
    errorCodes: {},
    target: null,
    cost: emptyCostTotal(),
  };
  const docs: Array<{ key: number; text: string }> = [];
  const briefs: Brief[] = [];

  for await (const r of finishedResults(batches, jobId)) {
    if (r.status !== "done" || !r.feedback) {
      d.failed++;
      const code = r.error?.code ?? "unknown";
      d.errorCodes[code] = (d.errorCodes[code] ?? 0) + 1;
      if (d.errors.length < 200) d.errors.push({ id: r.rowId, code, message: r.error?.message ?? "" });
      continue;
    }
    const f = r.feedback;
    const b = brief(r.ordinal, r.rowId, f);
    d.graded++;
    addCost(d.cost, f.meta);
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
    if (f.ownership.actionIRatio !== null && f.ownership.actionIRatio < 0.5) note(d.weInAction, { answer: b, ratio: f.ownership.actionIRatio });
    d.lengths[f.length.verdict]++;
    d.target ??= f.length.targetSeconds;
    d.secondsBins[Math.min(SECONDS_BINS - 1, Math.floor(f.length.speakingSeconds / SECONDS_BIN))]!++;
    if (f.length.verdict !== "ok") note(d.outOfRange, { answer: b, seconds: f.length.speakingSeconds, verdict: f.length.verdict });
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

/** The answers the report names somewhere (their feedback is always included). */
function namedAnswers(d: ReportData): Set<number> {
  const named = new Set<number>();
  for (const c of d.coverage.values()) if (c.best) named.add(c.best.ordinal);
  for (const b of d.weakest) named.add(b.ordinal);
  for (const p of d.duplicates.slice(0, 50)) named.add(p.left.ordinal).add(p.right.ordinal);
  for (const w of d.weInAction.first) named.add(w.answer.ordinal);
  for (const o of d.outOfRange.first) named.add(o.answer.ordinal);
  return named;
}

/**
 * The full feedback of every answer (or, for a large job, of the answers the report names), in
 * input order: a second pass over the results, so memory stays bounded.
 */
export async function collectAnswerDetails(batches: BatchStore, d: ReportData): Promise<Map<number, string>> {
  const all = d.graded <= MAX_DETAILED;
  const named = namedAnswers(d);
  const details = new Map<number, string>();
  for await (const r of finishedResults(batches, d.job.id)) {
    if (r.status !== "done" || !r.feedback || !(all || named.has(r.ordinal))) continue;
    details.set(r.ordinal, answerDetails({ ordinal: r.ordinal, id: r.rowId, question: r.feedback.question, opening: openingWords(r.feedback.answer) }, r.feedback));
  }
  return details;
}

// ---------------------------------------------------------------- rendering

const pct = (n: number, total: number) => (total ? `${Math.round((n / total) * 100)}%` : "–");
const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}`;

/** Score colours 0–4 with the text colour each needs for 4.5:1 contrast (dark on the light ones). */
const SCORE_FILL = ["#b42318", "#b54708", "#fde68a", "#bbf7d0", "#166534"];
const SCORE_TEXT = ["#ffffff", "#ffffff", "#1d2733", "#1d2733", "#ffffff"];

function stackedBar(counts: number[], width = 420, height = 22): string {
  const total = counts.reduce((a, b) => a + b, 0);
  const label = counts.map((c, s) => `score ${s}: ${c}`).join(", ");
  if (!total) return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="no data"></svg>`;
  let x = 0;
  const rects = counts
    .map((c, score) => {
      const w = (c / total) * width;
      const rect = c
        ? `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="${height}" fill="${SCORE_FILL[score]}"><title>score ${score}: ${c} (${pct(c, total)})</title></rect>` +
          (w > 22 ? `<text x="${(x + w / 2).toFixed(1)}" y="${height / 2 + 4}" text-anchor="middle" class="bar-label" fill="${SCORE_TEXT[score]}">${c}</text>` : "")
        : "";
      x += w;
      return rect;
    })
    .join("");
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}">${rects}</svg>`;
}

function histogram(bins: number[], labels: string[], description: string, opts: { highlight?: (i: number) => boolean; width?: number; height?: number } = {}): string {
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
  const spoken = bins.map((c, i) => `${labels[i]}: ${c}`).join(", ");
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(`${description}: ${spoken}`)}">${bars}</svg>`;
}

function scoreCell(score: number, max: 4 | 100, label: string): string {
  return `<td class="cell" data-label="${label}">${scoreBadge(score, max)}</td>`;
}

/** How ready a principle is, from its best answer. Words unlike the score bands, so the two never clash. */
const COVERAGE_STATUS = {
  ready: "its best answer scores 80 or more and fits the principle well (fit 3 or 4).",
  usable: "its best answer scores 60–79, or fits the principle only partly (fit 2).",
  "needs work": "its best answer scores under 60, or hardly shows the principle (fit 0 or 1).",
  missing: "no answer targets it.",
} as const;
type CoverageStatus = keyof typeof COVERAGE_STATUS;

function coverageStatus(c: Coverage): CoverageStatus {
  if (!c.answers || !c.best) return "missing";
  if (c.best.score >= 80 && c.best.parts.principleFit >= 3) return "ready";
  if (c.best.score >= 60 && c.best.parts.principleFit >= 2) return "usable";
  return "needs work";
}

const statusClass = (s: CoverageStatus) => `st-${s.replace(" ", "-")}`;

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2733;margin:0;background:#f6f7f9}
main{max-width:1060px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid #dde3ea;padding-bottom:4px}h4{margin:12px 0 4px}
a{color:#1d4ed8}.meta,.note{color:#4b5868;font-size:13px}.small{font-size:11px;fill:#334}.bar-label{font-size:11px;font-weight:600}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:12px;margin:16px 0}.card{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px}
.toc{display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;list-style:none;font-size:14px}
table{border-collapse:collapse;background:#fff;width:100%;margin:8px 0}th,td{border:1px solid #dde3ea;padding:5px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#eef2f6}td.cell{text-align:center;width:60px}td.best{min-width:14em}.none{color:#4b5868}
.badge{display:inline-block;min-width:2.2em;padding:1px 6px;border-radius:4px;font-weight:600;text-align:center}
.s0{background:#b42318;color:#fff}.s1{background:#b54708;color:#fff}.s2{background:#fde68a;color:#1d2733}.s3{background:#bbf7d0;color:#1d2733}.s4{background:#166534;color:#fff}
.status{font-weight:600}.st-ready{color:#166534}.st-usable{color:#3f6212}.st-needs-work{color:#9a3412}.st-missing{color:#b42318}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px;font-size:13px}
svg.chart{display:block;width:100%;max-width:520px;height:auto}
.parts td:first-child{width:110px}
details.answer{background:#fff;border:1px solid #dde3ea;border-radius:8px;margin:6px 0;padding:6px 10px}
details.answer summary{cursor:pointer}.answer-body{scroll-margin-top:4em}
blockquote{margin:8px 0;padding:6px 12px;border-left:3px solid #dde3ea;white-space:pre-wrap;overflow-wrap:anywhere}
ol.next li{margin-bottom:6px}
@media (max-width:600px){
main{padding:12px}
table.stack,table.stack tbody,table.stack tr,table.stack th[scope=row],table.stack td{display:block;width:auto}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack tr{border:1px solid #dde3ea;border-radius:6px;margin:8px 0;padding:4px 8px;background:#fff}
table.stack th[scope=row],table.stack td{border:0;padding:3px 0;text-align:left;background:none}
table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#4b5868}
}
`;

/**
 * The CSP source that allows the report's one inline stylesheet when it is served over HTTP (the
 * app's policy allows no inline <style> otherwise). A hash, not a nonce: the stylesheet never
 * changes, and the file written by `--report` stays a plain standalone page.
 */
export const REPORT_STYLE_SOURCE = `'sha256-${createHash("sha256").update(CSS).digest("base64")}'`;

/** "a, b, c, … (12 more)" for the listed items of a count. */
function listed<T>(l: Listed<T>, show: (item: T) => string): string {
  const more = l.count - l.first.length;
  return `<ul>${l.first.map((item) => `<li>${show(item)}</li>`).join("")}</ul>${more > 0 ? `<p class="note">and ${more} more (see the results file).</p>` : ""}`;
}

/** What to work on, most useful first, each pointing at the part of the report that shows why. */
function nextSteps(d: ReportData, name: (b: Brief) => string): string[] {
  const steps: string[] = [];
  if (d.failed) {
    const codes = Object.entries(d.errorCodes).map(([code, n]) => `${esc(code)} ×${n}`).join(", ");
    steps.push(`Fix the ${d.failed} row${d.failed === 1 ? "" : "s"} that could not be graded (${codes}) and run the file again: <a href="#errors">rows not graded</a>.`);
  }
  const missing = PRINCIPLES.filter((p) => !d.coverage.get(p.id)?.answers);
  if (missing.length) steps.push(`Prepare a story for ${missing.length === 1 ? "the principle" : `the ${missing.length} principles`} with no answer: ${missing.map((p) => esc(p.name)).join(", ")}.`);
  const needWork = PRINCIPLES.filter((p) => coverageStatus(d.coverage.get(p.id)!) === "needs work");
  if (needWork.length) steps.push(`Strengthen your best story for ${needWork.map((p) => `${esc(p.name)} (${d.coverage.get(p.id)!.best!.score})`).join(", ")}: <a href="#coverage">coverage</a>.`);
  for (const b of d.weakest.slice(0, 3).filter((w) => w.score < 60)) {
    steps.push(`Rework ${name(b)} — ${esc(b.principleName)}, ${b.score}/100${b.improvement ? `: ${esc(b.improvement)}` : "."}`);
  }
  const pairs = d.duplicates.length;
  if (pairs) steps.push(`${pairs === 1 ? "Two answers tell the same story: tell a different one in either" : `${pairs} pairs of answers tell the same story: tell a different one in one answer of each pair`}: <a href="#duplicates">duplicate stories</a>.`);
  if (d.weInAction.count) steps.push(`Say what you did, with “I”, in the Action part of ${d.weInAction.count} answer${d.weInAction.count === 1 ? "" : "s"} where “we” outnumbers “I”: <a href="#ownership">“I” and “we”</a>.`);
  const { too_long: long, too_short: short } = d.lengths;
  const target = d.target ?? { min: 60, max: 120 };
  const answers = (n: number) => `${n} answer${n === 1 ? "" : "s"}`;
  const cut = long ? `cut ${answers(long)} to under ${clock(target.max)} spoken` : "";
  const expand = short ? `expand ${answers(short)} to at least ${clock(target.min)} spoken` : "";
  if (long || short) steps.push(`${[cut, expand].filter(Boolean).join("; ").replace(/^./, (c) => c.toUpperCase())}: <a href="#length">length</a>.`);
  if (!steps.length) steps.push("Every principle has a ready answer: practise telling them aloud, and prepare for the follow-up questions in each answer's feedback.");
  return steps;
}

export function renderReport(d: ReportData, details: ReadonlyMap<number, string> = new Map()): string {
  const total = d.graded + d.failed;
  const mean = d.graded ? Math.round(d.overallSum / d.graded) : null;
  const spent = describeCost(d.cost);
  const covered = [...d.coverage.values()].filter((c) => c.answers > 0).length;
  const missing = PRINCIPLES.filter((p) => !d.coverage.get(p.id)?.answers);
  const name = (b: AnswerName, principle?: string) => answerName(b, details.has(b.ordinal), principle ? { principle } : {});
  const legend = `<ul class="legend" aria-label="Score colours">${SCORE_FILL.map((_, s) => `<li>${scoreBadge(s, 4)}</li>`).join("")}<li>part scores 0–4; overall scores 0–100 take the colour of their fifth (0–19 as 0, … 80–100 as 4)</li></ul>`;

  const parts = DIMENSIONS.map((p) => {
    const counts = d.partCounts[p];
    const n = counts.reduce((a, b) => a + b, 0);
    const avg = n ? (counts.reduce((a, c, s) => a + c * s, 0) / n).toFixed(2) : "–";
    return `<tr><th scope="row" data-label="Part">${LABEL[p]}</th><td data-label="How many answers scored 0, 1, 2, 3, 4">${stackedBar(counts)}</td><td data-label="Mean score">${avg}</td></tr>`;
  }).join("");

  const matrix = PRINCIPLES.map((p) => {
    const c = d.coverage.get(p.id)!;
    const s = coverageStatus(c);
    const best = c.best;
    const scores = best
      ? `${scoreCell(best.score, 100, "Best overall score")}${DIMENSIONS.map((dim) => scoreCell(best.parts[dim], 4, `${LABEL[dim]} (best answer)`)).join("")}<td class="best" data-label="Best answer">${name(best)}</td>`
      : `<td colspan="${DIMENSIONS.length + 2}" class="none">No answer targets this principle yet.</td>`;
    return `<tr><th scope="row" data-label="Principle">${esc(p.name)}</th><td data-label="Answers">${c.answers}</td>${scores}<td data-label="Suggested by other answers">${c.suggested}</td><td class="status ${statusClass(s)}" data-label="Status">${s}</td></tr>`;
  }).join("");

  const dupRows = d.duplicates
    .slice(0, 50)
    .map(
      (p) =>
        `<tr><td data-label="Answer">${name(p.left, p.left.principleName)}</td><td data-label="Similar answer">${name(p.right, p.right.principleName)}</td>` +
        `<td data-label="Similarity">${Math.round(p.similarity * 100)}%</td><td data-label="Principles">${p.left.principleId === p.right.principleId ? "same principle" : "different principles"}</td><td data-label="Shared terms">${p.shared.map(esc).join(", ")}</td></tr>`,
    )
    .join("");

  const weakest = d.weakest
    .map((b) => `<tr><td data-label="Answer">${name(b)}</td><td data-label="Principle">${esc(b.principleName)}</td><td data-label="Overall score">${scoreBadge(b.score, 100)}</td><td data-label="Band">${esc(b.band)}</td><td data-label="Top improvement">${esc(b.improvement)}</td></tr>`)
    .join("");

  const secondsLabels = d.secondsBins.map((_, i) => (i === SECONDS_BINS - 1 ? `${i * SECONDS_BIN}+` : `${i * SECONDS_BIN}`));
  const target = d.target ?? { min: 60, max: 120 };
  const errorCodes = Object.entries(d.errorCodes).map(([code, n]) => `${esc(code)} ×${n}`).join(", ");

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>starcoach batch report ${esc(d.job.id)}</title><style>${CSS}</style></head>
<body><main>
<h1>Batch report</h1>
<p class="meta">Job ${esc(d.job.id)} · ${esc(d.job.mode === "llm" ? `model ${d.job.model ?? ""}` : "offline (rule-based) grading")} · prompt ${esc(d.job.promptVersion)} · generated ${esc(d.generatedAt)}</p>${spent ? `\n<p class="meta" id="cost">${esc(spent[0]!.toUpperCase() + spent.slice(1))}, at the prices in each answer’s meta.cost.</p>` : ""}
<div class="cards">
<div class="card"><b>${d.graded}</b>graded of ${total}</div>
<div class="card"><b>${d.failed}</b>rows not graded</div>
<div class="card"><b>${mean ?? "–"}</b>mean overall score (0–100)</div>
<div class="card"><b>${covered}/16</b>principles with an answer</div>
<div class="card"><b>${d.duplicates.length}</b>possible duplicate stories</div>
</div>
<nav aria-label="Sections"><ul class="toc"><li><a href="#distribution">Scores</a></li><li><a href="#coverage">Coverage</a></li><li><a href="#duplicates">Duplicates</a></li><li><a href="#weakest">Weakest answers</a></li><li><a href="#ownership">“I” and “we”</a></li><li><a href="#length">Length</a></li><li><a href="#errors">Rows not graded</a></li><li><a href="#answers">Every answer</a></li><li><a href="#next">What to do next</a></li></ul></nav>
<p>Bands: ${Object.entries(d.bands).map(([b, n]) => `${esc(b)} ${n}`).join(" · ")}. <span class="note">A band comes from the overall score: weak under 40, developing 40–59, solid 60–79, strong 80 and over.</span></p>

<h2 id="distribution">Score distribution per STAR part</h2>
${legend}
<table class="parts stack"><thead><tr><th scope="col">Part</th><th scope="col">How many answers scored 0, 1, 2, 3, 4</th><th scope="col">Mean score (0–4)</th></tr></thead><tbody>${parts}</tbody></table>
<p>Overall scores (0–100), answers per band of ten:</p>
${histogram(d.overallBins, d.overallBins.map((_, i) => `${i * 10}`), "Answers per overall score, in bands of ten")}

<h2 id="coverage">Coverage of the 16 Leadership Principles</h2>
<p>${covered} of 16 principles have at least one answer.${missing.length ? ` Missing: ${missing.map((p) => esc(p.name)).join(", ")}.` : ""} The scores are those of the best answer for each principle. “Suggested by other answers” counts answers for other principles whose grading names this principle as a better fit.</p>
<p>The status says how ready each principle is; it uses its own words, not the bands above:</p>
<ul>${Object.entries(COVERAGE_STATUS).map(([s, text]) => `<li><span class="status ${statusClass(s as CoverageStatus)}">${s}</span> — ${esc(text)}</li>`).join("")}</ul>
<table id="coverage-matrix" class="stack"><thead><tr><th scope="col">Principle</th><th scope="col">Answers</th><th scope="col">Best overall score</th>${DIMENSIONS.map((p) => `<th scope="col">${LABEL[p]}</th>`).join("")}<th scope="col">Best answer</th><th scope="col">Suggested by other answers</th><th scope="col">Status</th></tr></thead><tbody>${matrix}</tbody></table>

<h2 id="duplicates">Duplicate stories</h2>
<p class="note">Prepare one story per principle. Pairs of answers whose text similarity (TF-IDF cosine over content words, computed by code) is at least ${Math.round(DUPLICATE_THRESHOLD * 100)}%, among the first ${d.duplicatesCompared} graded answers.</p>
${d.duplicates.length ? `<table id="duplicate-pairs" class="stack"><thead><tr><th scope="col">Answer</th><th scope="col">Similar answer</th><th scope="col">Similarity</th><th scope="col">Principles</th><th scope="col">Shared terms</th></tr></thead><tbody>${dupRows}</tbody></table>` : "<p>No two answers tell the same story.</p>"}

<h2 id="weakest">Weakest answers</h2>
<table class="stack"><thead><tr><th scope="col">Answer</th><th scope="col">Principle</th><th scope="col">Overall score</th><th scope="col">Band</th><th scope="col">Top improvement</th></tr></thead><tbody>${weakest}</tbody></table>

<h2 id="ownership">“I” and “we”</h2>
<p>Ownership verdicts: ${Object.entries(d.ownership).map(([v, n]) => `${esc(v)} ${n}`).join(" · ")}. Mean share of “I” among I and we: ${d.iRatioN ? `${Math.round((d.iRatioSum / d.iRatioN) * 100)}%` : "–"}.</p>
${d.weInAction.count ? `<p>Answers where “we” outnumbers “I” in the Action part (say what you did), with the share of “I” there:</p>${listed(d.weInAction, (w) => `${name(w.answer)} — ${Math.round(w.ratio * 100)}% “I”`)}` : `<p>No answer has “we” outnumbering “I” in the Action part.</p>`}

<h2 id="length">Length</h2>
<p>Speaking time at the configured rate: ${d.lengths.ok} within ${clock(target.min)}–${clock(target.max)}, ${d.lengths.too_short} too short, ${d.lengths.too_long} too long.</p>
${histogram(d.secondsBins, secondsLabels, "Answers per speaking time, in steps of 15 seconds", { highlight: (i) => i * SECONDS_BIN >= target.min && i * SECONDS_BIN < target.max })}
${d.outOfRange.count ? `<p>Out of the target:</p>${listed(d.outOfRange, (o) => `${name(o.answer)} — ${clock(o.seconds)} spoken, ${o.verdict.replace("_", " ")}`)}` : ""}

<h2 id="errors">Rows not graded</h2>
${d.errors.length ? `<p>By error code: ${errorCodes}.</p><table class="stack"><thead><tr><th scope="col">Row id</th><th scope="col">Error code</th><th scope="col">Message</th></tr></thead><tbody>${d.errors.map((e) => `<tr><td data-label="Row id">${esc(e.id)}</td><td data-label="Error code">${esc(e.code)}</td><td data-label="Message">${esc(e.message)}</td></tr>`).join("")}</tbody></table>${d.errorCount > d.errors.length ? `<p class="note">First ${d.errors.length} of ${d.errorCount} shown.</p>` : ""}` : "<p>Every row was graded.</p>"}

<h2 id="answers">Every answer and its feedback</h2>
<p class="note">${details.size === d.graded ? "Open an answer to read its full feedback." : `The ${details.size} answers named in this report, of ${d.graded}; the results file holds every answer's feedback.`}</p>
${[...details.values()].join("\n")}

<h2 id="next">What to do next</h2>
<ol class="next">${nextSteps(d, (b) => answerName(b, details.has(b.ordinal), { inline: true })).map((s) => `<li>${s}</li>`).join("")}</ol>
</main></body></html>
`;
}

export async function buildReport(batches: BatchStore, jobId: string): Promise<string> {
  const data = await collectReportData(batches, jobId);
  return renderReport(data, await collectAnswerDetails(batches, data));
}
