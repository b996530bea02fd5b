/** The result page: a stored grading (the shared result view) and the column shown before the first one. */
import type { Child } from "hono/jsx";
import type { Feedback } from "../core/feedback.js";
import type { StoryDetail } from "../practice/bank.js";
import { findPrinciple } from "../core/principles.js";
import type { ScoreChange } from "./compare.js";
import { draftOf, ResultBody } from "./components.js";
import { DeliveryCard, spokenMarks } from "./delivery.js";
import { RewritePanel, type RewritePanelState } from "./rewrite-panel.js";

/** A stored grading, drawn with the components the live view streams into. */
/** "Version 2 of 3 of the story …": where this grading sits in the story bank. */
function StoryLine(props: { story: StoryDetail; gradingId: string }) {
  const { story } = props;
  return (
    <p class="story-of" id="story-link">
      Version {story.versionList.findIndex((v) => v.gradingId === props.gradingId) + 1} of {story.versions} of the story{" "}
      <a href={`/stories/${encodeURIComponent(story.id)}`}>{story.title}</a>
    </p>
  );
}

/** `extra`: what follows the stronger version (the follow-up drills). */
export function ResultView(props: { feedback: Feedback; change?: ScoreChange | null; rewrite?: RewritePanelState; story?: StoryDetail | null; extra?: Child }) {
  const f = props.feedback;
  return (
    <ResultBody
      draft={{ ...draftOf(f), spoken: spokenMarks(f), recorded: !!f.delivery }}
      change={props.change ?? null}
      nameOf={(id) => findPrinciple(id)?.name ?? id}
      afterFigures={f.delivery ? <DeliveryCard delivery={f.delivery} /> : null}
      story={props.story ? <StoryLine story={props.story} gradingId={f.id} /> : null}
    >
      {props.rewrite ? <RewritePanel feedback={f} state={props.rewrite} /> : null}
      {props.extra}
    </ResultBody>
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
