/**
 * One answer in the batch report: how it is named wherever the report mentions it (its opening
 * words and question, not only its id) and its full feedback, folded in a <details> element that
 * the other sections link to. Every piece of user or model text goes through esc().
 */
import type { Feedback } from "../core/feedback.js";
import { STAR_PARTS } from "../core/star-parts.js";

export function esc(text: unknown): string {
  return String(text ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

const OPENING_WORDS = 8;

/** The first words of an answer, as a person recognises it: "In my last role at Acme, I was…". */
export function openingWords(answer: string): string {
  const words = answer.trim().split(/\s+/u);
  return words.length > OPENING_WORDS ? `${words.slice(0, OPENING_WORDS).join(" ")}…` : words.join(" ");
}

/** What the report needs to name an answer and link to it. */
export interface AnswerName {
  /** The row's position in the input: the anchor of its details (ids may hold any character). */
  ordinal: number;
  id: string;
  question: string | null;
  opening: string;
}

export const answerAnchor = (ordinal: number) => `answer-${ordinal}`;

/**
 * An answer as the report names it: its opening words (a link to its feedback when the report
 * holds it), then the question and the id in small print.
 */
export function answerName(a: AnswerName, linked: boolean, options: { principle?: string; inline?: boolean } = {}): string {
  const words = `“${esc(a.opening)}”`;
  const head = linked ? `<a href="#${answerAnchor(a.ordinal)}">${words}</a>` : words;
  if (options.inline) return `${head} (${esc(a.question ?? `id ${a.id}`)})`;
  const small = [options.principle, a.question ?? "no question", `id ${a.id}`].filter(Boolean).map((t) => esc(t)).join(" · ");
  return `${head}<br><span class="note">${small}</span>`;
}

const PART_LABEL = { situation: "Situation", task: "Task", action: "Action", result: "Result" } as const;
const VERDICT = { too_short: "too short", ok: "within the target", too_long: "too long" } as const;

/** A 0–4 or 0–100 score as a coloured badge; the colour pairs meet WCAG AA contrast (report CSS). */
export function scoreBadge(score: number, max: 4 | 100): string {
  const level = max === 4 ? score : Math.min(4, Math.floor(score / 20));
  return `<span class="badge s${level}">${score}<span class="sr"> of ${max}</span></span>`;
}

const list = (tag: "ol" | "ul", items: readonly string[]) => (items.length ? `<${tag}>${items.map((t) => `<li>${esc(t)}</li>`).join("")}</${tag}>` : "<p>None.</p>");

/** The answer's full feedback, closed until opened or linked to (a link opens it). */
export function answerDetails(a: AnswerName, f: Feedback): string {
  const parts = STAR_PARTS.map((p) => {
    const part = f.star[p];
    const fix = part.fix ? `<br><b>Fix:</b> ${esc(part.fix)}` : "";
    return `<tr><th scope="row" data-label="Part">${PART_LABEL[p]}</th><td data-label="Score">${scoreBadge(part.score, 4)}</td><td data-label="Feedback">${part.present ? "" : "<b>Missing.</b> "}${esc(part.feedback)}${fix}</td></tr>`;
  }).join("");
  const fit = `<tr><th scope="row" data-label="Part">Fit with ${esc(f.principle.name)}</th><td data-label="Score">${scoreBadge(f.principleFit.score, 4)}</td><td data-label="Feedback">${esc(f.principleFit.rationale)}</td></tr>`;
  const o = f.ownership;
  const l = f.length;
  const iShare = o.actionIRatio === null ? "no I or we in the Action part" : `${Math.round(o.actionIRatio * 100)}% “I” in the Action part`;
  return `<details class="answer">
<summary>${scoreBadge(f.overall.score, 100)} <span>“${esc(a.opening)}”</span> <span class="note">${esc(f.principle.name)} · ${esc(a.question ?? "no question")} · id ${esc(a.id)}</span></summary>
<div class="answer-body" id="${answerAnchor(a.ordinal)}">
<p><b>Overall ${f.overall.score} of 100</b> (${esc(f.overall.band)}) for ${esc(f.principle.name)}.</p>
<blockquote>${esc(f.answer)}</blockquote>
<table class="stack"><thead><tr><th scope="col">Part</th><th scope="col">Score (0–4)</th><th scope="col">Feedback</th></tr></thead><tbody>${parts}${fit}</tbody></table>
<p>${o.iCount} × I, ${o.weCount} × we; ${iShare}. ${l.words} words, about ${l.speakingSeconds} s spoken: ${VERDICT[l.verdict]}.${f.metrics.numbers.length ? ` Numbers: ${esc(f.metrics.numbers.join(", "))}.` : " No numbers."}</p>
<h4>Top improvements</h4>${list("ol", f.improvements)}
<h4>Follow-up questions to prepare</h4>${list("ul", f.followUps)}
</div>
</details>`;
}
