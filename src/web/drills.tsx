/** Follow-up drills on the result page, and the timer both drills and mock interviews show. */
import type { Feedback } from "../core/feedback.js";
import { FOLLOW_UP_SECONDS, type FollowUpResult } from "../core/followup.js";
import { clock } from "./format.js";

/**
 * A visible countdown for an answer. Without JavaScript it shows the target only; the page script
 * counts down (and on past zero, as overrun), and writes the seconds taken into `elapsedSeconds`
 * when the form is sent.
 */
export function Timer(props: { seconds: number; label: string }) {
  return (
    <div class="timer" data-timer={String(props.seconds)} role="timer" aria-label={props.label}>
      <span class="timer-clock" aria-live="off">
        {clock(props.seconds)}
      </span>
      <span class="timer-note">{props.label}</span>
      <input type="hidden" name="elapsedSeconds" value="" />
    </div>
  );
}

export function DrillResult(props: { drill: FollowUpResult }) {
  const d = props.drill;
  return (
    <li class="drill" id={`drill-${d.id}`} data-drill={d.id}>
      <p>
        <strong>{d.question}</strong>
      </p>
      <p class="drill-score">
        <span class={`score-pill drill-${d.score}`}>{d.score}/4</span>{" "}
        <span class={d.answersQuestion ? "ok" : "bad"}>{d.answersQuestion ? "answers the question" : "does not answer the question"}</span> ·{" "}
        <span class={d.consistent ? "ok" : "bad"}>{d.consistent ? "consistent with the story" : "contradicts the story"}</span> · {d.length.words} words, about {clock(d.length.speakingSeconds)} spoken
        {d.length.elapsedSeconds !== null ? <> · took {clock(d.length.elapsedSeconds)}</> : null} · I {d.ownership.iCount} / we {d.ownership.weCount}
      </p>
      <p>{d.feedback}</p>
      {d.contradictions.length ? (
        <ul class="contradictions">
          {d.contradictions.map((c) => (
            <li>{c.explanation}</li>
          ))}
        </ul>
      ) : null}
      {d.evidence.length ? (
        <ul class="evidence">
          {d.evidence.map((q) => (
            <li>
              <q>{q}</q>
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>Your answer</summary>
        <p class="drill-answer">{d.answer}</p>
      </details>
    </li>
  );
}

export interface DrillFormValues {
  question: string;
  answer: string;
}

/** Pick one follow-up, answer it against a 60-second timer; posts to /result/:id/followups. */
export function DrillSection(props: { feedback: Feedback; drills: FollowUpResult[]; values?: DrillFormValues | null; error?: string | null }) {
  const f = props.feedback;
  const questions = [...new Set([...f.followUps, ...(f.barRaiser?.followUps ?? [])])];
  const chosen = props.values?.question || questions[0] || "";
  return (
    <section class="card drills" id="drills" aria-labelledby="drills-title">
      <h2 id="drills-title">Follow-up drill</h2>
      <p class="hint">
        An interviewer digs into your story. Pick a follow-up and answer it in {FOLLOW_UP_SECONDS.min}–{FOLLOW_UP_SECONDS.max} seconds, keeping to the facts of your story.
      </p>
      {props.drills.length ? (
        <ol class="drill-list" id="drill-list">
          {props.drills.map((d) => (
            <DrillResult drill={d} />
          ))}
        </ol>
      ) : null}
      {questions.length ? (
        <form method="post" action={`/result/${encodeURIComponent(f.id)}/followups`} class="drill-form" id="drill-form">
          {props.error ? (
            <p class="alert" role="alert">
              <strong>Not judged: </strong>
              {props.error}
            </p>
          ) : null}
          <fieldset class="field">
            <legend>Follow-up question</legend>
            {questions.map((q, i) => (
              <label class="check">
                <input type="radio" name="question" value={q} checked={q === chosen} id={`drill-q-${i}`} /> {q}
              </label>
            ))}
          </fieldset>
          <Timer seconds={FOLLOW_UP_SECONDS.max} label={`Aim for ${FOLLOW_UP_SECONDS.min}–${FOLLOW_UP_SECONDS.max} seconds`} />
          <div class="field">
            <label for="drill-answer">Your answer</label>
            <textarea id="drill-answer" name="answer" rows={5} maxlength={5000} data-timer-start>
              {"\n" + (props.values?.answer ?? "")}
            </textarea>
          </div>
          <button type="submit" class="primary" id="drill-submit">
            Judge my follow-up
          </button>
        </form>
      ) : (
        <p class="muted">This grading has no follow-up questions.</p>
      )}
    </section>
  );
}
