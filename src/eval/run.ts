/**
 * Grade every gold answer through a grading service and measure agreement with the human labels:
 * part presence (precision/recall/F1 per class, macro-F1) and 0–4 scores (exact, within one,
 * quadratic weighted kappa, Spearman) per STAR part and for principle fit.
 */
import type { Feedback } from "../core/feedback.js";
import { SENTENCE_LABELS, STAR_PARTS, type SentenceLabel, type StarPart } from "../core/star-split.js";
import type { GradeInput } from "../grading.js";
import { feedbackChecks, formatFeedbackChecks, type FeedbackChecks, type GradedAnswer } from "./feedback-checks.js";
import type { GoldLine } from "./gold.js";
import { presenceMetrics, scoreMetrics, type PresenceMetrics, type ScoreMetrics } from "./metrics.js";

export { SCORE_DIMENSIONS, type ScoreDimension } from "../core/star-parts.js";
import { SCORE_DIMENSIONS, type ScoreDimension } from "../core/star-parts.js";

/** The part of a GradingService the eval needs. */
export interface EvalGrader {
  grader: { mode: "llm" | "offline"; model: string | null; promptVersion: string };
  grade(input: GradeInput): Promise<Feedback>;
}

export interface EvalItem {
  id: string;
  present: Record<StarPart, boolean>;
  scores: Record<ScoreDimension, number>;
  hypothetical: boolean;
  quantifiedResult: boolean;
  segments: Feedback["segments"];
  cached: boolean;
}

export interface SentenceMetrics {
  accuracy: number | null;
  n: number;
  /** Recall of each gold label: the share of its sentences labelled right. */
  perLabel: Record<SentenceLabel, { recall: number | null; n: number }>;
}

/** Only the dimensions the file labels are measured; the others are absent from the report. */
export interface EvalReport {
  mode: "llm" | "offline";
  model: string | null;
  promptVersion: string;
  total: number;
  graded: number;
  cached: number;
  failures: Array<{ id: string; error: string }>;
  presence: Partial<Record<StarPart, PresenceMetrics>>;
  scores: Partial<Record<ScoreDimension, ScoreMetrics>>;
  hypothetical?: PresenceMetrics;
  quantifiedResult?: PresenceMetrics;
  sentences?: SentenceMetrics;
  /** Whether the feedback is right in itself (no labels needed): contradictions, repeats, list length. */
  feedbackChecks: FeedbackChecks;
  items: EvalItem[];
}

export interface RunOptions {
  concurrency?: number;
  /** Called after each answer, for progress output. */
  onProgress?: (done: number, total: number) => void;
}

function toItem(id: string, f: Feedback): EvalItem {
  const present = Object.fromEntries(STAR_PARTS.map((p) => [p, f.star[p].present])) as Record<StarPart, boolean>;
  const scores = Object.fromEntries(STAR_PARTS.map((p) => [p, f.star[p].score])) as Record<StarPart, number>;
  return {
    id,
    present,
    scores: { ...scores, principleFit: f.principleFit.score },
    hypothetical: f.metrics.hypothetical,
    quantifiedResult: f.metrics.quantifiedResult,
    segments: f.segments,
    cached: f.meta.cached,
  };
}

type Pair = { line: GoldLine; item: EvalItem };

/** Gold and predicted values for the pairs that label this dimension. */
function labelled<T>(pairs: readonly Pair[], gold: (line: GoldLine) => T | undefined, pred: (item: EvalItem) => T): { gold: T[]; pred: T[] } {
  const out = { gold: [] as T[], pred: [] as T[] };
  for (const { line, item } of pairs) {
    const g = gold(line);
    if (g === undefined) continue;
    out.gold.push(g);
    out.pred.push(pred(item));
  }
  return out;
}

function goldScore(line: GoldLine, d: ScoreDimension): number | undefined {
  return d === "principleFit" ? line.labels.principleFit : line.labels.scores?.[d];
}

/** Sentence labels: the grader's segments cover the same sentences as the gold ones (same splitter). */
function sentenceMetrics(pairs: readonly Pair[]): SentenceMetrics | undefined {
  const gold: SentenceLabel[] = [];
  const pred: SentenceLabel[] = [];
  for (const { line, item } of pairs) {
    for (const s of line.labels.sentences ?? []) {
      const seg = item.segments.find((x) => x.start === s.start && x.end === s.end);
      gold.push(s.label);
      pred.push(seg?.part ?? "other");
    }
  }
  if (!gold.length) return undefined;
  const perLabel = Object.fromEntries(
    SENTENCE_LABELS.map((l) => {
      const n = gold.filter((g) => g === l).length;
      return [l, { recall: n ? gold.filter((g, i) => g === l && pred[i] === l).length / n : null, n }];
    }),
  ) as SentenceMetrics["perLabel"];
  return { accuracy: gold.filter((g, i) => g === pred[i]).length / gold.length, n: gold.length, perLabel };
}

export async function runEval(gold: readonly GoldLine[], service: EvalGrader, options: RunOptions = {}): Promise<EvalReport> {
  const results = new Array<EvalItem | { error: string } | undefined>(gold.length);
  const feedbacks = new Array<GradedAnswer | undefined>(gold.length);
  let next = 0;
  let done = 0;
  // A small worker pool: model calls overlap, while results stay in gold order.
  const worker = async () => {
    while (next < gold.length) {
      const i = next++;
      const line = gold[i]!;
      try {
        const feedback = await service.grade({ answer: line.answer, principle: line.principle, question: line.question ?? null });
        results[i] = toItem(line.id, feedback);
        feedbacks[i] = { id: line.id, feedback };
      } catch (err) {
        results[i] = { error: err instanceof Error ? err.message : String(err) };
      }
      options.onProgress?.(++done, gold.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, gold.length));
  await Promise.all(Array.from({ length: workers }, worker));

  const pairs: Pair[] = [];
  const failures: EvalReport["failures"] = [];
  results.forEach((r, i) => {
    const line = gold[i]!;
    if (r && "error" in r) failures.push({ id: line.id, error: r.error });
    else if (r) pairs.push({ line, item: r });
  });

  const presence: EvalReport["presence"] = {};
  for (const p of STAR_PARTS) {
    const x = labelled(pairs, (l) => l.labels.present?.[p], (item) => item.present[p]);
    if (x.gold.length) presence[p] = presenceMetrics(x.gold, x.pred);
  }
  const scores: EvalReport["scores"] = {};
  for (const d of SCORE_DIMENSIONS) {
    const x = labelled(pairs, (l) => goldScore(l, d), (item) => item.scores[d]);
    if (x.gold.length) scores[d] = scoreMetrics(x.gold, x.pred);
  }
  const binary = (gold: (l: GoldLine) => boolean | undefined, pred: (item: EvalItem) => boolean) => {
    const x = labelled(pairs, gold, pred);
    return x.gold.length ? presenceMetrics(x.gold, x.pred) : undefined;
  };
  const hypothetical = binary((l) => l.labels.hypothetical, (item) => item.hypothetical);
  const quantifiedResult = binary((l) => l.labels.quantifiedResult, (item) => item.quantifiedResult);
  const sentences = sentenceMetrics(pairs);

  return {
    mode: service.grader.mode,
    model: service.grader.model,
    promptVersion: service.grader.promptVersion,
    total: gold.length,
    graded: pairs.length,
    cached: pairs.filter((x) => x.item.cached).length,
    failures,
    presence,
    scores,
    ...(hypothetical ? { hypothetical } : {}),
    ...(quantifiedResult ? { quantifiedResult } : {}),
    ...(sentences ? { sentences } : {}),
    feedbackChecks: feedbackChecks(feedbacks.filter((f) => f !== undefined)),
    items: pairs.map((x) => x.item),
  };
}

const fmt = (x: number | null) => (x === null ? "  —  " : x.toFixed(2).padStart(5));
const DIMENSION_LABEL: Record<ScoreDimension, string> = {
  situation: "situation",
  task: "task",
  action: "action",
  result: "result",
  principleFit: "principle fit",
};

function title(r: EvalReport): string {
  const who = r.mode === "llm" ? `LLM ${r.model ?? ""} (prompt ${r.promptVersion})` : `offline rules (${r.promptVersion})`;
  const cached = r.mode === "llm" ? `, ${r.cached} from cache` : "";
  return `${who}: ${r.graded} of ${r.total} graded${cached}${r.failures.length ? `, ${r.failures.length} failed` : ""}`;
}

/** One mode's agreement tables, for the dimensions the file labels. */
export function formatReport(r: EvalReport): string {
  const out = [title(r)];
  const parts = STAR_PARTS.filter((p) => r.presence[p]);
  if (parts.length) {
    out.push("", "STAR part detection          present class          absent class", "part          macro-F1   prec   rec    F1  (n)   prec   rec    F1  (n)");
    const cls = (c: PresenceMetrics["present"]) => `${fmt(c.precision)} ${fmt(c.recall)} ${fmt(c.f1)} ${String(c.support).padStart(3)}`;
    for (const p of parts) {
      const m = r.presence[p]!;
      out.push(`${p.padEnd(13)} ${fmt(m.macroF1)}    ${cls(m.present)}  ${cls(m.absent)}`);
    }
  }
  const dims = SCORE_DIMENSIONS.filter((d) => r.scores[d]);
  if (dims.length) {
    out.push("", "Scores 0–4 vs labels    exact  ±1     QWK  Spearman");
    for (const d of dims) {
      const s = r.scores[d]!;
      out.push(`${DIMENSION_LABEL[d].padEnd(22)} ${fmt(s.exact)} ${fmt(s.withinOne)} ${fmt(s.qwk)}   ${fmt(s.spearman)}`);
    }
  }
  if (r.sentences) {
    const s = r.sentences;
    out.push("", `Sentence labels: accuracy ${fmt(s.accuracy).trim()} over ${s.n} sentences; recall per label:`);
    out.push(`  ${SENTENCE_LABELS.map((l) => `${l} ${fmt(s.perLabel[l].recall).trim()} (${s.perLabel[l].n})`).join(", ")}`);
  }
  const flag = (label: string, m: PresenceMetrics | undefined) => {
    if (!m) return;
    const hits = Math.round(m.present.recall * m.present.support);
    const falseAlarms = Math.round((1 - m.absent.recall) * m.absent.support);
    out.push(`${label.padEnd(22)} macro-F1 ${fmt(m.macroF1).trim()}; recognised ${hits} of ${m.present.support}, false alarms ${falseAlarms} of ${m.absent.support}`);
  };
  if (r.hypothetical || r.quantifiedResult) out.push("");
  flag("hypothetical", r.hypothetical);
  flag("quantified result", r.quantifiedResult);
  for (const f of r.failures.slice(0, 10)) out.push(`  failed ${f.id}: ${f.error}`);
  if (r.failures.length > 10) out.push(`  … and ${r.failures.length - 10} more failures`);
  out.push("", formatFeedbackChecks(r.feedbackChecks));
  return out.join("\n");
}

/** The model's agreement next to the offline rules', so users see what the LLM adds. */
export function formatComparison(llm: EvalReport, offline: EvalReport): string {
  const out = ["What the LLM adds over offline rules", "dimension       metric        LLM  offline   diff"];
  const row = (label: string, metric: string, a: number | null | undefined, b: number | null | undefined) =>
    `${label.padEnd(15)} ${metric.padEnd(10)} ${fmt(a ?? null)}   ${fmt(b ?? null)}  ${a == null || b == null ? "  —  " : `${a - b >= 0 ? "+" : "-"}${Math.abs(a - b).toFixed(2)}`}`;
  for (const p of STAR_PARTS) if (llm.presence[p]) out.push(row(p, "macro-F1", llm.presence[p]?.macroF1, offline.presence[p]?.macroF1));
  for (const d of SCORE_DIMENSIONS) if (llm.scores[d]) out.push(row(DIMENSION_LABEL[d], "QWK", llm.scores[d]?.qwk, offline.scores[d]?.qwk));
  if (llm.sentences) out.push(row("sentences", "accuracy", llm.sentences.accuracy, offline.sentences?.accuracy));
  if (llm.hypothetical) out.push(row("hypothetical", "macro-F1", llm.hypothetical.macroF1, offline.hypothetical?.macroF1));
  if (llm.quantifiedResult) out.push(row("quantified", "macro-F1", llm.quantifiedResult.macroF1, offline.quantifiedResult?.macroF1));
  return out.join("\n");
}

export function formatEval(source: string, reports: readonly EvalReport[]): string {
  const [first, second] = reports;
  const blocks = [`starcoach eval: ${first?.total ?? 0} labelled answers from ${source}`];
  for (const r of reports) blocks.push(formatReport(r));
  if (first && second && first.mode === "llm" && second.mode === "offline") blocks.push(formatComparison(first, second));
  return `${blocks.join("\n\n")}\n`;
}
