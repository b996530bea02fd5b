/**
 * The "Stronger version" panel of the result page: the rewrite beside the original, sentence by
 * sentence (each rewritten sentence next to the sentences it comes from, word changes marked), the
 * [placeholders] to fill in, and "Practise this version". Server-rendered; works without JavaScript.
 * With a model and no cached rewrite yet, it offers a button that posts to /result/:id/rewrite.
 */
import type { Feedback } from "../core/feedback.js";
import type { Rewrite } from "../core/rewrite.js";
import { clock, PART_LABEL, PART_LETTER } from "./format.js";
import { wordDiff, type DiffPiece } from "./word-diff.js";

export interface RewritePanelState {
  rewrite: Rewrite | null;
  /** The last attempt failed (model error); the button stays to try again. */
  error?: { code: string; message: string } | null;
}

/** The form link that opens this rewrite as a new version of the same story. */
export function practiseHref(gradingId: string): string {
  return `/?rewriteOf=${encodeURIComponent(gradingId)}`;
}

/** One side of a word diff: the changed words struck through (`del`) or marked as added (`ins`). */
export function Pieces(props: { pieces: DiffPiece[]; changed: "del" | "ins" }) {
  return (
    <>
      {props.pieces.map((p) => {
        if (p.kind === "same") return p.text;
        const space = /^\s*/u.exec(p.text)![0];
        const text = p.text.slice(space.length);
        if (p.kind === "placeholder") return <>{space}<mark class="ph" title="Fill this in with what really happened">{text}</mark></>;
        return props.changed === "del" ? <>{space}<del>{text}</del></> : <>{space}<ins>{text}</ins></>;
      })}
    </>
  );
}

function SideBySide(props: { feedback: Feedback; rewrite: Rewrite }) {
  const { feedback, rewrite } = props;
  const original = (i: number) => {
    const s = feedback.segments[i];
    return s ? feedback.answer.slice(s.start, s.end) : "";
  };
  const used = new Set(rewrite.sentences.flatMap((s) => s.from));
  const leftOut = feedback.segments.map((_, i) => i).filter((i) => !used.has(i) && /[\p{L}\p{N}]/u.test(original(i)));
  return (
    <div class="rw-diff" role="table" aria-label="Your answer beside the stronger version">
      <div class="rw-row rw-head" role="row">
        <span role="columnheader">Your answer</span>
        <span role="columnheader">Stronger version</span>
      </div>
      {rewrite.sentences.map((s) => {
        const diff = wordDiff(s.from.map(original).join(" "), s.text);
        return (
          <div class={`rw-row part-${s.part}`} role="row" data-part={s.part} data-from={s.from.join(",")}>
            <span class="rw-old" role="cell">
              {s.from.length ? <Pieces pieces={diff.before} changed="del" /> : <span class="muted">(not in your answer)</span>}
            </span>
            <span class="rw-new" role="cell">
              <span class={`seg-tag tag-${s.part}`} title={PART_LABEL[s.part]}>{PART_LETTER[s.part]}</span>
              <span class="sr-only">({PART_LABEL[s.part]}) </span>
              <Pieces pieces={diff.after} changed="ins" />
            </span>
          </div>
        );
      })}
      {leftOut.map((i) => (
        <div class="rw-row rw-left-out" role="row" data-from={String(i)}>
          <span class="rw-old" role="cell"><del>{original(i)}</del></span>
          <span class="rw-new muted" role="cell">Left out: no part of the STAR story, or context beyond two sentences.</span>
        </div>
      ))}
    </div>
  );
}

export function RewritePanel(props: { feedback: Feedback; state: RewritePanelState }) {
  const { feedback } = props;
  const { rewrite, error } = props.state;
  return (
    <section class="card rewrite" id="rewrite" aria-labelledby="rewrite-title">
      <header class="part-head">
        <h2 id="rewrite-title">Stronger version</h2>
        {rewrite ? <span class="muted small">{rewrite.meta.mode === "llm" ? `written by ${rewrite.meta.model}, checked by code` : "rule-based"}</span> : null}
      </header>
      <p class="rw-promise">
        Your own story, restructured: Situation, Task, Action, Result. Nothing is invented — every figure and name comes from your answer,
        and <mark class="ph">[brackets]</mark> mark what only you can fill in.
      </p>
      {error ? (
        <div class="alert" role="alert" id="rewrite-error">
          <strong>No rewrite: </strong>
          {error.message}
        </div>
      ) : null}
      {!rewrite ? (
        // Without JavaScript a plain post; the page script streams the sentences in instead.
        <form method="post" action={`/result/${encodeURIComponent(feedback.id)}/rewrite`} class="inline" id="rewrite-form" data-id={feedback.id}>
          <button type="submit" class="primary" id="make-rewrite">Write a stronger version</button>
          <span class="hint" id="rewrite-status" aria-live="polite"></span>
        </form>
      ) : (
        <>
          {rewrite.meta.mode === "offline" && rewrite.meta.notice ? <div class="notice" role="note" id="rewrite-notice">{rewrite.meta.notice}</div> : null}
          {rewrite.dropped || rewrite.meta.figuresReplaced || rewrite.meta.ownershipReplaced ? (
            <p class="rw-checked" id="rewrite-checked">
              Checked against your answer:{" "}
              {[
                rewrite.dropped ? `${rewrite.dropped} sentence${rewrite.dropped === 1 ? "" : "s"} dropped for naming someone or telling something your answer does not` : "",
                rewrite.meta.figuresReplaced ? `${rewrite.meta.figuresReplaced} figure${rewrite.meta.figuresReplaced === 1 ? "" : "s"} not in your answer turned into a placeholder` : "",
                rewrite.meta.ownershipReplaced ? `${rewrite.meta.ownershipReplaced} “I” put back to “we” with a question about your own part` : "",
              ].filter(Boolean).join("; ")}
              .
            </p>
          ) : null}
          <SideBySide feedback={feedback} rewrite={rewrite} />
          {rewrite.placeholders.length ? (
            <>
              <h3>Fill in before you practise</h3>
              <ul class="rw-placeholders" id="rewrite-placeholders">
                {rewrite.placeholders.map((p) => (
                  <li><mark class="ph">{p}</mark></li>
                ))}
              </ul>
            </>
          ) : null}
          <p class="muted small">
            {rewrite.length.words} words · about {clock(rewrite.length.speakingSeconds)} spoken (target {clock(rewrite.length.targetSeconds.min)}–{clock(rewrite.length.targetSeconds.max)})
          </p>
          <p class="actions">
            <a class="button primary" href={practiseHref(feedback.id)} id="practise-rewrite">Practise this version</a>
            <span class="hint">Opens the form with this text, the principle and the question, as a new version of the same story.</span>
          </p>
        </>
      )}
    </section>
  );
}
