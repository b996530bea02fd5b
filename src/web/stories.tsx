/** The story bank pages: coverage of the 16 principles, warnings, what next, the stories; one story with its versions. */
import { PRINCIPLES, principleById } from "../core/principles.js";
import type { StoryDetail } from "../practice/bank.js";
import type { BankOverview } from "../practice/stories.js";
import { BAND_LABEL, shortDate } from "./format.js";
import { Pieces } from "./rewrite-panel.js";
import type { DiffPiece } from "./word-diff.js";

const STATUS_LABEL = { missing: "missing", thin: "thin", covered: "covered" } as const;

function Trend(props: { scores: number[] }) {
  // A row of small bars, one per version: the trend reads at a glance, the numbers are in the label.
  return (
    <span class="trend" role="img" aria-label={`Scores by version: ${props.scores.join(", ")}`}>
      {props.scores.slice(-12).map((s) => (
        <span class="trend-bar" style={`height:${Math.max(8, s)}%`}></span>
      ))}
    </span>
  );
}

function PrincipleChips(props: { ids: string[] }) {
  return (
    <ul class="chips" aria-label="Principles this story serves">
      {props.ids.map((id) => (
        <li>{principleById(id).name}</li>
      ))}
    </ul>
  );
}

/** Principles, versions, best and last score, trend, last practice: the same line on the bank and a story's page. */
function StoryFigures(props: { story: StoryDetail }) {
  const s = props.story;
  const grading = (id: string, score: number) => <a href={`/result/${encodeURIComponent(id)}`}>{score}</a>;
  return (
    <>
      <PrincipleChips ids={s.principles} />
      <p class="story-figures">
        <span>
          {s.versions} {s.versions === 1 ? "version" : "versions"}
        </span>
        <span>best {grading(s.best.gradingId, s.best.score)}/100</span>
        <span>last {grading(s.last.gradingId, s.last.score)}/100</span>
        <Trend scores={s.trend} />
        <span class="muted">practised {shortDate(s.updatedAt)}</span>
      </p>
    </>
  );
}

function StoryCard(props: { story: StoryDetail }) {
  const s = props.story;
  return (
    <li class="card story-card" data-story={s.id}>
      <h3>
        <a href={`/stories/${encodeURIComponent(s.id)}`}>{s.title}</a>
      </h3>
      <StoryFigures story={s} />
    </li>
  );
}

export function StoriesView(props: { overview: BankOverview; principle: string | null; notice?: string | null }) {
  const { coverage, warnings, next, stories } = props.overview;
  const filter = props.principle ? principleById(props.principle) : null;
  const shown = filter ? stories.filter((s) => s.principles.includes(filter.id)) : stories;
  const covered = coverage.principles.filter((p) => p.status === "covered").length;
  return (
    <div class="bank">
      <section class="card" aria-labelledby="bank-title">
        <div class="bank-head">
          <h1 id="bank-title">Story bank</h1>
          <p class="muted">
            {stories.length} {stories.length === 1 ? "story" : "stories"} · {covered} of 16 principles covered ({coverage.target} stories each)
          </p>
          <p class="no-print">
            <a href="/v1/stories/export.md" download="story-bank.md">Export as Markdown</a> · print this page for a one-sheet summary
          </p>
        </div>
        {props.notice ? (
          <p class="flash" role="status">
            {props.notice}
          </p>
        ) : null}
        <h2 class="sr-only">Coverage of the 16 principles</h2>
        <ul class="coverage" id="coverage">
          {coverage.principles.map((p) => (
            <li class={`cell cell-${p.status}`} data-principle={p.id} data-status={p.status}>
              <a href={`/stories?principle=${encodeURIComponent(p.id)}#stories`}>
                <span class="cell-name">{p.name}</span>
                <span class="cell-count">
                  {p.stories}/{coverage.target} stories · {STATUS_LABEL[p.status]}
                </span>
                <span class="cell-score">{p.bestScore === null ? "no score" : `best ${p.bestScore}`}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>

      {warnings.length ? (
        <section class="card warnings" aria-labelledby="warnings-title">
          <h2 id="warnings-title">Check these</h2>
          <ul>
            {warnings.map((w) => (
              <li data-kind={w.kind}>
                {w.message}{" "}
                {w.kind === "stretched" ? (
                  <a href={`/stories/${encodeURIComponent(w.storyId)}`}>Edit its principles</a>
                ) : (
                  <>
                    <a href={`/stories/${encodeURIComponent(w.storyIds[0])}`}>Open the first</a> · <a href={`/stories/${encodeURIComponent(w.storyIds[1])}`}>the second</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section class="card next no-print" aria-labelledby="next-title">
        <h2 id="next-title">Practise next</h2>
        <ol>
          {next.map((n) => (
            <li>
              <strong>{n.principle.name}</strong>: {n.reason}
              {n.question ? (
                <>
                  {" "}
                  <a href={`/?principle=${encodeURIComponent(n.principle.id)}&question=${encodeURIComponent(n.question.text)}`} class="practise-link">
                    “{n.question.text}”
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="stories-title" id="stories">
        <h2 id="stories-title">
          {filter ? <>Stories for {filter.name}</> : "All stories"}
          {filter ? (
            <>
              {" "}
              <a class="small" href="/stories#stories">show all</a>
            </>
          ) : null}
        </h2>
        {shown.length ? (
          <ul class="story-list">
            {shown.map((s) => (
              <StoryCard story={s} />
            ))}
          </ul>
        ) : (
          <p class="card">
            {filter ? `No story serves ${filter.name} yet. ` : "No stories yet. "}
            <a href={`/${filter ? `?principle=${encodeURIComponent(filter.id)}` : ""}`}>Practise an answer</a> to start one.
          </p>
        )}
      </section>
    </div>
  );
}

export interface VersionDiff {
  version: number;
  /** The previous version's words (removed ones marked) and this version's (added ones marked). */
  diff: { before: DiffPiece[]; after: DiffPiece[] } | null;
}

export function StoryView(props: { story: StoryDetail; diffs: VersionDiff[]; suggested: string[]; error?: string | null; notice?: string | null }) {
  const s = props.story;
  const diffs = new Map(props.diffs.map((d) => [d.version, d.diff]));
  return (
    <div class="story-page">
      <section class="card" aria-labelledby="story-title">
        <p class="muted small no-print">
          <a href="/stories">← Story bank</a>
        </p>
        <h1 id="story-title">{s.title}</h1>
        {props.notice ? (
          <p class="flash" role="status">
            {props.notice}
          </p>
        ) : null}
        {props.error ? (
          <p class="alert" role="alert">
            {props.error}
          </p>
        ) : null}
        <StoryFigures story={s} />
        <p class="no-print">
          <a class="link-primary" href={`/result/${encodeURIComponent(s.last.gradingId)}#grade-form`}>
            Edit and grade again
          </a>
        </p>
      </section>

      <section class="card" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        <ol class="versions" id="versions">
          {s.versionList.map((v) => (
            <li data-version={v.version}>
              <p>
                <strong>Version {v.version}</strong> · <span class={`score-pill band-${v.band}`}>{v.score}</span> {BAND_LABEL[v.band]} · {v.principle.name} ·{" "}
                <a href={`/result/${encodeURIComponent(v.gradingId)}`}>{shortDate(v.createdAt)}</a>
                {v.question ? <span class="muted"> · {v.question}</span> : null}
              </p>
              {v.version > 1 ? (
                <details class="diff" open={v.version === s.versions}>
                  <summary>Changes from version {v.version - 1}</summary>
                  <WordDiff diff={diffs.get(v.version) ?? null} />
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      <section class="card no-print" aria-labelledby="edit-title">
        <h2 id="edit-title">Edit the story</h2>
        <form method="post" action={`/stories/${encodeURIComponent(s.id)}/edit`} class="story-edit">
          <div class="field">
            <label for="story-title-input">Title</label>
            <input id="story-title-input" name="title" type="text" maxlength={120} value={s.titleEdited ? s.title : ""} placeholder={s.title} />
            <p class="hint">1–120 characters; leave empty for the answer's first words.</p>
          </div>
          <fieldset class="field">
            <legend>Principles this story serves</legend>
            <p class="hint">More than three makes a story sound generic.{props.suggested.length ? " Suggested from the grading's principle fit are marked." : ""}</p>
            <div class="principle-checks">
              {PRINCIPLES.map((p) => (
                <label class="check">
                  <input type="checkbox" name="principles" value={p.id} checked={s.principles.includes(p.id)} /> {p.name}
                  {props.suggested.includes(p.id) && !s.principles.includes(p.id) ? <span class="suggested"> suggested</span> : null}
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit" class="primary">
            Save
          </button>
        </form>
        <form method="post" action={`/stories/${encodeURIComponent(s.id)}/delete`} class="delete-story">
          <button type="submit" class="link danger" data-confirm="Delete this story and all its versions?">
            Delete this story and its {s.versions} {s.versions === 1 ? "version" : "versions"}
          </button>
        </form>
      </section>
    </div>
  );
}

/** What changed between two versions, word by word: the earlier text with its cut words, then the new one with its added words. */
export function WordDiff(props: { diff: VersionDiff["diff"] }) {
  const d = props.diff;
  if (!d) return <p class="muted">The earlier version was deleted.</p>;
  if (d.after.every((p) => p.kind === "same") && d.before.every((p) => p.kind === "same")) return <p class="muted">No change in the words.</p>;
  return (
    <div class="word-diff">
      <p>
        <span class="diff-label">Before: </span>
        <Pieces pieces={d.before} changed="del" />
      </p>
      <p>
        <span class="diff-label">After: </span>
        <Pieces pieces={d.after} changed="ins" />
      </p>
    </div>
  );
}
