/** The result view: score, the annotated answer, figures, S/T/A/R cards, fit, improvements, follow-ups. */
import type { Child } from "hono/jsx";
import type { Feedback, Part } from "../core/feedback.js";
import type { StoryDetail } from "../practice/bank.js";
import { findPrinciple } from "../core/principles.js";
import { STAR_PARTS, type StarPart } from "../core/star-split.js";
import type { ScoreChange } from "./compare.js";
import { AnnotatedAnswer, Delta, Figures, Legend, PartHead, ScoreBar } from "./components.js";
import { BAND_LABEL, shortDate } from "./format.js";
import { DeliveryCard, spokenMarks } from "./delivery.js";
import { evidenceQuotes } from "./highlight.js";
import { RewritePanel, type RewritePanelState } from "./rewrite-panel.js";

function PartCard(props: { part: StarPart; data: Part; change?: number }) {
  const { part, data } = props;
  return (
    <article class={`card part part-${part}`} data-part={part} aria-labelledby={`part-${part}-title`}>
      <PartHead part={part} score={data.score} change={props.change} />
      {!data.present ? <p class="missing">Missing from the answer.</p> : null}
      <p class="part-feedback">{data.feedback}</p>
      {data.fix ? (
        <p class="fix">
          <strong>Fix: </strong>
          {data.fix}
        </p>
      ) : null}
      {data.evidence.length ? (
        <ul class="evidence" aria-label="Evidence quoted from your answer">
          {data.evidence.map((q) => (
            <li>
              <q>{q}</q>
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}

export function ResultView(props: { feedback: Feedback; change?: ScoreChange | null; rewrite?: RewritePanelState; story?: StoryDetail | null; extra?: Child }) {
  const f = props.feedback;
  const change = props.change ?? null;
  return (
    <section class="result" id="result" aria-labelledby="result-title" data-id={f.id}>
      {f.meta.mode === "offline" || f.meta.notice ? (
        <div class="notice" role="note" id="mode-notice">
          <strong>{f.meta.mode === "offline" ? "Offline mode. " : ""}</strong>
          {/* The notice names the mode itself ("Offline mode: …"); the label above already says it. */}
          {f.meta.notice?.replace(/^Offline mode:\s*/i, "") ?? "Rule-based feedback only."}
        </div>
      ) : null}

      <header class="card score-head">
        <div class={`dial band-${f.overall.band}`} role="img" aria-label={`Overall score ${f.overall.score} of 100`}>
          <span class="dial-num" id="overall-score">{f.overall.score}</span>
          <span class="dial-of">/100</span>
        </div>
        <div class="score-text">
          <h2 id="result-title">{BAND_LABEL[f.overall.band]}</h2>
          <p class="context">
            <strong>{f.principle.name}</strong>
            {f.question ? <> · {f.question}</> : <> · no question given</>}
          </p>
          {props.story ? (
            <p class="story-of" id="story-link">
              Version {props.story.versionList.findIndex((v) => v.gradingId === f.id) + 1} of {props.story.versions} of the story{" "}
              <a href={`/stories/${encodeURIComponent(props.story.id)}`}>{props.story.title}</a>
            </p>
          ) : null}
          <p class="meta">
            {shortDate(f.createdAt)} · {f.meta.mode === "llm" ? `${f.meta.model}${f.meta.cached ? " (cached)" : ""}` : "rule-based"}
            {change ? (
              <>
                {" "}· <Delta change={change.overall} label="Overall score" /> since the <a href={`/result/${change.previousId}`}>previous version</a>
              </>
            ) : null}
          </p>
        </div>
      </header>

      <section class="card annotated" aria-labelledby="annotated-title">
        <h2 id="annotated-title">Your answer, annotated</h2>
        <Legend spoken={!!f.delivery} />
        <AnnotatedAnswer answer={f.answer} segments={f.segments} quotes={evidenceQuotes(f)} spoken={spokenMarks(f)} />
      </section>

      <Figures figures={f} recorded={!!f.delivery} />

      {f.delivery ? <DeliveryCard delivery={f.delivery} /> : null}

      <section class="parts" aria-label="STAR parts">
        {STAR_PARTS.map((p) => (
          <PartCard part={p} data={f.star[p]} {...(change ? { change: change.parts[p] } : {})} />
        ))}
      </section>

      <section class="card fit" aria-labelledby="fit-title">
        <header class="part-head">
          <h2 id="fit-title">Fit with {f.principle.name}</h2>
          <Delta change={change?.principleFit} label="Principle fit" />
          <ScoreBar score={f.principleFit.score} label="Principle fit" />
        </header>
        <p>{f.principleFit.rationale}</p>
        {f.principleFit.evidence.length ? (
          <ul class="evidence">
            {f.principleFit.evidence.map((q) => (
              <li>
                <q>{q}</q>
              </li>
            ))}
          </ul>
        ) : null}
        {f.principleFit.betterFits.length ? (
          <p>
            This story may show these better:{" "}
            {f.principleFit.betterFits.map((id, i) => (
              <>
                {i ? ", " : ""}
                <a href={`/?principle=${encodeURIComponent(id)}`}>{findPrinciple(id)?.name ?? id}</a>
              </>
            ))}
          </p>
        ) : null}
      </section>

      <div class="two">
        <section class="card" aria-labelledby="improve-title">
          <h2 id="improve-title">Top improvements</h2>
          <ol class="improvements">
            {f.improvements.map((t) => (
              <li>{t}</li>
            ))}
          </ol>
        </section>
        <section class="card" aria-labelledby="followups-title">
          <h2 id="followups-title">Follow-up questions to prepare</h2>
          <ul class="followups">
            {f.followUps.map((t) => (
              <li>{t}</li>
            ))}
          </ul>
        </section>
      </div>

      {props.rewrite ? <RewritePanel feedback={f} state={props.rewrite} /> : null}
      {props.extra}
    </section>
  );
}

/** What the right-hand column shows before the first grading. */
export function EmptyResult() {
  return (
    <section class="result empty" id="result" aria-label="Feedback">
      <div class="card">
        <h2>Your feedback appears here</h2>
        <ol class="steps">
          <li>Pick the principle the interviewer is probing, and a question from the bank.</li>
          <li>Paste or type the answer you would say out loud — aim for 1 to 2 minutes.</li>
          <li>See every sentence tagged as Situation, Task, Action or Result, the quotes the scores rest on, and each “we” where your own actions should be.</li>
        </ol>
        <p class="hint">Edit and grade again: the page shows how each part’s score moved against your previous version.</p>
      </div>
    </section>
  );
}
