/**
 * Past gradings, grouped under their story (versions numbered): open one, delete one (plain POST
 * forms, so it works without JavaScript). A table on wide screens; under 600 px each row is drawn as
 * a card (style.css), so nothing is off screen.
 */
import type { GradingSummary } from "../store/types.js";
import { readableDate } from "./format.js";

/** Spoken after "Open" / "Delete", so every row's buttons have their own name. */
function rowName(g: GradingSummary): string {
  return `grading of ${readableDate(g.createdAt)}, ${g.principle.name}`;
}

/**
 * Delete, asking first: the details element opens the confirmation without any script. `name` is
 * spoken after "Delete", so each row's button has its own name.
 */
export function ConfirmDelete(props: { action: string; name: string; question?: string }) {
  return (
    <details class="confirm-delete">
      <summary class="button-link danger">
        Delete<span class="sr-only"> {props.name}</span>
      </summary>
      <form method="post" action={props.action} class="confirm-box">
        <span>{props.question ?? "Delete for good?"}</span>
        <button type="submit" class="danger-solid">
          Yes, delete<span class="sr-only"> {props.name}</span>
        </button>
      </form>
    </details>
  );
}

function RowActions(props: { item: GradingSummary }) {
  const g = props.item;
  const name = rowName(g);
  return (
    <td class="row-actions">
      <a class="button-link" href={`/result/${encodeURIComponent(g.id)}`}>
        Open<span class="sr-only"> {name}</span>
      </a>
      <ConfirmDelete action={`/history/${encodeURIComponent(g.id)}/delete`} name={name} />
    </td>
  );
}

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
  const versionOf = props.versionOf ?? new Map<string, VersionOf>();
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
          {groupByStory(props.items, versionOf).map(({ story, items }) => (
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
                <td class="date">
                  {readableDate(g.createdAt)}
                  {versionOf.get(g.id) ? <span class="muted small"> · v{versionOf.get(g.id)!.version}</span> : null}
                </td>
                <td class="principle">{g.principle.name}</td>
                <td class="q">{g.question ?? <span class="muted">no question</span>}</td>
                <td class="num score">
                  <span class={`score-pill band-${g.overall.band}`}>{g.overall.score}</span>
                  {g.mode === "offline" ? <span class="muted small"> offline</span> : null}
                </td>
                <RowActions item={g} />
              </tr>
            ))}
          </tbody>
          ))}
        </table>
      )}
      {props.nextBefore ? (
        <p>
          <a href={`/history?before=${encodeURIComponent(props.nextBefore)}`}>Older gradings →</a>
        </p>
      ) : null}
    </section>
  );
}
