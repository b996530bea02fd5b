/**
 * Grade every gold answer through a grading service and measure agreement with the human labels:
 * part presence (precision/recall/F1 per class, macro-F1) and 0–4 scores (exact, within one,
 * quadratic weighted kappa, Spearman) per STAR part and for principle fit.
 */
import type { Feedback } from "../core/feedback.js";
import { STAR_PARTS, type StarPart } from "../core/star-split.js";
import type { GradeInput } from "../grading.js";
import type { GoldLine } from "./gold.js";
import { presenceMetrics, scoreMetrics, type PresenceMetrics, type ScoreMetrics } from "./metrics.js";

export const SCORE_DIMENSIONS = [...STAR_PARTS, "principleFit"] as const;
export type ScoreDimension = (typeof SCORE_DIMENSIONS)[number];

/** The part of a GradingService the eval needs. */
export interface EvalGrader {
  grader: { mode: "llm" | "offline"; model: string | null; promptVersion: string };
  grade(input: GradeInput): Promise<Feedback>;
}

export interface EvalItem {
  id: string;
  present: Record<StarPart, boolean>;
  scores: Record<ScoreDimension, number>;
  cached: boolean;
}

export interface EvalReport {
  mode: "llm" | "offline";
  model: string | null;
  promptVersion: string;
  total: number;
  graded: number;
  cached: number;
  failures: Array<{ id: string; error: string }>;
  presence: Record<StarPart, PresenceMetrics>;
  scores: Record<ScoreDimension, ScoreMetrics>;
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
  return { id, present, scores: { ...scores, principleFit: f.principleFit.score }, cached: f.meta.cached };
}

export async function runEval(gold: readonly GoldLine[], service: EvalGrader, options: RunOptions = {}): Promise<EvalReport> {
  const results = new Array<EvalItem | { error: string } | undefined>(gold.length);
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
      } catch (err) {
        results[i] = { error: err instanceof Error ? err.message : String(err) };
      }
      options.onProgress?.(++done, gold.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, gold.length));
  await Promise.all(Array.from({ length: workers }, worker));

  const pairs: Array<{ line: GoldLine; item: EvalItem }> = [];
  const failures: EvalReport["failures"] = [];
  results.forEach((r, i) => {
    const line = gold[i]!;
    if (r && "error" in r) failures.push({ id: line.id, error: r.error });
    else if (r) pairs.push({ line, item: r });
  });

  const goldScore = (line: GoldLine, d: ScoreDimension) => (d === "principleFit" ? line.labels.principleFit : line.labels.scores[d]);
  const presence = Object.fromEntries(
    STAR_PARTS.map((p) => [p, presenceMetrics(pairs.map((x) => x.line.labels.present[p]), pairs.map((x) => x.item.present[p]))]),
  ) as Record<StarPart, PresenceMetrics>;
  const scores = Object.fromEntries(
    SCORE_DIMENSIONS.map((d) => [d, scoreMetrics(pairs.map((x) => goldScore(x.line, d)), pairs.map((x) => x.item.scores[d]))]),
  ) as Record<ScoreDimension, ScoreMetrics>;

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

/** One mode's agreement tables. */
export function formatReport(r: EvalReport): string {
  const out = [title(r), ""];
  out.push("STAR part detection          present class          absent class", "part          macro-F1   prec   rec    F1  (n)   prec   rec    F1  (n)");
  for (const p of STAR_PARTS) {
    const m = r.presence[p];
    const cls = (c: typeof m.present) => `${fmt(c.precision)} ${fmt(c.recall)} ${fmt(c.f1)} ${String(c.support).padStart(3)}`;
    out.push(`${p.padEnd(13)} ${fmt(m.macroF1)}    ${cls(m.present)}  ${cls(m.absent)}`);
  }
  out.push("", "Scores 0–4 vs labels    exact  ±1     QWK  Spearman");
  for (const d of SCORE_DIMENSIONS) {
    const s = r.scores[d];
    out.push(`${DIMENSION_LABEL[d].padEnd(22)} ${fmt(s.exact)} ${fmt(s.withinOne)} ${fmt(s.qwk)}   ${fmt(s.spearman)}`);
  }
  for (const f of r.failures.slice(0, 10)) out.push(`  failed ${f.id}: ${f.error}`);
  if (r.failures.length > 10) out.push(`  … and ${r.failures.length - 10} more failures`);
  return out.join("\n");
}

/** The model's agreement next to the offline rules', so users see what the LLM adds. */
export function formatComparison(llm: EvalReport, offline: EvalReport): string {
  const out = ["What the LLM adds over offline rules", "dimension       metric        LLM  offline   diff"];
  const row = (label: string, metric: string, a: number | null, b: number | null) =>
    `${label.padEnd(15)} ${metric.padEnd(10)} ${fmt(a)}   ${fmt(b)}  ${a === null || b === null ? "  —  " : `${a - b >= 0 ? "+" : "-"}${Math.abs(a - b).toFixed(2)}`}`;
  for (const p of STAR_PARTS) out.push(row(p, "macro-F1", llm.presence[p].macroF1, offline.presence[p].macroF1));
  for (const d of SCORE_DIMENSIONS) out.push(row(DIMENSION_LABEL[d], "QWK", llm.scores[d].qwk, offline.scores[d].qwk));
  return out.join("\n");
}

export function formatEval(source: string, reports: readonly EvalReport[]): string {
  const [first, second] = reports;
  const blocks = [`starcoach eval: ${first?.total ?? 0} labelled answers from ${source}`];
  for (const r of reports) blocks.push(formatReport(r));
  if (first && second && first.mode === "llm" && second.mode === "offline") blocks.push(formatComparison(first, second));
  return `${blocks.join("\n\n")}\n`;
}
