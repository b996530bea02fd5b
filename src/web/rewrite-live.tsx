/**
 * The stronger version while the model writes it: each sentence that has passed the invention check,
 * with its STAR part and its [placeholders] marked. Drawn by the page script from the stream's
 * `sentence` events; the finished panel (rewrite-panel.tsx) then replaces it.
 */
import { PLACEHOLDER } from "../core/placeholders.js";
import type { StarPart } from "../core/star-parts.js";
import { PART_LABEL, PART_LETTER } from "./format.js";

export interface LiveSentence {
  text: string;
  part: StarPart;
}

const PIECES = new RegExp(`(${PLACEHOLDER.source})`, "u");

export function LiveRewrite(props: { sentences: readonly LiveSentence[] }) {
  return (
    <ol class="rw-live" id="rewrite-live" aria-live="polite" aria-label="The stronger version, as it is written">
      {props.sentences.map((s) => (
        <li data-part={s.part}>
          <span class={`seg-tag tag-${s.part}`} title={PART_LABEL[s.part]}>{PART_LETTER[s.part]}</span>
          <span class="sr-only">({PART_LABEL[s.part]}) </span>
          {/* split() with a capture group: odd pieces are the placeholders. */}
          {s.text.split(PIECES).map((piece, i) => (i % 2 ? <mark class="ph">{piece}</mark> : piece))}
        </li>
      ))}
    </ol>
  );
}
