/** The practice form: principle, question (bank or free text), answer with live length. */
import { PRINCIPLES, findPrinciple } from "../core/principles.js";
import type { BankQuestion } from "../core/questions.js";
import type { LengthOptions } from "../core/analyze.js";
import { MAX_ANSWER_CHARS, MAX_QUESTION_CHARS } from "../grading.js";

export interface FormValues {
  principle: string;
  question: string;
  answer: string;
  /** The story an edited answer continues; empty: a new story. */
  storyId?: string;
}

export interface FormError {
  code: string;
  message: string;
}

export function GradeForm(props: { values: FormValues; questions: BankQuestion[]; length: LengthOptions; error?: FormError | null; title?: string; story?: { title: string; versions: number } | null }) {
  const { values, error, length } = props;
  const selected = findPrinciple(values.principle) ?? PRINCIPLES[0]!;
  const answerError = error && /^answer_/.test(error.code);
  const questionError = error && /^question_/.test(error.code);
  return (
    <form
      id="grade-form"
      class="card form"
      method="post"
      action="/grade"
      novalidate
      data-wpm={String(length.wordsPerMinute)}
      data-min-seconds={String(length.minSeconds)}
      data-max-seconds={String(length.maxSeconds)}
    >
      <h1 class="form-title">{props.title ?? "Practise an answer"}</h1>
      {/* "Edit and grade again" continues this story as a new version; the page script keeps it current. */}
      <input type="hidden" name="storyId" id="story-id" value={values.storyId ?? ""} />
      {props.story ? (
        <p class="hint" id="story-note">
          Version {props.story.versions + 1} of <a href={`/stories/${encodeURIComponent(values.storyId ?? "")}`}>{props.story.title}</a>
        </p>
      ) : null}
      <div id="form-error" class="alert" role="alert" tabindex={-1} hidden={!error}>
        {error ? <><strong>Not graded: </strong>{error.message}</> : null}
      </div>

      <div class="field">
        <label for="principle">Leadership Principle</label>
        <select id="principle" name="principle" aria-describedby="principle-summary">
          {PRINCIPLES.map((p) => (
            <option value={p.id} selected={p.id === selected.id} data-summary={p.summary}>
              {p.name}
            </option>
          ))}
        </select>
        <p id="principle-summary" class="hint">{selected.summary}</p>
        <details class="principles-help">
          <summary>What the 16 principles mean</summary>
          <dl>
            {PRINCIPLES.map((p) => (
              <>
                <dt>{p.name}</dt>
                <dd>{p.summary}</dd>
              </>
            ))}
          </dl>
        </details>
      </div>

      <div class="field">
        <label for="question">Interview question <span class="optional">(optional)</span></label>
        <div class="row">
          <input
            id="question"
            name="question"
            type="text"
            list="question-bank"
            maxlength={MAX_QUESTION_CHARS}
            value={values.question}
            placeholder="Pick from the bank or type your own"
            aria-describedby="question-hint"
            aria-invalid={questionError ? "true" : undefined}
            autocomplete="off"
          />
          <button type="submit" class="secondary" name="intent" value="random" id="random-question" formnovalidate>
            Random question
          </button>
        </div>
        <datalist id="question-bank">
          {props.questions.map((q) => (
            <option value={q.text}></option>
          ))}
        </datalist>
        <p id="question-hint" class="hint">
          <span id="bank-count">{props.questions.length}</span> questions in the bank for this principle.
        </p>
      </div>

      <div class="field">
        <label for="answer">Your answer</label>
        <textarea
          id="answer"
          name="answer"
          rows={14}
          maxlength={MAX_ANSWER_CHARS}
          placeholder="In my last role… My task was… I… As a result…"
          aria-describedby="answer-stats"
          aria-invalid={answerError ? "true" : undefined}
          spellcheck
        >
          {/* The HTML parser drops one leading newline in a textarea; this one keeps the answer's own. */}
          {"\n" + values.answer}
        </textarea>
        <div class="live" id="answer-stats" aria-live="polite">
          <span id="live-words">Word count and speaking time appear as you type</span>
          <span class="live-bar" aria-hidden="true">
            <span class="live-target" style={`left:${(length.minSeconds / (length.maxSeconds * 1.5)) * 100}%;width:${((length.maxSeconds - length.minSeconds) / (length.maxSeconds * 1.5)) * 100}%`}></span>
            <span class="live-fill" id="live-fill"></span>
          </span>
        </div>
      </div>

      <div class="actions">
        <button type="submit" class="primary" name="intent" value="grade" id="submit">
          Get feedback
        </button>
        <button type="submit" class="secondary" name="intent" value="new-story" id="submit-new-story" hidden={!values.storyId}>
          Grade as a new story
        </button>
        <span class="hint" id="submit-status" aria-live="polite"></span>
      </div>
    </form>
  );
}
