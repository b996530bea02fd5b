/** The delivery card of a spoken answer: real length, pace, filler words, long pauses. */
import type { Delivery } from "../core/delivery.js";
import { findFillers, LONG_PAUSE_SECONDS } from "../core/delivery.js";
import type { Feedback } from "../core/feedback.js";
import { clock } from "./format.js";
import type { SpokenMarks } from "./highlight.js";

/** A comfortable interview pace, in words per minute: slower drags, faster is hard to follow. */
export const PACE = { slow: 110, fast: 170 } as const;
/** More fillers than this per minute distract an interviewer. */
export const FILLERS_PER_MINUTE_OK = 3;

/** What the annotated answer marks for a spoken answer (null for a typed one). */
export function spokenMarks(feedback: Pick<Feedback, "answer" | "delivery">): SpokenMarks | null {
  if (!feedback.delivery) return null;
  return { fillers: findFillers(feedback.answer), pauses: feedback.delivery.longPauses };
}

const seconds = (s: number) => `${s.toLocaleString("en", { maximumFractionDigits: 1 })} s`;

const paceOf = (wpm: number) => (wpm < PACE.slow ? "slow" : wpm > PACE.fast ? "fast" : "ok");
const PACE_TEXT = { slow: "Slow: keep the story moving", ok: "A clear, steady pace", fast: "Fast: slow down and let points land" } as const;

/** A spoken answer's delivery in one line (the mock interview's debrief): length, pace, fillers, pauses. */
export function DeliveryLine(props: { delivery: Delivery }) {
  const d = props.delivery;
  const pace = paceOf(d.wordsPerMinute);
  const fillers = d.fillers.count === 1 ? "1 filler word" : `${d.fillers.count} filler words`;
  const pauses = d.longPauses.length === 1 ? "1 long pause" : `${d.longPauses.length} long pauses`;
  return (
    <>
      <span class="delivery-duration" data-seconds={String(d.durationSeconds)}>
        {clock(d.durationSeconds)}
      </span>{" "}
      recorded ({seconds(d.durationSeconds)}) · <span class="delivery-wpm">{d.wordsPerMinute}</span> words/min{pace === "ok" ? "" : ` (${pace})`} ·{" "}
      <span class={d.fillers.perMinute <= FILLERS_PER_MINUTE_OK ? "" : "bad"}>{fillers}</span>
      {d.fillers.examples.length ? ` (${d.fillers.examples.map((e) => `“${e}”`).join(", ")})` : ""} · {pauses}
    </>
  );
}

export function DeliveryCard(props: { delivery: Delivery }) {
  const d = props.delivery;
  const pace = paceOf(d.wordsPerMinute);
  const paceText = PACE_TEXT[pace];
  const fillersOk = d.fillers.perMinute <= FILLERS_PER_MINUTE_OK;
  return (
    <section class="card delivery" id="delivery-card" aria-labelledby="delivery-title">
      <h2 id="delivery-title">Delivery</h2>
      <div class="delivery-grid">
        <div>
          <h3>Recording</h3>
          <p class="big">
            <span id="delivery-duration" data-seconds={String(d.durationSeconds)}>{clock(d.durationSeconds)}</span> <span class="unit">min</span>
          </p>
          <p class="muted small">{seconds(d.durationSeconds)}, measured from the audio file</p>
        </div>
        <div>
          <h3>Pace</h3>
          <p class="big">
            <span id="delivery-wpm">{d.wordsPerMinute}</span> <span class="unit">words/min</span>
          </p>
          <p class={`verdict ${pace === "ok" ? "verdict-ok" : "verdict-too_long"}`}>{paceText}</p>
        </div>
        <div>
          <h3>Filler words</h3>
          <p class="big">
            <span id="delivery-fillers">{d.fillers.count}</span> <span class="unit">· {d.fillers.perMinute}/min</span>
          </p>
          <p class={`verdict ${fillersOk ? "verdict-ok" : "verdict-too_long"}`}>
            {d.fillers.count === 0 ? "None heard" : fillersOk ? "Few enough" : "Many: pause silently instead"}
          </p>
          {d.fillers.examples.length ? <p class="muted small">{d.fillers.examples.map((e) => `“${e}”`).join(", ")}</p> : null}
        </div>
        <div>
          <h3>Long pauses</h3>
          <p class="big">
            <span id="delivery-pauses">{d.longPauses.length}</span> <span class="unit">over {LONG_PAUSE_SECONDS} s</span>
          </p>
          {d.longPauses.length ? (
            <ul class="pause-list">
              {d.longPauses.map((p) => (
                <li>
                  {seconds(p.seconds)} at {clock(p.at)}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted small">None (pauses are measured when the transcription gives word timings).</p>
          )}
        </div>
      </div>
    </section>
  );
}
