/**
 * The page's only script, bundled by scripts/build.ts into dist/client/app.js and served at
 * /assets/app.js. Progressive enhancement: without it the form posts and the server renders the
 * result; with it the page stays put, counts words live, picks random questions, streams the
 * feedback in over SSE, and records spoken answers (web/recorder.ts). It counts and formats with the server's own modules (core/tokens,
 * core/analyze, web/format) and draws the live view with the result page's components
 * (web/components.tsx), rendered by the same escaping JSX renderer as the server pages. Text from
 * users and the model is never parsed as HTML unescaped.
 */
import type { Child } from "hono/jsx";
import { lengthVerdict, speakingSeconds } from "../core/length.js";
import type { Feedback } from "../core/feedback.js";
import { countTokens } from "../core/tokens.js";
import type { PartialGrade } from "../grader/types.js";
import { draftFromStream, ResultBody, type ComputedFigures } from "./components.js";
import { bankPrompt, clock, number, REFIT_INTENT } from "./format.js";
import { setUpRecorder } from "./recorder.js";
import { LiveRewrite, type LiveSentence } from "./rewrite-live.js";

/** Word count by the contract's rules (the same function the server counts with). */
export function countWords(text: string): number {
  return countTokens(text).words;
}

// Exposed for the unit test that runs this bundle without a DOM.
(globalThis as { starcoach?: unknown }).starcoach = { countWords, clock };

interface GradeBody {
  principle: string;
  question: string;
  answer: string;
  /** The story an edited answer continues; absent: a new story. */
  storyId?: string;
}

/** How long typing must pause before the word count is announced. */
const SPEAK_AFTER_MS = 1200;

/** A refusal with the API's error code, so the page knows which field it is about. */
class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node as T;
}

/** Server-rendered markup (escaped by the JSX renderer) or a component rendered here, as an element. */
function toElement(html: string, id = "result"): HTMLElement | null {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  return tpl.content.getElementById(id);
}

function render(node: Child, id: string): HTMLElement {
  const element = toElement(String(node), id);
  if (!element) throw new Error(`rendering #${id} produced nothing`);
  return element;
}

function replaceResult(node: HTMLElement): void {
  byId("result").replaceWith(node);
}

/** Bring the result's top (the score) into view when it is above the screen or low on it. */
function revealResult(): void {
  const result = byId("result");
  result.closest(".workspace")?.classList.add("has-result"); // on a phone the result now comes first
  const top = result.getBoundingClientRect().top;
  if (top >= 0 && top <= window.innerHeight / 3) return;
  const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  result.scrollIntoView({ block: "start", behavior: smooth ? "smooth" : "auto" });
}

/** One SSE frame ("event: x\ndata: …") into its name and data. */
function parseEvent(raw: string): { event: string; data: string } {
  let event = "message";
  const data: string[] = [];
  for (const line of raw.split(/\r?\n/)) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  return { event, data: data.join("\n") };
}

/** The events of an SSE response body, their data parsed as JSON; an `error` event throws its message. */
async function* sseEvents(body: ReadableStream<Uint8Array<ArrayBuffer>>): AsyncGenerator<{ event: string; payload: unknown }> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return;
    buffer += chunk.value.replace(/\r\n/g, "\n");
    let idx: number;
    while ((idx = buffer.indexOf("\n\n")) >= 0) {
      const ev = parseEvent(buffer.slice(0, idx));
      buffer = buffer.slice(idx + 2);
      if (!ev.data) continue;
      const payload: unknown = JSON.parse(ev.data);
      if (ev.event === "error") {
        const { error } = payload as { error: { code: string; message: string } };
        throw new Refusal(error.code, error.message);
      }
      yield { event: ev.event, payload };
    }
  }
}

/** A JSON error response (the request was refused before any event) as a thrown message. */
async function refused(res: Response, signedOut: string): Promise<never> {
  if (res.status === 401) throw new Error(signedOut);
  const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  throw json?.error ? new Refusal(json.error.code, json.error.message) : new Error(`The server answered with HTTP ${res.status}.`);
}

const isEventStream = (res: Response) => (res.headers.get("content-type") ?? "").startsWith("text/event-stream") && res.body !== null;

/**
 * "Write a stronger version": the rewrite streamed in sentence by sentence (each already checked
 * against the answer), then the server's finished panel in its place. Without this script the
 * button is a plain form post.
 */
function setUpRewrite(): void {
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || form.id !== "rewrite-form" || !form.dataset.id) return;
    ev.preventDefault();
    const id = form.dataset.id;
    const button = form.querySelector("button");
    const status = document.getElementById("rewrite-status");
    document.getElementById("rewrite-error")?.remove();
    if (button) button.disabled = true;
    if (status) status.textContent = "Writing…";
    const sentences: LiveSentence[] = [];
    try {
      const res = await fetch(`/v1/gradings/${encodeURIComponent(id)}/rewrite/stream`, { method: "POST", headers: { accept: "text/event-stream" } });
      if (!isEventStream(res)) await refused(res, "You are signed out of this server. Sign in again in another tab, then press the button again.");
      let done = false;
      for await (const { event, payload } of sseEvents(res.body!)) {
        if (event === "sentence") {
          sentences.push(payload as LiveSentence);
          const live = render(<LiveRewrite sentences={sentences} />, "rewrite-live");
          const current = document.getElementById("rewrite-live");
          if (current) current.replaceWith(live);
          else form.after(live);
        } else if (event === "rewrite") done = true;
      }
      if (!done) throw new Error("The connection closed before the rewrite was complete; try again.");
      // The finished panel, rendered by the server like every result (the rewrite is now kept with the grading).
      const fresh = toElement(await fetch(`/result/${encodeURIComponent(id)}?fragment=1`).then((r) => r.text()));
      if (fresh) replaceResult(fresh);
      document.getElementById("rewrite")?.scrollIntoView({ behavior: "smooth", block: "start" });
    } catch (err) {
      if (button) button.disabled = false;
      if (status) status.textContent = "";
      const alert = document.createElement("div");
      alert.className = "alert";
      alert.id = "rewrite-error";
      alert.setAttribute("role", "alert");
      alert.textContent = `No rewrite: ${err instanceof Error && err.message ? err.message : "something went wrong; try again."}`;
      form.before(alert);
    }
  });
}

function setUpForm(form: HTMLFormElement): void {
  const principle = byId<HTMLSelectElement>("principle");
  const answer = byId<HTMLTextAreaElement>("answer");
  const question = byId<HTMLTextAreaElement>("question");
  const bank = byId<HTMLSelectElement>("question-bank");
  const errorBox = byId("form-error");
  const submit = byId<HTMLButtonElement>("submit");
  const status = byId("submit-status");
  const wpm = Number(form.dataset.wpm) || 150;
  const minSeconds = Number(form.dataset.minSeconds) || 60;
  const maxSeconds = Number(form.dataset.maxSeconds) || 120;
  const maxChars = Number(form.dataset.maxChars) || 20_000;

  // Live length against the target, by the server's counting and verdict rules.
  const liveHint = byId("live-words").textContent ?? "";
  function updateLive() {
    const words = countWords(answer.value);
    if (!words) {
      // Nothing typed yet is not "too short": keep the neutral hint, no colour.
      byId("live-words").textContent = liveHint;
      byId("live-fill").style.width = "0";
      byId("answer-stats").className = "live";
      return;
    }
    const secs = speakingSeconds(words, wpm);
    const verdict = lengthVerdict(secs, { minSeconds, maxSeconds });
    const target = `${clock(minSeconds)}–${clock(maxSeconds)}`;
    const note = verdict === "ok" ? `within the ${target} target` : verdict === "too_long" ? `over the ${clock(maxSeconds)} target: cut` : `aim for ${target}`;
    // Near and over the character limit the counter says so: nothing is cut, the server refuses it.
    const chars = answer.value.length;
    const over = chars > maxChars;
    const limit = over
      ? ` · ${number(chars)} characters: ${number(chars - maxChars)} over the ${number(maxChars)} limit, shorten it`
      : chars > maxChars * 0.9 ? ` · ${number(chars)} of ${number(maxChars)} characters` : "";
    byId("live-words").textContent = `${words} ${words === 1 ? "word" : "words"} · about ${clock(secs)} spoken · ${note}${limit}`;
    byId("live-fill").style.width = `${Math.min(100, (secs / (maxSeconds * 1.5)) * 100)}%`;
    byId("answer-stats").className = `live verdict-${over ? "too_long" : verdict}`;
    if (over) answer.setAttribute("aria-invalid", "true");
    else if (errorBox.hidden) answer.removeAttribute("aria-invalid");
  }
  answer.addEventListener("input", updateLive);
  // A screen reader hears the count once typing pauses, not on every keystroke.
  let speakTimer: ReturnType<typeof setTimeout> | undefined;
  answer.addEventListener("input", () => {
    clearTimeout(speakTimer);
    speakTimer = setTimeout(() => {
      byId("answer-stats-spoken").textContent = byId("live-words").textContent;
    }, SPEAK_AFTER_MS);
  });
  updateLive();

  // The question field grows with its text where CSS cannot size it (no field-sizing support).
  const fitQuestion = () => {
    if (CSS.supports("field-sizing", "content")) return;
    question.style.height = "auto";
    question.style.height = `${question.scrollHeight + 2}px`;
  };
  question.addEventListener("input", () => {
    fitQuestion();
    if (bank.value && bank.value !== question.value) bank.value = "";
  });
  fitQuestion();

  // Question bank for the chosen principle: picking one puts it, in full, into the question field.
  const useQuestion = (text: string) => {
    question.value = text;
    bank.value = Array.from(bank.options, (o) => o.value).includes(text) ? text : "";
    fitQuestion();
    // The focus stays where it is (on a phone, focusing the field would open the keyboard); a
    // screen reader hears the new question instead.
    byId("question-status").textContent = `Question: ${text}`;
  };
  bank.addEventListener("change", () => {
    if (bank.value) useQuestion(bank.value);
  });
  principle.addEventListener("change", () => {
    byId("principle-summary").textContent = principle.selectedOptions[0]?.dataset.summary ?? "";
    fetch(`/v1/questions?principle=${encodeURIComponent(principle.value)}`)
      .then((r) => (r.ok ? (r.json() as Promise<Array<{ text: string }>>) : []))
      .then((list) => {
        const option = (value: string, text: string) => Object.assign(document.createElement("option"), { value, text });
        bank.replaceChildren(option("", bankPrompt(list.length)), ...list.map((q) => option(q.text, q.text)));
        bank.value = list.some((q) => q.text === question.value) ? question.value : "";
      })
      .catch(() => {});
  });
  byId("random-question").addEventListener("click", (ev) => {
    const questions = Array.from(bank.options, (o) => o.value).filter(Boolean);
    if (!questions.length) return; // fall back to the server round trip
    ev.preventDefault();
    const pool = questions.length > 1 ? questions.filter((q) => q !== question.value) : questions;
    useQuestion(pool[Math.floor(Math.random() * pool.length)] ?? question.value);
  });

  function showError(message: string, code = "") {
    const strong = document.createElement("strong");
    strong.textContent = "Not graded: ";
    errorBox.replaceChildren(strong, document.createTextNode(message));
    errorBox.dataset.code = code;
    errorBox.hidden = false;
    errorBox.focus();
  }
  // An error about the answer ("empty", "too long") goes once the answer is edited: it no longer applies.
  answer.addEventListener("input", () => {
    if (!errorBox.hidden && (errorBox.dataset.code ?? "").startsWith("answer_")) clearError();
  });
  function clearError() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    delete errorBox.dataset.code;
    if (answer.value.length <= maxChars) answer.removeAttribute("aria-invalid");
  }

  /** A principle's name from the picker, or null for an id it does not list. */
  const principleName = (id: string): string | null => Array.from(principle.options).find((o) => o.value === id)?.text ?? null;

  async function grade(body: GradeBody): Promise<Feedback> {
    const res = await fetch("/v1/grade/stream", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(body),
    });
    if (!isEventStream(res)) await refused(res, "You are signed out of this server (it may have restarted). Sign in again in another tab, then press Get feedback: your text is still here.");
    // The live view is the result view itself, redrawn as the model writes (components.tsx).
    const chosen = { id: body.principle, name: principle.selectedOptions[0]?.text ?? body.principle };
    let figures: ComputedFigures | null = null;
    const draw = (partial: PartialGrade | null) => {
      if (!figures) return;
      const draft = draftFromStream({ answer: body.answer, principle: chosen, question: body.question.trim() || null, figures, partial, isPrinciple: (id) => principleName(id) !== null });
      // The story line holds its place while grading, so the finished result does not shift.
      const story = <p class="story-of">{body.storyId ? "Saving as the next version of this story" : "Saving as a new story"}</p>;
      replaceResult(render(<ResultBody draft={draft} nameOf={(id) => principleName(id) ?? id} story={story} />, "result"));
    };
    let final: Feedback | null = null;
    for await (const { event, payload } of sseEvents(res.body!)) {
      if (event === "analysis") {
        figures = payload as ComputedFigures;
        draw(null);
        revealResult();
      } else if (event === "partial") draw(payload as PartialGrade);
      else if (event === "feedback") final = payload as Feedback;
    }
    if (!final) throw new Error("The connection closed before the feedback was complete; try again.");
    return final;
  }

  /** A finished grading: the server's own page fragment (so it renders in one place), and its address. */
  const storyInput = byId<HTMLInputElement>("story-id");
  async function showFeedback(feedback: Feedback) {
    const html = await fetch(`/result/${encodeURIComponent(feedback.id)}?fragment=1`).then((r) => r.text());
    const fresh = toElement(html);
    if (fresh) replaceResult(fresh);
    history.pushState({ id: feedback.id }, "", `/result/${encodeURIComponent(feedback.id)}`);
    // Editing the answer now continues this story; "Grade as a new story" starts another.
    storyInput.value = feedback.storyId;
    byId("submit-new-story").hidden = false;
    form.querySelector(".form-title")!.textContent = "Edit and grade again";
    document.title = `Feedback: ${feedback.overall.score}/100 · starcoach`;
    status.textContent = `Graded: ${feedback.overall.score}/100.`;
    revealResult();
    // The focus moves to the result's heading, so the keyboard and a screen reader continue there.
    document.getElementById("result-title")?.focus({ preventScroll: true });
  }

  form.addEventListener("submit", async (ev) => {
    const intent = (ev.submitter as HTMLButtonElement | null)?.value ?? "";
    if (intent === "random") return; // handled above, or by the server without a bank
    ev.preventDefault();
    if (intent.startsWith(REFIT_INTENT)) {
      // A better-fitting principle from the result: pick it, then grade the same answer for it.
      principle.value = intent.slice(REFIT_INTENT.length);
      principle.dispatchEvent(new Event("change"));
    }
    clearError();
    const before = byId("result").cloneNode(true) as HTMLElement;
    const body: GradeBody = { principle: principle.value, question: question.value, answer: answer.value };
    if (storyInput.value && intent !== "new-story") body.storyId = storyInput.value;
    submit.disabled = true;
    status.textContent = "Grading…";
    try {
      await showFeedback(await grade(body));
    } catch (err) {
      const message = err instanceof Error ? err.message : "";
      const code = err instanceof Refusal ? err.code : "";
      replaceResult(before);
      if (code.startsWith("answer_")) answer.setAttribute("aria-invalid", "true");
      status.textContent = "";
      showError(message || "Something went wrong; your text is still here, try again.", code);
    } finally {
      submit.disabled = false;
    }
  });
  window.addEventListener("popstate", () => location.reload());

  const recorder = document.getElementById("recorder");
  if (recorder) {
    setUpRecorder<Feedback>(recorder, {
      fields: () => ({ principle: principle.value, question: question.value, storyId: storyInput.value }),
      clearError,
      showError,
      async accepted(feedback, seconds) {
        answer.value = feedback.answer; // the transcript, to edit and grade again as text
        updateLive();
        await showFeedback(feedback);
        return `Graded your ${clock(feedback.delivery?.durationSeconds ?? seconds)} recording: ${feedback.overall.score}/100.`;
      },
    });
  }
}

/**
 * The mock interview's question answered by voice: the recording goes to the mock's spoken-answer
 * route, and once it is graded the page moves on to the follow-up like a typed answer's post does.
 * The typed answer and its Submit button stay usable throughout.
 */
function setUpMockRecorder(box: HTMLElement, form: HTMLFormElement): void {
  const errorBox = byId("mock-error");
  const index = form.querySelector<HTMLInputElement>('input[name="index"]')?.value ?? "";
  setUpRecorder<{ id: string }>(box, {
    fields: () => ({ index }),
    clearError() {
      errorBox.hidden = true;
      errorBox.textContent = "";
    },
    showError(message) {
      const strong = document.createElement("strong");
      strong.textContent = "Not answered: ";
      errorBox.replaceChildren(strong, document.createTextNode(message));
      errorBox.hidden = false;
    },
    async accepted(mock, seconds) {
      location.assign(`/mock/${encodeURIComponent(mock.id)}`);
      return `Answered with your ${clock(seconds)} recording.`;
    },
  });
}

/**
 * A countdown for an answer ([data-timer] = the target in seconds): it starts when the page shows
 * the question, or when the candidate first types into the form's [data-timer-start] field; past
 * zero it counts the overrun. On submit the seconds taken go into the form's elapsedSeconds field.
 */
export function setUpTimer(el: HTMLElement): void {
  const target = Number(el.dataset.timer) || 120;
  const display = el.querySelector(".timer-clock")!;
  const note = el.querySelector(".timer-note")!;
  const hidden = el.querySelector<HTMLInputElement>('input[name="elapsedSeconds"]');
  const form = el.closest("form");
  const starter = form?.querySelector<HTMLElement>("[data-timer-start]");
  let started: number | null = null;
  let announced = false;
  const elapsed = () => (started === null ? 0 : (Date.now() - started) / 1000);
  const tick = () => {
    const left = target - Math.floor(elapsed());
    display.textContent = left >= 0 ? clock(left) : `+${clock(-left)}`;
    el.classList.toggle("over", left < 0);
    if (left < 0 && !announced) {
      announced = true;
      note.textContent = "Time is up: finish your sentence. The overrun is recorded.";
      note.setAttribute("role", "status");
    }
  };
  const start = () => {
    if (started !== null) return;
    started = Date.now();
    el.classList.add("running");
    tick();
    setInterval(tick, 250);
  };
  if (starter) {
    starter.addEventListener("focus", start, { once: true });
    starter.addEventListener("input", start, { once: true });
  } else start();
  form?.addEventListener("submit", () => {
    // Not started (nothing typed): leave it empty, and the server's clock decides.
    if (hidden && started !== null) hidden.value = String(Math.round(elapsed() * 10) / 10);
  });
}

if (typeof document !== "undefined") {
  const form = document.getElementById("grade-form");
  if (form instanceof HTMLFormElement) setUpForm(form);
  const mockStep = document.getElementById("mock-step");
  const mockRecorder = document.getElementById("recorder");
  if (mockStep instanceof HTMLFormElement && mockRecorder && mockStep.contains(mockRecorder)) setUpMockRecorder(mockRecorder, mockStep);
  document.querySelectorAll<HTMLElement>("[data-timer]").forEach(setUpTimer);
  // Destructive buttons ask first.
  document.querySelectorAll<HTMLButtonElement>("button[data-confirm]").forEach((b) =>
    b.addEventListener("click", (ev) => {
      if (!window.confirm(b.dataset.confirm ?? "Are you sure?")) ev.preventDefault();
    }),
  );
  setUpRewrite();
}
