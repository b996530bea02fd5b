/** Past gradings: open one, delete one (a plain POST form, so it works without JavaScript). */
import type { GradingSummary } from "../store/types.js";
import { shortDate } from "./format.js";

export function HistoryView(props: { items: GradingSummary[]; nextBefore: string | null; notice?: string | null }) {
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
            <tbody>
              {props.items.map((g) => (
                <tr data-id={g.id}>
                  <td class="nowrap">{shortDate(g.createdAt)}</td>
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
