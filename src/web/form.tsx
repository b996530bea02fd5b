/** The practice form: principle, question (bank or free text), answer with live length. */
import { PRINCIPLES, findPrinciple } from "../core/principles.js";
import type { BankQuestion } from "../core/questions.js";
import type { LengthOptions } from "../core/analyze.js";
import { MAX_ANSWER_CHARS, MAX_QUESTION_CHARS } from "../grading.js";
import { MAX_AUDIO_SECONDS } from "../spoken.js";
import { bankPrompt, clock } from "./format.js";

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

/** What the counter says before anything is typed (neutral: nothing is wrong yet). */
const LIVE_HINT = "Word count and speaking time appear as you type";

/** Whether the server can transcribe recordings, and whether it keeps them (STARCOACH_KEEP_AUDIO). */
export interface SpokenOptions {
  available: boolean;
  keepsAudio: boolean;
}

/**
 * The record button and its controls, on the practice form and the mock interview's question. Hidden
 * until the page script finds a microphone API (there is nothing to record without JavaScript); the
 * privacy note sits beside the button. `upload`: where the recording is posted (web/recorder.ts).
 */
export function Recorder(props: { spoken: SpokenOptions; targetSeconds: number; upload?: string; submitLabel?: string }) {
  const { spoken } = props;
  return (
    <div class="field recorder" id="recorder" hidden data-state="idle" data-target-seconds={String(props.targetSeconds)} data-max-seconds={String(MAX_AUDIO_SECONDS)} data-transcription={spoken.available ? "on" : "off"} data-upload={props.upload ?? "/v1/grade/audio"}>
      <span class="label" id="recorder-label">Or say it out loud</span>
      <div class="rec-row">
        <button type="button" class="secondary rec-start" id="rec-start" aria-describedby="rec-privacy">
          <span class="rec-dot" aria-hidden="true"></span> Record answer
        </button>
        <button type="button" class="secondary" id="rec-stop" hidden>
          <span class="rec-square" aria-hidden="true"></span> Stop
        </button>
        <span class="rec-timer" id="rec-timer" role="timer" aria-labelledby="recorder-label">0:00 / {clock(props.targetSeconds)}</span>
        <span class="rec-meter" aria-hidden="true"><span class="rec-level" id="rec-level"></span></span>
      </div>
      <audio id="rec-playback" controls hidden></audio>
      <div class="rec-row" id="rec-review" hidden>
        <button type="button" class="primary" id="rec-submit">{props.submitLabel ?? "Grade the recording"}</button>
        <button type="button" class="secondary" id="rec-redo">Record again</button>
      </div>
      <p class="hint" id="rec-status" aria-live="polite"></p>
      <p class="hint rec-privacy" id="rec-privacy">
        {spoken.keepsAudio
          ? "Recordings are kept on this server (STARCOACH_KEEP_AUDIO=1) and deleted with their grading. "
          : "The recording is sent for transcription and not stored. "}
        The transcript is stored like a typed answer.
        {spoken.available ? "" : " Transcription is not set up on this server (set OPENAI_API_KEY or STARCOACH_TRANSCRIBE_BASE_URL); you can still time yourself."}
      </p>
    </div>
  );
}

export function GradeForm(props: { values: FormValues; questions: BankQuestion[]; length: LengthOptions; error?: FormError | null; title?: string; spoken?: SpokenOptions | null; versionOf?: string | null; note?: string | null; story?: { title: string; versions: number } | null }) {
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
      {/* "Edit and grade again" continues this story as a new version; the page script keeps it current. */}
      <input type="hidden" name="storyId" id="story-id" value={values.storyId ?? ""} />
      {props.story ? (
        <p class="hint" id="story-note">
          Version {props.story.versions + 1} of <a href={`/stories/${encodeURIComponent(values.storyId ?? "")}`}>{props.story.title}</a>
        </p>
      ) : null}
      <div id="form-error" class="alert" role="alert" tabindex={-1} hidden={!error} data-code={error?.code}>
        {error ? <><strong>Not graded: </strong>{error.message}</> : null}
      </div>
      {props.note ? <p class="flash" id="form-note">{props.note}</p> : null}
      {/* The grading this answer is a new version of ("Practise this version"). Hook for the story bank:
          when gradings carry a storyId, put the story's id here as storyId so the new grading joins it. */}
      {props.versionOf ? <input type="hidden" name="versionOf" value={props.versionOf} /> : null}

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
        <button type="submit" class="secondary" name="intent" value="new-story" id="submit-new-story" hidden={!values.storyId}>
          Grade as a new story
        </button>
        <span class="hint" id="submit-status" aria-live="polite"></span>
      </div>

      {/* After the typed answer's button, so "Get feedback" stays on the first screen. */}
      {props.spoken ? <Recorder spoken={props.spoken} targetSeconds={length.maxSeconds} /> : null}
    </form>
  );
}
