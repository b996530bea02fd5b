/**
 * "Re-grading an edited answer shows the change per part": find the previous version of the story
 * (or, without a story bank, of the same principle + question) and the score differences against it.
 */
import type { Feedback } from "../core/feedback.js";
import { STAR_PARTS, type StarPart } from "../core/star-split.js";
import type { StoryStore } from "../store/stories.js";
import type { Store } from "../store/types.js";

const PAGE = 100;
const MAX_SCANNED = 1_000; // history is personal and small; stop somewhere sane regardless

function sameQuestion(a: string | null, b: string | null): boolean {
  const norm = (q: string | null) => (q ?? "").trim().toLowerCase().replace(/\s+/g, " ");
  return norm(a) === norm(b);
}

/**
 * The version before `current` in its story. Without a story bank: the newest grading older than
 * `current` for the same principle and question, with a different answer.
 */
export async function findPreviousVersion(store: Store, current: Feedback, stories?: Pick<StoryStore, "versions">): Promise<Feedback | null> {
  if (stories) {
    const versions = await stories.versions(current.storyId);
    const at = versions.findIndex((v) => v.gradingId === current.id);
    return at > 0 ? store.getGrading(versions[at - 1]!.gradingId) : null;
  }
  let before: string | undefined = current.id;
  for (let scanned = 0; scanned < MAX_SCANNED; scanned += PAGE) {
    const page = await store.listGradings({ limit: PAGE, ...(before ? { before } : {}) });
    for (const item of page) {
      if (item.principle.id !== current.principle.id || !sameQuestion(item.question, current.question)) continue;
      const candidate = await store.getGrading(item.id);
      if (candidate && candidate.answer !== current.answer) return candidate;
    }
    if (page.length < PAGE) return null;
    before = page[page.length - 1]!.id;
  }
  return null;
}

export interface ScoreChange {
  overall: number;
  parts: Record<StarPart, number>;
  principleFit: number;
  previousId: string;
  previousCreatedAt: string;
}

export function scoreChange(current: Feedback, previous: Feedback): ScoreChange {
  return {
    overall: current.overall.score - previous.overall.score,
    parts: Object.fromEntries(STAR_PARTS.map((p) => [p, current.star[p].score - previous.star[p].score])) as Record<StarPart, number>,
    principleFit: current.principleFit.score - previous.principleFit.score,
    previousId: previous.id,
    previousCreatedAt: previous.createdAt,
  };
}
