/** The result view: score, the annotated answer, figures, S/T/A/R cards, fit, improvements, follow-ups. */
import type { Feedback, Part } from "../core/feedback.js";
import { findPrinciple } from "../core/principles.js";
import { STAR_PARTS, type StarPart } from "../core/star-split.js";
import type { ScoreChange } from "./compare.js";
import { BAND_LABEL, clock, PART_LABEL, PART_LETTER, percent, shortDate, signed } from "./format.js";
import { evidenceQuotes, highlightAnswer } from "./highlight.js";
import { RewritePanel, type RewritePanelState } from "./rewrite-panel.js";

function Delta(props: { change: number | undefined; unit?: string; label: string }) {
  if (props.change === undefined) return null;
  const c = props.change;
  const kind = c > 0 ? "up" : c < 0 ? "down" : "same";
  return (
    <span class={`delta delta-${kind}`} title={`${props.label} change against the previous version`}>
      {signed(c)}
      {props.unit ?? ""}
      <span class="sr-only"> versus the previous version</span>
    </span>
  );
}

export function ScoreBar(props: { score: number; label: string }) {
  return (
    <span class="bar" role="img" aria-label={`${props.label}: ${props.score} of 4`}>
      {[1, 2, 3, 4].map((i) => (
        <span class={i <= props.score ? "pip on" : "pip"}></span>
      ))}
      <span class="bar-num" aria-hidden="true">{props.score}/4</span>
    </span>
  );
}

export function AnnotatedAnswer(props: { feedback: Pick<Feedback, "answer" | "segments" | "star" | "principleFit"> }) {
  const { feedback } = props;
  const pieces = highlightAnswer(feedback.answer, feedback.segments, evidenceQuotes(feedback));
  return (
    <p class="answer-text" id="annotated-answer">
      {pieces.map((piece) =>
        piece.kind === "gap" ? (
          piece.text
        ) : (
          <span class={`seg seg-${piece.part ?? "other"}`} data-part={piece.part ?? "other"} title={piece.part ? PART_LABEL[piece.part] : "No STAR part"}>
            {piece.part ? <span class="seg-tag" aria-hidden="true">{PART_LETTER[piece.part]}</span> : null}
            {piece.part ? <span class="sr-only">({PART_LABEL[piece.part]}) </span> : null}
            {piece.runs.map((run) =>
              run.evidence || run.we ? (
                <mark class={[run.evidence ? "ev" : "", run.we ? "we" : ""].join(" ").trim()} title={run.we ? "“we” in the Action part: say what you did" : "Quoted as evidence"}>
                  {run.text}
                </mark>
              ) : (
                run.text
              ),
            )}
          </span>
        ),
      )}
    </p>
  );
}

function PartCard(props: { part: StarPart; data: Part; change?: number }) {
  const { part, data } = props;
  return (
    <article class={`card part part-${part}`} data-part={part} aria-labelledby={`part-${part}-title`}>
      <header class="part-head">
        <span class="part-letter" aria-hidden="true">{PART_LETTER[part]}</span>
        <h3 id={`part-${part}-title`}>{PART_LABEL[part]}</h3>
        <Delta change={props.change} label={PART_LABEL[part]} />
        <ScoreBar score={data.score} label={`${PART_LABEL[part]} score`} />
      </header>
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

function LengthGauge(props: { length: Feedback["length"] }) {
  const l = props.length;
  const scale = l.targetSeconds.max * 1.5;
  const pos = (s: number) => `${Math.min(100, (s / scale) * 100).toFixed(1)}%`;
  const verdict = { too_short: "Too short", ok: "Within target", too_long: "Too long" }[l.verdict];
  return (
    <div class="figure" id="length-figure">
      <h3>Length</h3>
      <p class="big">
        <span id="fig-time">{clock(l.speakingSeconds)}</span> <span class="unit">min spoken</span>
      </p>
      <div class="gauge" role="img" aria-label={`${l.speakingSeconds} seconds; target ${l.targetSeconds.min} to ${l.targetSeconds.max} seconds`}>
        <span class="gauge-target" style={`left:${pos(l.targetSeconds.min)};width:calc(${pos(l.targetSeconds.max)} - ${pos(l.targetSeconds.min)})`}></span>
        <span class={`gauge-marker verdict-${l.verdict}`} style={`left:${pos(l.speakingSeconds)}`}></span>
      </div>
      <p class={`verdict verdict-${l.verdict}`}>{verdict}</p>
      <p class="muted small">
        <span id="fig-words">{l.words}</span> words, {l.sentences} sentences at {l.wordsPerMinute} words/min; target {clock(l.targetSeconds.min)}–{clock(l.targetSeconds.max)}
      </p>
    </div>
  );
}

function Ownership(props: { ownership: Feedback["ownership"] }) {
  const o = props.ownership;
  const verdict = { strong: "You own the actions", mixed: "Mixed: some actions are the team’s", weak: "The actions sound like the team’s", unclear: "No I or we to judge by" }[o.verdict];
  return (
    <div class="figure" id="ownership-figure">
      <h3>Ownership</h3>
      <p class="big">
        <span id="fig-i">{o.iCount}</span> <span class="unit">× I</span> · <span id="fig-we">{o.weCount}</span> <span class="unit">× we</span>
      </p>
      <p>
        “I” share in the Action part: <strong id="fig-action-ratio">{percent(o.actionIRatio)}</strong> (overall {percent(o.iRatio)})
      </p>
      <p class={`verdict own-${o.verdict}`}>{verdict}</p>
    </div>
  );
}

export function ResultView(props: { feedback: Feedback; change?: ScoreChange | null; rewrite?: RewritePanelState }) {
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
        <ul class="legend" aria-label="Legend">
          {STAR_PARTS.map((p) => (
            <li class={`chip seg-${p}`}>
              <span class="seg-tag" aria-hidden="true">{PART_LETTER[p]}</span> {PART_LABEL[p]}
            </li>
          ))}
          <li class="chip">
            <mark class="ev">evidence</mark>
          </li>
          <li class="chip">
            <mark class="we">we</mark> in Action
          </li>
        </ul>
        <AnnotatedAnswer feedback={f} />
      </section>

      <section class="figures" aria-label="Measured figures">
        <Ownership ownership={f.ownership} />
        <LengthGauge length={f.length} />
        <div class="figure">
          <h3>Numbers</h3>
          <p class="big">{f.metrics.numbers.length}</p>
          <p>{f.metrics.numbers.length ? f.metrics.numbers.join(", ") : "No figures in the answer."}</p>
          <p class={f.metrics.quantifiedResult ? "verdict verdict-ok" : "verdict verdict-too_short"}>
            {f.metrics.quantifiedResult ? "The result is measured" : "The result has no number"}
          </p>
        </div>
      </section>

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
