/**
 * Pieces of the result view that the server page (result.tsx) and the page script's live view
 * (client.tsx) both render, so a streamed grading looks like the finished page from its first event.
 * Only type imports from the server side: this module is bundled into the browser script too.
 */
import type { Child } from "hono/jsx";
import type { Feedback } from "../core/feedback.js";
import { quoteGrounder } from "../core/score.js";
import { STAR_PARTS, type StarPart } from "../core/star-parts.js";
import type { PartialGrade } from "../grader/types.js";
import type { ScoreChange } from "./compare.js";
import { BAND_LABEL, clock, PART_LABEL, PART_LETTER, percent, REFIT_INTENT, shortDate, signed } from "./format.js";
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

/** A part as the view draws it: finished, or still being written by the model (fields missing). */
export interface PartView {
  present: boolean;
  score?: number | undefined;
  feedback?: string | undefined;
  fix?: string | null | undefined;
  evidence: readonly string[];
}

/**
 * What the result view draws: a finished grading, or one whose model half is still streaming. The
 * counted half (answer, segments, figures) is complete from the first event on.
 */
export interface ResultDraft {
  id?: string;
  createdAt?: string;
  principle: Feedback["principle"];
  question: string | null;
  answer: string;
  segments: Feedback["segments"];
  figures: Pick<Feedback, "ownership" | "length" | "metrics">;
  /** Absent while the model is writing. */
  overall?: Feedback["overall"];
  star: Record<StarPart, PartView>;
  principleFit: { score?: number | undefined; rationale?: string | undefined; evidence: readonly string[]; betterFits: readonly string[] };
  improvements: readonly string[];
  followUps: readonly string[];
  meta?: Pick<Feedback["meta"], "mode" | "model" | "cached" | "notice">;
  /** A spoken answer's filler words and long pauses, marked in the annotated answer. */
  spoken?: SpokenMarks | null;
  /** The length is a recording's, not an estimate. */
  recorded?: boolean;
}

/** A finished grading as the view draws it. */
export function draftOf(f: Feedback): ResultDraft {
  return { ...f, figures: f, star: f.star, principleFit: f.principleFit };
}

const strings = (list: readonly (string | undefined)[] | undefined): string[] => (list ?? []).filter((x): x is string => typeof x === "string" && x.length > 0);

/**
 * A grading mid-stream: the counted figures, and whatever the model has written so far. Its quotes
 * are kept only where they occur in the answer (as the final grounding does), and better fits only
 * once they name a principle.
 */
export function draftFromStream(args: {
  answer: string;
  principle: Feedback["principle"];
  question: string | null;
  figures: ComputedFigures;
  partial: PartialGrade | null;
  isPrinciple: (id: string) => boolean;
}): ResultDraft {
  const { partial, figures } = args;
  const ground = quoteGrounder(args.answer);
  const part = (p: StarPart): PartView => {
    const g = partial?.[p];
    return {
      present: figures.segments.some((s) => s.part === p), // decided by code, as in the final Feedback
      score: typeof g?.score === "number" ? g.score : undefined,
      feedback: g?.feedback,
      fix: g?.fix,
      evidence: ground(strings(g?.evidence)).kept,
    };
  };
  const fit = partial?.principleFit;
  return {
    principle: args.principle,
    question: args.question,
    answer: args.answer,
    segments: figures.segments,
    figures,
    star: { situation: part("situation"), task: part("task"), action: part("action"), result: part("result") },
    principleFit: {
      score: typeof fit?.score === "number" ? fit.score : undefined,
      rationale: fit?.rationale,
      evidence: ground(strings(fit?.evidence)).kept,
      betterFits: strings(fit?.betterFits).filter(args.isPrinciple),
    },
    improvements: strings(partial?.improvements),
    followUps: strings(partial?.followUps),
  };
}

function EvidenceList(props: { quotes: readonly string[]; label?: string }) {
  if (!props.quotes.length) return null;
  return (
    <ul class="evidence" aria-label={props.label}>
      {props.quotes.map((q) => (
        <li>
          <q>{q}</q>
        </li>
      ))}
    </ul>
  );
}

function PartCard(props: { part: StarPart; data: PartView; change?: number | undefined }) {
  const { part, data } = props;
  return (
    <article class={`card part part-${part}`} data-part={part} aria-labelledby={`part-${part}-title`}>
      <PartHead part={part} score={data.score} change={props.change} />
      {!data.present ? <p class="missing">Missing from the answer.</p> : null}
      <p class="part-feedback">{data.feedback ?? ""}</p>
      {data.fix ? (
        <p class="fix">
          <strong>Fix: </strong>
          {data.fix}
        </p>
      ) : null}
      <EvidenceList quotes={data.evidence} label="Evidence quoted from your answer" />
    </article>
  );
}

function ScoreHead(props: { draft: ResultDraft; change: ScoreChange | null; story?: Child }) {
  const { draft, change } = props;
  const overall = draft.overall;
  const meta = draft.meta;
  return (
    <header class="card score-head">
      <div class={overall ? `dial band-${overall.band}` : "dial"} role="img" aria-label={overall ? `Overall score ${overall.score} of 100` : "Overall score: grading"}>
        <span class="dial-num" id={overall ? "overall-score" : undefined}>{overall ? overall.score : "…"}</span>
        <span class="dial-of">/100</span>
      </div>
      <div class="score-text">
        <h2 id="result-title" tabindex={-1}>{overall ? BAND_LABEL[overall.band] : "Grading…"}</h2>
        {props.story}
        <p class="context">
          <strong>{draft.principle.name}</strong>
          {draft.question ? <> · {draft.question}</> : <> · no question given</>}
        </p>
        <p class="meta">
          {meta && draft.createdAt ? (
            <>
              {shortDate(draft.createdAt)} · {meta.mode === "llm" ? `${meta.model}${meta.cached ? " (cached)" : ""}` : "rule-based"}
            </>
          ) : (
            // About as long as the date and model line it turns into, so the card keeps its height.
            "Grading now · the model is writing"
          )}
          {change ? (
            <>
              {" "}· <Delta change={change.overall} label="Overall score" /> since the <a href={`/result/${change.previousId}`}>previous version</a>
            </>
          ) : null}
        </p>
      </div>
      {/* Inside the score card, not a banner above it, so the score stays at the top of the column. */}
      {meta && (meta.mode === "offline" || meta.notice) ? (
        <p class="notice" role="note" id="mode-notice">
          <strong>{meta.mode === "offline" ? "Offline mode: " : ""}</strong>
          {/* The notice names the mode itself ("Offline mode: …"); the label above already says it. */}
          {meta.notice?.replace(/^Offline mode:\s*/i, "") ?? "Rule-based feedback only."}
        </p>
      ) : null}
    </header>
  );
}

function FitCard(props: { draft: ResultDraft; change: ScoreChange | null; nameOf: (id: string) => string; streaming: boolean }) {
  const { draft, nameOf } = props;
  const fit = draft.principleFit;
  return (
    <section class="card fit" aria-labelledby="fit-title">
      <header class="part-head">
        <h2 id="fit-title">Fit with {draft.principle.name}</h2>
        <Delta change={props.change?.principleFit} label="Principle fit" />
        {fit.score === undefined ? null : <ScoreBar score={fit.score} label="Principle fit" />}
      </header>
      <p class="fit-rationale">{fit.rationale ?? ""}</p>
      <EvidenceList quotes={fit.evidence} />
      {fit.betterFits.length ? (
        <div class="refit">
          <p id="refit-title">This story may show these better. Grade the same answer for:</p>
          {/* Buttons of the grade form (form="grade-form"), so they post its answer and question. */}
          <ul aria-labelledby="refit-title">
            {fit.betterFits.map((id) => (
              <li>
                <button type="submit" form="grade-form" name="intent" value={`${REFIT_INTENT}${id}`} class="button-link" disabled={props.streaming}>
                  <span class="sr-only">Grade this answer for </span>
                  {nameOf(id)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/**
 * The result view, the same while it streams and once it is final: every section is there from the
 * first event, and the model's words fill in, so nothing moves or changes style when it finishes.
 */
export function ResultBody(props: { draft: ResultDraft; change?: ScoreChange | null; nameOf: (id: string) => string; afterFigures?: Child; story?: Child; children?: Child }) {
  const { draft } = props;
  const change = props.change ?? null;
  const streaming = draft.overall === undefined;
  const quotes = [...STAR_PARTS.flatMap((p) => draft.star[p].evidence), ...draft.principleFit.evidence];
  return (
    <section class={streaming ? "result streaming" : "result"} id="result" aria-labelledby="result-title" aria-busy={streaming ? "true" : undefined} data-id={draft.id}>
      <ScoreHead draft={draft} change={change} story={props.story} />

      <section class="card annotated" aria-labelledby="annotated-title">
        <h2 id="annotated-title">Your answer, annotated</h2>
        <Legend spoken={!!draft.spoken} />
        <AnnotatedAnswer answer={draft.answer} segments={draft.segments} quotes={quotes} spoken={draft.spoken ?? null} />
      </section>

      <Figures figures={draft.figures} recorded={draft.recorded ?? false} />
      {props.afterFigures}

      <section class="parts" aria-label="STAR parts">
        {STAR_PARTS.map((p) => (
          <PartCard part={p} data={draft.star[p]} change={change?.parts[p]} />
        ))}
      </section>

      <FitCard draft={draft} change={change} nameOf={props.nameOf} streaming={streaming} />

      <div class="two">
        <section class="card" aria-labelledby="improve-title">
          <h2 id="improve-title">Top improvements</h2>
          <ol class="improvements">
            {draft.improvements.map((t) => (
              <li>{t}</li>
            ))}
          </ol>
        </section>
        <section class="card" aria-labelledby="followups-title">
          <h2 id="followups-title">Follow-up questions to prepare</h2>
          <ul class="followups">
            {draft.followUps.map((t) => (
              <li>{t}</li>
            ))}
          </ul>
        </section>
      </div>
      {props.children}
    </section>
  );
}
