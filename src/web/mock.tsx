/** The mock interview pages: set-up, one question (or its follow-up) at a time, the debrief. */
import { PRINCIPLES } from "../core/principles.js";
import { FOLLOW_UP_SECONDS } from "../core/followup.js";
import { DEFAULT_MOCK_QUESTIONS, MAX_MOCK_QUESTIONS, MOCK_ROLES, ROLE_PRINCIPLES } from "../practice/mock.js";
import type { Mock } from "../practice/mocks.js";
import { DeliveryLine } from "./delivery.js";
import { Timer } from "./drills.js";
import { Recorder, type SpokenOptions } from "./form.js";
import { ConfirmDelete } from "./history.js";
import { clock } from "./format.js";

const SIGNAL_LABEL = { strong_no: "Strong no", no: "No", yes: "Yes", strong_yes: "Strong yes" } as const;

/** One earlier mock in the list: open it, or delete it after a confirmation (a details element: no script needed). */
function RecentMock(props: { mock: { id: string; createdAt: string; status: string } }) {
  const m = props.mock;
  const when = m.createdAt.slice(0, 16).replace("T", " ");
  return (
    <li class="recent-mock" data-mock={m.id}>
      <span>
        <a href={`/mock/${encodeURIComponent(m.id)}`}>{when}</a> · {m.status === "finished" ? "debrief" : "in progress"}
      </span>
      <ConfirmDelete action={`/mock/${encodeURIComponent(m.id)}/delete`} name={`mock interview of ${when}`} question="Delete it and its answers for good?" />
    </li>
  );
}

/** The answer box of a mock step (the leading newline keeps a first blank line the user typed). */
function AnswerField(props: { rows: number; maxLength: number; answer?: string | undefined }) {
  return (
    <>
      <label for="mock-answer">Your answer</label>
      <textarea id="mock-answer" name="answer" rows={props.rows} maxlength={props.maxLength}>
        {"\n" + (props.answer ?? "")}
      </textarea>
    </>
  );
}

export function MockSetup(props: { error?: string | null; notice?: string | null; recent: Array<{ id: string; createdAt: string; status: string }> }) {
  return (
    <div class="mock">
      <form method="post" action="/mock" class="card mock-setup" id="mock-setup">
        <h1>Mock interview</h1>
        <p class="hint">
          Questions from the bank, each on a different principle. Two minutes per answer (you may run over; it is recorded), then one drill-down follow-up. A debrief at the end.
        </p>
        {props.error ? (
          <p class="alert" role="alert">
            {props.error}
          </p>
        ) : null}
        {props.notice ? (
          <p class="flash" role="status">
            {props.notice}
          </p>
        ) : null}
        <fieldset class="field">
          <legend>Role</legend>
          {MOCK_ROLES.map((r) => (
            <label class="check">
              <input type="radio" name="role" value={r} checked={r === "general"} /> {ROLE_PRINCIPLES[r].name}
            </label>
          ))}
        </fieldset>
        <details class="field">
          <summary>Or choose the principles</summary>
          <div class="principle-checks">
            {PRINCIPLES.map((p) => (
              <label class="check">
                <input type="checkbox" name="principles" value={p.id} /> {p.name}
              </label>
            ))}
          </div>
        </details>
        <div class="field">
          <label for="mock-count">Questions</label>
          <select id="mock-count" name="count">
            {Array.from({ length: MAX_MOCK_QUESTIONS }, (_, i) => i + 1).map((n) => (
              <option value={String(n)} selected={n === DEFAULT_MOCK_QUESTIONS}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary" id="mock-start">
          Start the interview
        </button>
      </form>
      {props.recent.length ? (
        <section class="card" aria-labelledby="recent-mocks">
          <h2 id="recent-mocks">Earlier mock interviews</h2>
          <ul class="recent-mocks">
            {props.recent.map((m) => (
              <RecentMock mock={m} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export function MockStep(props: { mock: Mock; error?: string | null; answer?: string; spoken?: SpokenOptions | null }) {
  const m = props.mock;
  const action = (path: string) => `/mock/${encodeURIComponent(m.id)}/${path}`;
  const pending = m.pendingFollowUp === null ? null : m.answers.find((a) => a.index === m.pendingFollowUp)!;
  const progress = (
    <p class="muted small" id="mock-progress">
      {m.answers.length} of {m.questions.length} answered
    </p>
  );
  // Always there (hidden when empty): the recorder reports a refused recording in it too.
  const errorBox = (
    <p class="alert" role="alert" id="mock-error" hidden={!props.error}>
      {props.error ?? ""}
    </p>
  );
  let step;
  if (pending?.followUp) {
    step = (
      <form method="post" action={action(`answers/${pending.index}/followup`)} class="card mock-step" id="mock-step" data-step="followup">
        {progress}
        <h1>Follow-up on question {pending.index + 1}</h1>
        <p class="mock-question" id="mock-question">
          {pending.followUp.question}
        </p>
        {errorBox}
        <Timer seconds={FOLLOW_UP_SECONDS.max} label={`Aim for ${FOLLOW_UP_SECONDS.min}–${FOLLOW_UP_SECONDS.max} seconds`} />
        <AnswerField rows={6} maxLength={5000} answer={props.answer} />
        <div class="actions">
          <button type="submit" class="primary" id="mock-submit">
            Submit follow-up
          </button>
          <button type="submit" class="secondary" formaction={action(`answers/${pending.index}/skip-followup`)} id="mock-skip">
            Skip
          </button>
        </div>
      </form>
    );
  } else if (m.current !== null) {
    const q = m.questions[m.current]!;
    step = (
      <form method="post" action={action("answers")} class="card mock-step" id="mock-step" data-step="question">
        {progress}
        <h1>
          Question {q.index + 1} of {m.questions.length}
        </h1>
        <p class="muted">{q.principle.name}</p>
        <p class="mock-question" id="mock-question">
          {q.text}
        </p>
        {errorBox}
        <Timer seconds={m.answerSeconds} label="Two minutes; you may run over" />
        <input type="hidden" name="index" value={String(q.index)} />
        <AnswerField rows={12} maxLength={20000} answer={props.answer} />
        <div class="actions">
          <button type="submit" class="primary" id="mock-submit">
            Submit answer
          </button>
        </div>
        {props.spoken ? <Recorder spoken={props.spoken} targetSeconds={m.answerSeconds} upload={`/v1/mocks/${encodeURIComponent(m.id)}/answers/audio`} submitLabel="Submit the recording" /> : null}
      </form>
    );
  } else {
    step = (
      <section class="card mock-step" id="mock-step" data-step="done">
        {progress}
        <h1>All questions answered</h1>
        {errorBox}
      </section>
    );
  }
  return (
    <div class="mock">
      {step}
      {m.answers.length ? (
        <form method="post" action={action("finish")} class="mock-finish">
          <button type="submit" class={m.current === null && m.pendingFollowUp === null ? "primary" : "link"} id="mock-finish">
            {m.current === null && m.pendingFollowUp === null ? "See the debrief" : "End the interview now and see the debrief"}
          </button>
        </form>
      ) : null}
    </div>
  );
}

export function MockDebrief(props: { mock: Mock; titles: ReadonlyMap<string, string> }) {
  const m = props.mock;
  const d = m.debrief!;
  const spoken = d.time.filter((t) => t.delivery);
  return (
    <div class="mock debrief" id="debrief">
      <section class="card" aria-labelledby="debrief-title">
        <h1 id="debrief-title">Debrief</h1>
        <p class="muted">
          {m.answers.length} of {m.questions.length} questions answered{d.unanswered.length ? ` (not answered: ${d.unanswered.map((i) => i + 1).join(", ")})` : ""}.
        </p>
        <h2>Practise next</h2>
        <ol class="practise-next" id="practise-next">
          {d.practiseNext.map((t) => (
            <li>{t}</li>
          ))}
        </ol>
      </section>
      <section class="card" aria-labelledby="signals-title">
        <h2 id="signals-title">Signal per principle</h2>
        <ul class="signals" id="signals">
          {d.principles.map((p) => (
            <li data-principle={p.principle.id}>
              <p>
                <span class={`signal signal-${p.signal}`}>{SIGNAL_LABEL[p.signal]}</span> <strong>{p.principle.name}</strong> ·{" "}
                <a href={`/result/${encodeURIComponent(p.gradingId)}`}>{p.score}/100</a> · {m.questions[p.index]!.text}
              </p>
              <ul>
                {p.reasons.map((r) => (
                  <li>{r}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="time-title">
        <h2 id="time-title">Time per answer (target 2:00)</h2>
        <table class="times" id="times">
          <thead>
            <tr>
              <th scope="col">Question</th>
              <th scope="col">Answer</th>
              <th scope="col">Follow-up</th>
            </tr>
          </thead>
          <tbody>
            {d.time.map((t) => (
              <tr class={t.overrun ? "overrun" : ""}>
                <td>{t.index + 1}</td>
                <td>
                  {clock(t.elapsedSeconds)}
                  {t.overrun ? <strong> over by {clock(t.elapsedSeconds - t.targetSeconds)}</strong> : null}
                  {t.delivery ? <span class="muted"> · spoken</span> : null}
                </td>
                <td>{t.followUpSeconds === null ? "—" : clock(t.followUpSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {spoken.length ? (
          <>
            <h3 class="mock-delivery-title">Spoken answers</h3>
            <p class="muted small">Times of spoken answers are the recordings' lengths, read from the audio.</p>
            <ul class="mock-delivery" id="mock-delivery">
              {spoken.map((t) => (
                <li data-index={String(t.index)}>
                  Question {t.index + 1}: <DeliveryLine delivery={t.delivery!} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <section class="card" aria-labelledby="stories-used-title">
        <h2 id="stories-used-title">Stories used</h2>
        <ol>
          {d.stories.map((s) => (
            <li>
              Question {s.index + 1}: <a href={`/stories/${encodeURIComponent(s.storyId)}`}>{props.titles.get(s.storyId) ?? "story"}</a>
            </li>
          ))}
        </ol>
        {d.storyWarnings.map((w) => (
          <p class="alert story-warning" role="note">
            {w.message}
          </p>
        ))}
      </section>
      <p>
        <a href="/mock">Start another mock interview</a>
      </p>
    </div>
  );
}
