/**
 * Past gradings, grouped under their story (newest first, versions numbered): open one, delete one
 * (a plain POST form, so it works without JavaScript).
 */
import type { GradingSummary } from "../store/types.js";
import { shortDate } from "./format.js";

/** Where a grading sits in the story bank. */
export interface VersionOf {
  storyId: string;
  title: string;
  version: number;
  versions: number;
}

/** The page's gradings in groups of one story each, in the order the stories first appear. */
function groupByStory(items: GradingSummary[], versionOf: ReadonlyMap<string, VersionOf>): Array<{ story: VersionOf | null; items: GradingSummary[] }> {
  const groups: Array<{ story: VersionOf | null; items: GradingSummary[] }> = [];
  const byStory = new Map<string, GradingSummary[]>();
  for (const item of items) {
    const story = versionOf.get(item.id) ?? null;
    const existing = story ? byStory.get(story.storyId) : undefined;
    if (existing) existing.push(item);
    else {
      const group = { story, items: [item] };
      groups.push(group);
      if (story) byStory.set(story.storyId, group.items);
    }
  }
  return groups;
}

export function HistoryView(props: { items: GradingSummary[]; nextBefore: string | null; notice?: string | null; versionOf?: ReadonlyMap<string, VersionOf> }) {
  const groups = groupByStory(props.items, props.versionOf ?? new Map());
  return (
    <section class="card history" aria-labelledby="history-title">
      <h1 id="history-title">History</h1>
      {props.notice ? (
        <p class="flash" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.items.length === 0 ? (
        <p>
          Nothing graded yet. <a href="/">Practise an answer</a>.
        </p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Principle</th>
                <th scope="col">Question</th>
                <th scope="col" class="num">Score</th>
                <th scope="col"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            {groups.map(({ story, items }) => (
            <tbody class="story-group" data-story={story?.storyId}>
              {story ? (
                <tr class="story-row">
                  <th scope="colgroup" colspan={5}>
                    <a href={`/stories/${encodeURIComponent(story.storyId)}`}>{story.title}</a>{" "}
                    <span class="muted small">
                      · {story.versions} {story.versions === 1 ? "version" : "versions"}
                      {story.versions > 1 ? <> · <a href={`/stories/${encodeURIComponent(story.storyId)}#versions`}>compare versions</a></> : null}
                    </span>
                  </th>
                </tr>
              ) : null}
              {items.map((g) => (
                <tr data-id={g.id}>
                  <td class="nowrap">
                    {shortDate(g.createdAt)}
                    {props.versionOf?.get(g.id) ? <span class="muted small"> · v{props.versionOf.get(g.id)!.version}</span> : null}
                  </td>
                  <td>{g.principle.name}</td>
                  <td class="q">{g.question ?? <span class="muted">no question</span>}</td>
                  <td class="num">
                    <span class={`score-pill band-${g.overall.band}`}>{g.overall.score}</span>
                    {g.mode === "offline" ? <span class="muted small"> offline</span> : null}
                  </td>
                  <td class="row-actions">
                    <a href={`/result/${encodeURIComponent(g.id)}`} aria-label={`Open grading of ${shortDate(g.createdAt)}`}>Open</a>
                    <form method="post" action={`/history/${encodeURIComponent(g.id)}/delete`} class="inline delete-form">
                      <button type="submit" class="link danger" aria-label={`Delete grading of ${shortDate(g.createdAt)}`}>
                        Delete
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
            ))}
          </table>
        </div>
      )}
      {props.nextBefore ? (
        <p>
          <a href={`/history?before=${encodeURIComponent(props.nextBefore)}`}>Older gradings →</a>
        </p>
      ) : null}
    </section>
  );
}
