/**
 * The web pages, mounted at "/": the practice form, the result page, history. Plain form posts work
 * without JavaScript (post → redirect → result page); the script in client.js.ts enhances them.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import type { Child } from "hono/jsx";
import { findPrinciple, PRINCIPLES } from "../core/principles.js";
import { questionsFor } from "../core/questions.js";
import { HTTPException } from "hono/http-exception";
import { GradingAborted, ModelError } from "../grader/types.js";
import { InputError } from "../grading.js";
import { StoreError } from "../store/faults.js";
import type { AppEnv } from "../http/context.js";
import { LimitError } from "../http/errors.js";
import { ASSETS } from "./assets.js";
import { findPreviousVersion, scoreChange } from "./compare.js";
import { GradeForm, type FormError, type FormValues } from "./form.js";
import { HistoryView } from "./history.js";
import { Layout } from "./layout.js";
import type { Feedback } from "../core/feedback.js";
import { listDrills } from "../practice/drills.js";
import { getStory, listStories } from "../practice/stories.js";
import { DrillSection, type DrillFormValues } from "./drills.js";
import { EmptyResult, ResultView } from "./result.js";

/** Room for the longest answer (20,000 characters, URL-encoded) plus the other fields. */
const MAX_FORM_BYTES = 512 * 1024;

type C = Context<AppEnv>;

// CSP, nosniff and referrer policy come from the app-wide secureHeaders middleware (src/http/middleware).
export type PageStatus = 200 | 400 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503 | 504 | 507;

export async function html(c: C, node: Child, status: PageStatus = 200) {
  return c.html("<!doctype html>" + (await node)!.toString(), status);
}

export function page(c: C, title: string, active: "practise" | "history" | "stories" | "mock", body: Child) {
  return <Layout title={title} grader={c.var.deps.grading.grader} active={active}>{body}</Layout>;
}

function principleOrDefault(id: string | undefined) {
  return (id && findPrinciple(id)) || PRINCIPLES[0]!;
}

function workspace(c: C, values: FormValues, result: Child, error: FormError | null = null, hasResult = false, story: { title: string; versions: number } | null = null) {
  const principle = principleOrDefault(values.principle);
  return (
    // On a phone a finished result comes first; the form to edit and re-grade follows it.
    <div class={hasResult ? "workspace has-result" : "workspace"}>
      <div class="col-form">
        <GradeForm values={{ ...values, principle: principle.id }} questions={questionsFor(principle.id)} length={c.var.deps.grading.length} error={error} title={hasResult ? "Edit and grade again" : "Practise an answer"} story={story} />
      </div>
      <div class="col-result">{result}</div>
    </div>
  );
}

function formString(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function randomQuestion(principleId: string, current: string): string {
  const pool = questionsFor(principleId).map((q) => q.text).filter((q) => q !== current);
  return pool[Math.floor(Math.random() * pool.length)] ?? current;
}

export const webRoutes = new Hono<AppEnv>();

webRoutes.get("/assets/:file", (c) => {
  const asset = ASSETS[c.req.param("file")];
  if (!asset) return c.text("Not found", 404);
  return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "public, max-age=31536000, immutable" });
});

webRoutes.get("/", (c) => {
  const values = { principle: principleOrDefault(c.req.query("principle")).id, question: c.req.query("question") ?? "", answer: "" };
  return html(c, page(c, "Practise · starcoach", "practise", workspace(c, values, <EmptyResult />)));
});

/** hono's CSRF check, run after the form is read so a refusal can show the form again. */
const sameOrigin = csrf();
async function crossSite(c: C): Promise<boolean> {
  try {
    await sameOrigin(c, async () => {});
    return false;
  } catch (err) {
    if (err instanceof HTTPException && err.status === 403) return true;
    throw err;
  }
}

const CROSS_SITE: FormError = {
  code: "cross_site_form",
  message: "This form was sent from another site or address, so it was not graded. Your text is still here: check the address bar shows this server, then send it again.",
};

export function refusal(err: unknown): { status: PageStatus; error: FormError } {
  if (err instanceof LimitError) return { status: err.status, error: { code: err.code, message: err.message } };
  if (err instanceof InputError || err instanceof ModelError || err instanceof StoreError) {
    if (err instanceof StoreError) console.error(`[starcoach] storage fault on the web form: ${err.detail}`);
    return { status: err.status, error: { code: err.code, message: err.message } };
  }
  if (!(err instanceof GradingAborted)) console.error("[starcoach] web grading failed:", err);
  return { status: 500, error: { code: "internal_error", message: "Something went wrong on our side. Your text is still here; try again." } };
}

webRoutes.post(
  "/grade",
  bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (c) =>
      html(c as C, page(c as C, "Too long · starcoach", "practise", workspace(c as C, { principle: "", question: "", answer: "" }, <EmptyResult />, { code: "body_too_large", message: "The form was too large to read. Go back: your browser still has the text; shorten it to under 20,000 characters." })), 413),
  }),
  async (c) => {
    const form = await c.req.parseBody();
    const values: FormValues = { principle: formString(form.principle), question: formString(form.question), answer: formString(form.answer), storyId: formString(form.storyId) };
    // Every refusal shows the form again with exactly what was typed: an error never loses the answer.
    const again = (status: PageStatus, error: FormError) => html(c, page(c, "Not graded · starcoach", "practise", workspace(c, values, <EmptyResult />, error)), status);
    if (await crossSite(c)) return again(403, CROSS_SITE);
    if (form.intent === "random") {
      // Picking a question grades nothing, so it takes no grading slot and counts against no limit.
      const principle = principleOrDefault(values.principle);
      values.question = randomQuestion(principle.id, values.question);
      return html(c, page(c, "Practise · starcoach", "practise", workspace(c, values, <EmptyResult />)));
    }
    try {
      const release = await c.var.admission.admit(c);
      try {
        // "Grade as a new story" leaves the story it was editing alone.
        const feedback = await c.var.deps.grading.grade({ ...values, storyId: form.intent === "new-story" ? null : values.storyId || null }, { signal: c.req.raw.signal });
        return c.redirect(`/result/${encodeURIComponent(feedback.id)}`, 303);
      } finally {
        release();
      }
    } catch (err) {
      const { status, error } = refusal(err);
      if (err instanceof LimitError) c.header("Retry-After", String(err.retryAfterSeconds));
      return again(status, error);
    }
  },
);

/** The result page of `feedback`: the result (with its story and follow-up drills) beside the form to edit and grade again. */
export async function renderResult(c: C, feedback: Feedback, drill: { values: DrillFormValues; error: string } | null = null, status: PageStatus = 200) {
  const { store, stories } = c.var.deps;
  const previous = await findPreviousVersion(store, feedback, stories);
  const story = stories ? await getStory({ stories }, feedback.storyId).catch(() => null) : null;
  const drills = stories ? await listDrills({ store, stories }, feedback.id) : [];
  const extra = stories ? <DrillSection feedback={feedback} drills={drills} values={drill?.values ?? null} error={drill?.error ?? null} /> : null;
  const view = <ResultView feedback={feedback} change={previous ? scoreChange(feedback, previous) : null} story={story} extra={extra} />;
  // The script swaps this fragment in after a streamed grading, so results render in one place.
  if (c.req.query("fragment") === "1") return html(c, view);
  const values = { principle: feedback.principle.id, question: feedback.question ?? "", answer: feedback.answer, storyId: feedback.storyId };
  return html(c, page(c, `Feedback ${feedback.overall.score}/100 · starcoach`, "practise", workspace(c, values, view, null, true, story)), status);
}

export function gradingMissing(c: C) {
  const missing = <section class="card"><h1>Not found</h1><p>No grading with that id: it may have been deleted. <a href="/history">Back to history</a>.</p></section>;
  return html(c, page(c, "Not found · starcoach", "history", missing), 404);
}

webRoutes.get("/result/:id", async (c) => {
  const feedback = await c.var.deps.store.getGrading(c.req.param("id"));
  if (!feedback) return gradingMissing(c);
  return renderResult(c, feedback);
});

webRoutes.get("/history", async (c) => {
  const limit = 50;
  const before = c.req.query("before");
  const items = await c.var.deps.store.listGradings({ limit, ...(before ? { before } : {}) });
  const notice = c.req.query("deleted") === "1" ? "Deleted." : null;
  const stories = c.var.deps.stories ? await listStories({ stories: c.var.deps.stories }) : [];
  const versionOf = new Map(stories.flatMap((s) => s.versionList.map((v) => [v.gradingId, { storyId: s.id, title: s.title, version: v.version, versions: s.versions }] as const)));
  return html(c, page(c, "History · starcoach", "history", <HistoryView items={items} nextBefore={items.length === limit ? items[items.length - 1]!.id : null} notice={notice} versionOf={versionOf} />));
});

webRoutes.post("/history/:id/delete", csrf(), async (c) => {
  await c.var.deps.store.deleteGrading(c.req.param("id"));
  return c.redirect("/history?deleted=1", 303);
});
