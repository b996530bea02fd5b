/**
 * The story bank's use cases, shared by the API, the pages and the MCP server: list and read
 * stories, edit them, delete them with their gradings, coverage of the 16 principles, the bank's
 * warnings and what to practise next, and the Markdown export.
 */
import type { Feedback } from "../core/feedback.js";
import { findPrinciple, PRINCIPLE_IDS, principleById } from "../core/principles.js";
import { InputError, storyNotFound } from "../grading.js";
import type { StoryStore } from "../store/stories.js";
import type { Store } from "../store/types.js";
import {
  bankWarnings,
  coverage,
  DEFAULT_COVERAGE_TARGET,
  practiseNext,
  summarizeStories,
  TITLE_MAX_CHARS,
  toSummary,
  type BankWarning,
  type Coverage,
  type PractiseNext,
  type StoryDetail,
  type StorySummary,
} from "./bank.js";

export interface StoryDeps {
  store: Store;
  stories: StoryStore;
  coverageTarget?: number;
  now?: () => Date;
}

export const MAX_STORY_PRINCIPLES = PRINCIPLE_IDS.length;


export async function listStories(deps: Pick<StoryDeps, "stories">): Promise<StoryDetail[]> {
  const [versions, meta] = await Promise.all([deps.stories.versions(), deps.stories.meta()]);
  return summarizeStories(versions, meta);
}

export async function getStory(deps: Pick<StoryDeps, "stories">, id: string): Promise<StoryDetail> {
  const [versions, meta] = await Promise.all([deps.stories.versions(id), deps.stories.meta([id])]);
  const story = summarizeStories(versions, meta)[0];
  if (!story) throw storyNotFound(id, "GET /v1/stories lists the stories.");
  return story;
}

export interface StoryChange {
  title?: string | null;
  principles?: string[];
}

/** Validate and apply a change: a title of 1–120 characters (null: back to the default), known principle ids. */
export async function updateStory(deps: StoryDeps, id: string, change: StoryChange): Promise<StoryDetail> {
  await getStory(deps, id);
  let title: string | null | undefined;
  if (change.title !== undefined) {
    title = change.title === null ? null : change.title.replace(/\s+/g, " ").trim();
    if (title !== null && (title.length < 1 || title.length > TITLE_MAX_CHARS)) {
      throw new InputError("invalid_title", `A title has 1 to ${TITLE_MAX_CHARS} characters; this one has ${title.length}. Send null to go back to the answer's first words.`);
    }
  }
  let principles: string[] | undefined;
  if (change.principles !== undefined) {
    const unknown = change.principles.filter((p) => !findPrinciple(p) || principleById(p).id !== p);
    if (unknown.length) {
      throw new InputError("unknown_principle", `Unknown principle id${unknown.length > 1 ? "s" : ""} ${unknown.slice(0, 3).map((u) => `"${u.slice(0, 60)}"`).join(", ")}. Use ids from GET /v1/principles: ${PRINCIPLE_IDS.join(", ")}.`);
    }
    if (change.principles.length === 0) throw new InputError("principles_empty", "A story serves at least one principle.");
    principles = [...new Set(change.principles)];
  }
  await deps.stories.update(id, { ...(title !== undefined ? { title } : {}), ...(principles ? { principles } : {}) }, (deps.now?.() ?? new Date()).toISOString());
  return getStory(deps, id);
}

/** Delete a story: every version through the grading store's own deletion path (which scrubs the text), then the story. */
export async function deleteStory(deps: StoryDeps, id: string): Promise<number> {
  if (!(await deps.stories.exists(id))) throw storyNotFound(id, "GET /v1/stories lists the stories.");
  await deps.stories.deleteStory(id);
  const ids = await deps.stories.gradingIds(id);
  for (const gradingId of ids) await deps.store.deleteGrading(gradingId);
  return ids.length;
}

export async function storyCoverage(deps: Pick<StoryDeps, "stories" | "coverageTarget">): Promise<Coverage> {
  return coverage(await listStories(deps), deps.coverageTarget ?? DEFAULT_COVERAGE_TARGET);
}

export interface BankOverview {
  stories: StoryDetail[];
  coverage: Coverage;
  warnings: BankWarning[];
  next: PractiseNext[];
}

/** Everything the /stories page shows. */
export async function bankOverview(deps: Pick<StoryDeps, "stories" | "coverageTarget">): Promise<BankOverview> {
  const [stories, latest] = await Promise.all([listStories(deps), deps.stories.latestAnswers()]);
  const cov = coverage(stories, deps.coverageTarget ?? DEFAULT_COVERAGE_TARGET);
  const answered = new Set(stories.flatMap((s) => s.versionList.flatMap((v) => (v.question ? [v.question] : []))));
  return { stories, coverage: cov, warnings: bankWarnings(stories, latest), next: practiseNext(cov, answered) };
}

export { toSummary, type StorySummary, type StoryDetail };

// ---- Markdown export -------------------------------------------------------------------------

const TOP_FIXES = 3;

/** Escape what Markdown would read as markup at the start of a line or inline. */
function mdText(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, "\\$1");
}

/** The bank as Markdown: each story's best version, its principles and its top fixes. */
export async function exportMarkdown(deps: StoryDeps): Promise<string> {
  const stories = await listStories(deps);
  const lines: string[] = ["# My story bank", ""];
  const date = (deps.now?.() ?? new Date()).toISOString().slice(0, 10);
  lines.push(`${stories.length} ${stories.length === 1 ? "story" : "stories"}, exported ${date} from starcoach.`, "");
  if (!stories.length) lines.push("No stories yet: grade an answer to start one.", "");
  const byScore = [...stories].sort((a, b) => b.best.score - a.best.score || a.title.localeCompare(b.title));
  for (const story of byScore) {
    const best: Feedback | null = await deps.store.getGrading(story.best.gradingId);
    lines.push(`## ${mdText(story.title)}`, "");
    lines.push(`- Principles: ${story.principles.map((p) => principleById(p).name).join(", ")}`);
    lines.push(`- Best version: ${story.best.score}/100 (version ${story.versionList.findIndex((v) => v.gradingId === story.best.gradingId) + 1} of ${story.versions}); scores over time: ${story.trend.join(" → ")}`);
    lines.push(`- Last practised: ${story.updatedAt.slice(0, 10)}`);
    if (best?.question) lines.push(`- Question: ${mdText(best.question)}`);
    lines.push("");
    if (best) {
      lines.push(...best.answer.split(/\n+/).map((p) => mdText(p.trim())).filter(Boolean).flatMap((p) => [p, ""]));
      const fixes = best.improvements.slice(0, TOP_FIXES);
      if (fixes.length) {
        lines.push("Top fixes:", "");
        fixes.forEach((f, i) => lines.push(`${i + 1}. ${mdText(f)}`));
        lines.push("");
      }
    }
  }
  return lines.join("\n");
}
