/**
 * Pieces of the result view that the server page (result.tsx) and the page script's live view
 * (client.ts) both render, so a streamed grading looks like the finished page from its first event.
 * Only type imports from the server side: this module is bundled into the browser script too.
 */
import type { Feedback } from "../core/feedback.js";
import { STAR_PARTS, type StarPart } from "../core/star-parts.js";
import type { PartialGrade } from "../grader/types.js";
import { clock, PART_LABEL, PART_LETTER, percent, signed } from "./format.js";
import { highlightAnswer, type SpokenMarks } from "./highlight.js";

/** What the `analysis` event of POST /v1/grade/stream carries: everything counted by code. */
export type ComputedFigures = Pick<Feedback, "ownership" | "length" | "metrics" | "segments">;

export function Delta(props: { change: number | undefined; unit?: string; label: string }) {
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

/**
 * The answer with each sentence tagged by part, evidence quotes and Action-part "we" marked; for a
 * spoken answer also its filler words and long pauses.
 */
export function AnnotatedAnswer(props: { answer: string; segments: Feedback["segments"]; quotes?: readonly string[]; spoken?: SpokenMarks | null }) {
  const pieces = highlightAnswer(props.answer, props.segments, props.quotes ?? [], props.spoken ?? null);
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
              run.pause !== undefined ? (
                <span class="pause" title={`${run.pause} s of silence`}>
                  <span aria-hidden="true">⏸ {run.pause} s</span>
                  <span class="sr-only"> (pause of {run.pause} seconds) </span>
                </span>
              ) : run.evidence || run.we || run.filler ? (
                <mark class={[run.evidence && "ev", run.we && "we", run.filler && "filler"].filter(Boolean).join(" ")} title={run.filler ? "Filler word" : run.we ? "“we” in the Action part: say what you did" : "Quoted as evidence"}>
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

export function Legend(props: { spoken?: boolean }) {
  return (
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
      {props.spoken ? (
        <>
          <li class="chip">
            <mark class="filler">filler</mark>
          </li>
          <li class="chip">
            <span class="pause" aria-hidden="true">⏸</span> long pause
          </li>
        </>
      ) : null}
    </ul>
  );
}

/** The heading row of a S/T/A/R card; the score bar is left out while the model has not scored yet. */
export function PartHead(props: { part: StarPart; score?: number | undefined; change?: number | undefined }) {
  const { part } = props;
  return (
    <header class="part-head">
      <span class="part-letter" aria-hidden="true">{PART_LETTER[part]}</span>
      <h3 id={`part-${part}-title`}>{PART_LABEL[part]}</h3>
      <Delta change={props.change} label={PART_LABEL[part]} />
      {props.score === undefined ? null : <ScoreBar score={props.score} label={`${PART_LABEL[part]} score`} />}
    </header>
  );
}

function LengthGauge(props: { length: Feedback["length"]; recorded?: boolean | undefined }) {
  const l = props.length;
  const scale = l.targetSeconds.max * 1.5;
  const pos = (s: number) => `${Math.min(100, (s / scale) * 100).toFixed(1)}%`;
  const verdict = { too_short: "Too short", ok: "Within target", too_long: "Too long" }[l.verdict];
  return (
    <div class="figure" id="length-figure">
      <h3>Length</h3>
      <p class="big">
        <span id="fig-time">{clock(l.speakingSeconds)}</span> <span class="unit">{props.recorded ? "min recorded" : "min spoken"}</span>
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

function Numbers(props: { metrics: Feedback["metrics"] }) {
  const m = props.metrics;
  return (
    <div class="figure">
      <h3>Numbers</h3>
      <p class="big">{m.numbers.length}</p>
      <p>{m.numbers.length ? m.numbers.join(", ") : "No figures in the answer."}</p>
      <p class={m.quantifiedResult ? "verdict verdict-ok" : "verdict verdict-too_short"}>{m.quantifiedResult ? "The result is measured" : "The result has no number"}</p>
    </div>
  );
}

/** Ownership, length and numbers: counted by code, so known before the model answers. `recorded`: the length is a recording's. */
export function Figures(props: { figures: Pick<Feedback, "ownership" | "length" | "metrics">; recorded?: boolean }) {
  const f = props.figures;
  return (
    <section class="figures" aria-label="Measured figures">
      <Ownership ownership={f.ownership} />
      <LengthGauge length={f.length} recorded={props.recorded} />
      <Numbers metrics={f.metrics} />
    </section>
  );
}

/** The S/T/A/R cards while the model writes: each fills in as its feedback and score arrive. */
export function LiveParts(props: { partial: PartialGrade | null }) {
  return (
    <section class="parts" id="live-parts" aria-label="STAR parts">
      {STAR_PARTS.map((part) => {
        const grade = props.partial?.[part];
        return (
          <article class={`card part part-${part}`} data-part={part} aria-labelledby={`part-${part}-title`}>
            <PartHead part={part} score={typeof grade?.score === "number" ? grade.score : undefined} />
            <p class="part-feedback" id={`live-${part}-feedback`}>{grade?.feedback ?? ""}</p>
          </article>
        );
      })}
    </section>
  );
}

/** The result area from the `analysis` event on: the counted figures now, the model's words as they stream. */
export function LiveResult(props: { answer: string; context: string; figures: ComputedFigures }) {
  return (
    <section class="result streaming" id="result" aria-busy="true" aria-labelledby="result-title">
      <header class="card score-head">
        <div class="dial" role="img" aria-label="Overall score: grading">
          <span class="dial-num">…</span>
        </div>
        <div class="score-text">
          <h2 id="result-title">Grading…</h2>
          <p class="context">{props.context}</p>
        </div>
      </header>
      <section class="card annotated" aria-labelledby="annotated-title">
        <h2 id="annotated-title">Your answer, annotated</h2>
        <Legend />
        <AnnotatedAnswer answer={props.answer} segments={props.figures.segments} />
      </section>
      <Figures figures={props.figures} />
      <LiveParts partial={null} />
    </section>
  );
}

