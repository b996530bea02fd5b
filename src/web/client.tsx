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
import { LiveParts, LiveResult, type ComputedFigures } from "./components.js";
import { clock } from "./format.js";
import { setUpRecorder } from "./recorder.js";

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

function setUpForm(form: HTMLFormElement): void {
  const principle = byId<HTMLSelectElement>("principle");
  const question = byId<HTMLInputElement>("question");
  const answer = byId<HTMLTextAreaElement>("answer");
  const bank = byId<HTMLDataListElement>("question-bank");
  const errorBox = byId("form-error");
  const submit = byId<HTMLButtonElement>("submit");
  const status = byId("submit-status");
  const wpm = Number(form.dataset.wpm) || 150;
  const minSeconds = Number(form.dataset.minSeconds) || 60;
  const maxSeconds = Number(form.dataset.maxSeconds) || 120;

  // Live length against the target, by the server's counting and verdict rules.
  function updateLive() {
    const words = countWords(answer.value);
    const secs = speakingSeconds(words, wpm);
    const verdict = lengthVerdict(secs, { minSeconds, maxSeconds });
    const target = `${clock(minSeconds)}–${clock(maxSeconds)}`;
    const note = verdict === "ok" ? `within the ${target} target` : verdict === "too_long" ? `over the ${clock(maxSeconds)} target: cut` : `aim for ${target}`;
    byId("live-words").textContent = `${words} ${words === 1 ? "word" : "words"} · about ${clock(secs)} spoken · ${note}`;
    byId("live-fill").style.width = `${Math.min(100, (secs / (maxSeconds * 1.5)) * 100)}%`;
    byId("answer-stats").className = `live verdict-${verdict}`;
  }
  answer.addEventListener("input", updateLive);
  updateLive();

  // Question bank for the chosen principle.
  let questions = Array.from(bank.options, (o) => o.value);
  principle.addEventListener("change", () => {
    byId("principle-summary").textContent = principle.selectedOptions[0]?.dataset.summary ?? "";
    fetch(`/v1/questions?principle=${encodeURIComponent(principle.value)}`)
      .then((r) => (r.ok ? (r.json() as Promise<Array<{ text: string }>>) : []))
      .then((list) => {
        questions = list.map((q) => q.text);
        bank.replaceChildren(...questions.map((q) => Object.assign(document.createElement("option"), { value: q })));
        byId("bank-count").textContent = String(questions.length);
      })
      .catch(() => {});
  });
  byId("random-question").addEventListener("click", (ev) => {
    if (!questions.length) return; // fall back to the server round trip
    ev.preventDefault();
    const pool = questions.length > 1 ? questions.filter((q) => q !== question.value) : questions;
    question.value = pool[Math.floor(Math.random() * pool.length)] ?? question.value;
    question.focus();
  });

  function showError(message: string) {
    const strong = document.createElement("strong");
    strong.textContent = "Not graded: ";
    errorBox.replaceChildren(strong, document.createTextNode(message));
    errorBox.hidden = false;
    errorBox.focus();
  }
  function clearError() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    answer.removeAttribute("aria-invalid");
  }

  async function grade(body: GradeBody): Promise<Feedback> {
    const res = await fetch("/v1/grade/stream", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify(body),
    });
    if (res.status === 401) throw new Error("You are signed out of this server (it may have restarted). Sign in again in another tab, then press Get feedback: your text is still here.");
    if (!(res.headers.get("content-type") ?? "").startsWith("text/event-stream") || !res.body) {
      const json = (await res.json().catch(() => null)) as { error?: { message: string } } | null;
      throw new Error(json?.error ? json.error.message : `The server answered with HTTP ${res.status}.`);
    }
    const context = (principle.selectedOptions[0]?.text ?? body.principle) + (body.question ? ` · ${body.question}` : "");
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let final: Feedback | null = null;
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += chunk.value.replace(/\r\n/g, "\n");
      let idx: number;
      while ((idx = buffer.indexOf("\n\n")) >= 0) {
        const ev = parseEvent(buffer.slice(0, idx));
        buffer = buffer.slice(idx + 2);
        if (!ev.data) continue;
        const payload: unknown = JSON.parse(ev.data);
        if (ev.event === "analysis") replaceResult(render(<LiveResult answer={body.answer} context={context} figures={payload as ComputedFigures} />, "result"));
        else if (ev.event === "partial") document.getElementById("live-parts")?.replaceWith(render(<LiveParts partial={payload as PartialGrade} />, "live-parts"));
        else if (ev.event === "error") throw new Error((payload as { error: { message: string } }).error.message);
        else if (ev.event === "feedback") final = payload as Feedback;
      }
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
    if (window.matchMedia("(max-width: 960px)").matches) byId("result").scrollIntoView({ behavior: "smooth" });
  }

  form.addEventListener("submit", async (ev) => {
    const intent = (ev.submitter as HTMLButtonElement | null)?.value;
    if (intent === "random") return; // handled above, or by the server without a bank
    ev.preventDefault();
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
      replaceResult(before);
      if (/answer/i.test(message)) answer.setAttribute("aria-invalid", "true");
      status.textContent = "";
      showError(message || "Something went wrong; your text is still here, try again.");
    } finally {
      submit.disabled = false;
    }
  });
  window.addEventListener("popstate", () => location.reload());

  const recorder = document.getElementById("recorder");
  if (recorder) {
    setUpRecorder(recorder, {
      principle: () => principle.value,
      question: () => question.value,
      storyId: () => storyInput.value,
      clearError,
      showError,
      async showFeedback(feedback) {
        answer.value = feedback.answer; // the transcript, to edit and grade again as text
        updateLive();
        await showFeedback(feedback);
      },
    });
  }
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
  document.querySelectorAll<HTMLElement>("[data-timer]").forEach(setUpTimer);
  // Destructive buttons ask first.
  document.querySelectorAll<HTMLButtonElement>("button[data-confirm]").forEach((b) =>
    b.addEventListener("click", (ev) => {
      if (!window.confirm(b.dataset.confirm ?? "Are you sure?")) ev.preventDefault();
    }),
  );
}
