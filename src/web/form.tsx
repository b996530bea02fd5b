/** The practice form: principle, question (bank or free text), answer with live length. */
import { PRINCIPLES, findPrinciple } from "../core/principles.js";
import type { BankQuestion } from "../core/questions.js";
import type { LengthOptions } from "../core/analyze.js";
import { MAX_ANSWER_CHARS, MAX_QUESTION_CHARS } from "../grading.js";
import { bankPrompt } from "./format.js";

export interface FormValues {
  principle: string;
  question: string;
  answer: string;
}

export interface FormError {
  code: string;
  message: string;
}

/** What the counter says before anything is typed (neutral: nothing is wrong yet). */
const LIVE_HINT = "Word count and speaking time appear as you type";

export function GradeForm(props: { values: FormValues; questions: BankQuestion[]; length: LengthOptions; error?: FormError | null; title?: string }) {
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
      data-max-chars={String(MAX_ANSWER_CHARS)}
    >
      <h1 class="form-title">{props.title ?? "Practise an answer"}</h1>
      <div id="form-error" class="alert" role="alert" tabindex={-1} hidden={!error} data-code={error?.code}>
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
        {/* A multi-line field that grows with its text, so a long question is read in full. */}
        <textarea
          id="question"
          name="question"
          rows={2}
          maxlength={MAX_QUESTION_CHARS}
          placeholder="Type your own, or pick one from the bank below"
          aria-invalid={questionError ? "true" : undefined}
          autocomplete="off"
        >
          {"\n" + values.question}
        </textarea>
        <div class="row bank-row">
          <select id="question-bank" name="bank" aria-label="Question bank for this principle">
            <option value="">{bankPrompt(props.questions.length)}</option>
            {props.questions.map((q) => (
              <option value={q.text} selected={q.text === values.question}>
                {q.text}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary" name="intent" value="random" id="random-question" formnovalidate>
            Random question
          </button>
        </div>
        <p id="question-status" class="sr-only" aria-live="polite"></p>
      </div>

      <div class="field">
        <label for="answer">Your answer</label>
        <textarea
          id="answer"
          name="answer"
          rows={9}
          placeholder="In my last role… My task was… I… As a result…"
          aria-describedby="answer-stats"
          aria-invalid={answerError ? "true" : undefined}
          spellcheck
        >
          {/* The HTML parser drops one leading newline in a textarea; this one keeps the answer's own. */}
          {"\n" + values.answer}
        </textarea>
        {/* Not a live region: it changes on every keystroke. The sr-only one below speaks on a pause. */}
        <div class="live" id="answer-stats">
          <span id="live-words">{LIVE_HINT}</span>
          <span class="live-bar" aria-hidden="true">
            <span class="live-target" style={`left:${(length.minSeconds / (length.maxSeconds * 1.5)) * 100}%;width:${((length.maxSeconds - length.minSeconds) / (length.maxSeconds * 1.5)) * 100}%`}></span>
            <span class="live-fill" id="live-fill"></span>
          </span>
        </div>
        <p class="sr-only" id="answer-stats-spoken" aria-live="polite"></p>
      </div>

      <div class="actions">
        <button type="submit" class="primary" name="intent" value="grade" id="submit">
          Get feedback
        </button>
        <span class="hint" id="submit-status" aria-live="polite"></span>
      </div>
    </form>
  );
}
