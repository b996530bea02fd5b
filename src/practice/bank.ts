/**
 * The story bank, computed from stored versions: a story's summary (title, principles, versions,
 * best and last grading), coverage of the 16 principles, the warnings about the bank's shape
 * (a story stretched over too many principles, two near-duplicate stories) and what to practise
 * next. No I/O: the store hands in rows, this module shapes them.
 */
import { similarPairs } from "../batch/similarity.js";
import type { Band } from "../core/band.js";
import { band } from "../core/score.js";
import { PRINCIPLES, principleById } from "../core/principles.js";
import { questionsFor, type BankQuestion } from "../core/questions.js";
import { plainWords } from "../core/plain-words.js";

/** One stored grading as a version of its story (no answer text beyond the opening). */
export interface VersionRow {
  gradingId: string;
  storyId: string;
  createdAt: string;
  principleId: string;
  question: string | null;
  score: number;
  mode: "llm" | "offline";
  /** The first characters of the answer, for the default title. */
  opening: string;
}

/** What the user edits about a story (null title: from the first words of the first version). */
export interface StoryMeta {
  id: string;
  title: string | null;
  updatedAt: string;
  principles: string[];
}

export interface ScoreRef {
  gradingId: string;
  score: number;
}

export interface StorySummary {
  id: string;
  title: string;
  /** True when the title was set by the user rather than taken from the answer. */
  titleEdited: boolean;
  principles: string[];
  versions: number;
  best: ScoreRef;
  last: ScoreRef & { createdAt: string };
  createdAt: string;
  /** When the story was last practised: its newest version or follow-up drill. */
  updatedAt: string;
}

export interface StoryVersion {
  gradingId: string;
  version: number;
  createdAt: string;
  principle: { id: string; name: string };
  question: string | null;
  score: number;
  band: Band;
  mode: "llm" | "offline";
}

export interface StoryDetail extends StorySummary {
  versionList: StoryVersion[];
  /** Overall scores, oldest version first. */
  trend: number[];
}

export const TITLE_MAX_CHARS = 120;
const DEFAULT_TITLE_WORDS = 8;
/** A story that serves more principles than this is stretched thin: interviewers hear it as generic. */
export const MAX_PRINCIPLES_PER_STORY = 3;
export { DEFAULT_COVERAGE_TARGET } from "../config.js";

/** The default title: the answer's first words (without pasted markup), cut at a word boundary. */
export function defaultTitle(opening: string): string {
  const words = plainWords(opening).split(/\s+/u).filter(Boolean);
  const head = words.slice(0, DEFAULT_TITLE_WORDS).join(" ").replace(/[,;:.!?—–-]+$/u, "");
  const title = head.length > 60 ? `${head.slice(0, 60).replace(/\s+\S*$/, "")}` : head;
  return (title || "Untitled story") + (words.length > DEFAULT_TITLE_WORDS || head.length > 60 ? "…" : "");
}

/** Versions grouped into stories, newest practised first. `meta` rows may be missing for a story. */
export function summarizeStories(versions: readonly VersionRow[], meta: readonly StoryMeta[]): StoryDetail[] {
  const metaById = new Map(meta.map((m) => [m.id, m]));
  const byStory = new Map<string, VersionRow[]>();
  for (const v of [...versions].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.gradingId.localeCompare(b.gradingId))) {
    let list = byStory.get(v.storyId);
    if (!list) byStory.set(v.storyId, (list = []));
    list.push(v);
  }
  const stories: StoryDetail[] = [];
  for (const [id, list] of byStory) {
    const m = metaById.get(id);
    const first = list[0]!;
    const last = list[list.length - 1]!;
    const best = list.reduce((b, v) => (v.score > b.score ? v : b), first);
    // The principles the story serves: the user's list, plus every version's target.
    const principles = [...new Set([...(m?.principles ?? []), ...list.map((v) => v.principleId)])];
    principles.sort((a, b) => principleOrder(a) - principleOrder(b));
    stories.push({
      id,
      title: m?.title ?? defaultTitle(first.opening),
      titleEdited: Boolean(m?.title),
      principles,
      versions: list.length,
      best: { gradingId: best.gradingId, score: best.score },
      last: { gradingId: last.gradingId, score: last.score, createdAt: last.createdAt },
      createdAt: first.createdAt,
      updatedAt: m && m.updatedAt > last.createdAt ? m.updatedAt : last.createdAt,
      versionList: list.map((v, i) => ({
        gradingId: v.gradingId,
        version: i + 1,
        createdAt: v.createdAt,
        principle: { id: v.principleId, name: principleName(v.principleId) },
        question: v.question,
        score: v.score,
        band: band(v.score),
        mode: v.mode,
      })),
      trend: list.map((v) => v.score),
    });
  }
  return stories.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
}

export function toSummary(story: StoryDetail): StorySummary {
  const { versionList: _versions, trend: _trend, ...summary } = story;
  return summary;
}

function principleOrder(id: string): number {
  const i = PRINCIPLES.findIndex((p) => p.id === id);
  return i < 0 ? PRINCIPLES.length : i;
}

function principleName(id: string): string {
  return PRINCIPLES.find((p) => p.id === id)?.name ?? id;
}

// ---- Coverage --------------------------------------------------------------------------------

export type CoverageStatus = "missing" | "thin" | "covered";

export interface PrincipleCoverage {
  id: string;
  name: string;
  /** Distinct stories that serve the principle. */
  stories: number;
  /** The best overall score among those stories; null when there are none. */
  bestScore: number | null;
  status: CoverageStatus;
  storyIds: string[];
}

export interface Coverage {
  target: number;
  principles: PrincipleCoverage[];
}

export function coverage(stories: readonly StorySummary[], target: number): Coverage {
  return {
    target,
    principles: PRINCIPLES.map((p) => {
      const serving = stories.filter((s) => s.principles.includes(p.id));
      const bestScore = serving.length ? Math.max(...serving.map((s) => s.best.score)) : null;
      const status: CoverageStatus = serving.length === 0 ? "missing" : serving.length < target ? "thin" : "covered";
      return { id: p.id, name: p.name, stories: serving.length, bestScore, status, storyIds: serving.map((s) => s.id) };
    }),
  };
}

// ---- Warnings and what next ------------------------------------------------------------------

export type BankWarning =
  | { kind: "stretched"; storyId: string; title: string; principles: number; message: string }
  | { kind: "near_duplicate"; storyIds: [string, string]; titles: [string, string]; similarity: number; shared: string[]; message: string };

/** Stories stretched over too many principles, and pairs whose latest answers tell the same story. */
export function bankWarnings(stories: readonly StorySummary[], latestAnswers: ReadonlyMap<string, string>): BankWarning[] {
  const warnings: BankWarning[] = [];
  for (const s of stories) {
    if (s.principles.length > MAX_PRINCIPLES_PER_STORY) {
      warnings.push({
        kind: "stretched",
        storyId: s.id,
        title: s.title,
        principles: s.principles.length,
        message: `“${s.title}” serves ${s.principles.length} principles; more than ${MAX_PRINCIPLES_PER_STORY} makes it sound generic. Keep the ones it shows best and find other stories for the rest.`,
      });
    }
  }
  for (const pair of duplicatePairs(stories.map((s) => ({ id: s.id, text: latestAnswers.get(s.id) ?? "" })))) {
    const a = stories.find((s) => s.id === pair.a)!;
    const b = stories.find((s) => s.id === pair.b)!;
    warnings.push({
      kind: "near_duplicate",
      storyIds: [a.id, b.id],
      titles: [a.title, b.title],
      similarity: pair.similarity,
      shared: pair.shared,
      message: `“${a.title}” and “${b.title}” look like the same story (similarity ${pair.similarity.toFixed(2)}; shared: ${pair.shared.slice(0, 5).join(", ")}). An interviewer hearing both learns nothing new: merge them or replace one.`,
    });
  }
  return warnings;
}

/** Pairs of texts (by id) that tell the same story, by the batch report's TF-IDF similarity. */
export function duplicatePairs(texts: ReadonlyArray<{ id: string; text: string }>): Array<{ a: string; b: string; similarity: number; shared: string[] }> {
  const docs = texts.filter((t) => t.text.trim()).map((t, key) => ({ key, id: t.id, text: t.text }));
  return similarPairs(docs).map((p) => ({ a: docs[p.a]!.id, b: docs[p.b]!.id, similarity: Math.round(p.similarity * 100) / 100, shared: p.shared }));
}

export interface PractiseNext {
  principle: { id: string; name: string };
  reason: string;
  question: BankQuestion | null;
}

/**
 * What to practise next: missing principles first (in the principles' order), then the thin ones,
 * then the weakest covered ones by best score. Each comes with a bank question the stories have
 * not answered yet.
 */
export function practiseNext(cov: Coverage, answeredQuestions: ReadonlySet<string>, limit = 3): PractiseNext[] {
  const rank = (p: PrincipleCoverage) => (p.status === "missing" ? 0 : p.status === "thin" ? 1 : 2);
  const ordered = [...cov.principles].sort((a, b) => rank(a) - rank(b) || (a.bestScore ?? -1) - (b.bestScore ?? -1));
  const norm = (q: string) => q.trim().toLowerCase();
  const answered = new Set([...answeredQuestions].map(norm));
  const suggested = new Set<string>();
  return ordered.slice(0, limit).map((p) => {
    const reason =
      p.status === "missing"
        ? "No story serves this principle yet."
        : p.status === "thin"
          ? `${p.stories} of ${cov.target} stories; the best scores ${p.bestScore}/100.`
          : `Your weakest covered principle: the best story scores ${p.bestScore}/100.`;
    const pool = questionsFor(p.id);
    // A question no story has answered, and not one already suggested for another principle.
    const question = pool.find((q) => !answered.has(norm(q.text)) && !suggested.has(q.id)) ?? pool[0] ?? null;
    if (question) suggested.add(question.id);
    return { principle: { id: p.id, name: principleById(p.id).name }, reason, question };
  });
}
