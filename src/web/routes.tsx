/**
 * The web pages, mounted at "/": the practice form, the result page, history. Plain form posts work
 * without JavaScript (post → redirect → result page); the script in client.tsx enhances them.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import type { Child } from "hono/jsx";
import { findPrinciple, PRINCIPLES } from "../core/principles.js";
import { questionsFor } from "../core/questions.js";
import { HTTPException } from "hono/http-exception";
import { errorInfo, isAppError } from "../errors.js";
import { StoreError } from "../store/faults.js";
import type { AppEnv } from "../http/context.js";
import { rewriteService } from "../http/routes/rewrite.js";
import type { Feedback } from "../core/feedback.js";
import { ASSETS } from "./assets.js";
import { findPreviousVersion, scoreChange } from "./compare.js";
import { REFIT_INTENT } from "./format.js";
import { GradeForm, type FormError, type FormValues } from "./form.js";
import { HistoryView } from "./history.js";
import { Layout } from "./layout.js";
import { listDrills } from "../practice/drills.js";
import { getStory, listStories } from "../practice/stories.js";
import { DrillSection, type DrillFormValues } from "./drills.js";
import { EmptyResult, ResultView } from "./result.js";
import type { RewritePanelState } from "./rewrite-panel.js";

/** Room for the longest answer (20,000 characters, URL-encoded) plus the other fields. */
const MAX_FORM_BYTES = 512 * 1024;

type C = Context<AppEnv>;

// CSP, nosniff and referrer policy come from the app-wide secureHeaders middleware (src/http/middleware).
const PAGE_STATUSES = [200, 400, 403, 404, 409, 413, 415, 429, 500, 502, 503, 504, 507] as const;
export type PageStatus = (typeof PAGE_STATUSES)[number];

export async function html(c: C, node: Child, status: PageStatus = 200) {
  return c.html("<!doctype html>" + (await node)!.toString(), status);
}

export function page(c: C, title: string, active: "practise" | "history" | "stories" | "mock", body: Child) {
  return <Layout title={title} grader={c.var.deps.grading.grader} active={active}>{body}</Layout>;
}

function principleOrDefault(id: string | undefined) {
  return (id && findPrinciple(id)) || PRINCIPLES[0]!;
}

/** A new version of a graded story ("Practise this version"): the grading it comes from and a note for the form. */
interface VersionOf {
  id: string;
  note: string;
}

function workspace(c: C, values: FormValues, result: Child, error: FormError | null = null, hasResult = false, version: VersionOf | null = null, story: { title: string; versions: number } | null = null) {
  const principle = principleOrDefault(values.principle);
  return (
    // On a phone a finished result comes first; the form to edit and re-grade follows it.
    <div class={hasResult ? "workspace has-result" : "workspace"}>
      <div class="col-form">
        <GradeForm values={{ ...values, principle: principle.id }} questions={questionsFor(principle.id)} length={c.var.deps.grading.length} error={error} title={hasResult ? "Edit and grade again" : version ? "Practise the stronger version" : "Practise an answer"} versionOf={version?.id ?? null} note={version?.note ?? null} spoken={spokenOptions(c)} story={story} />
      </div>
      <div class="col-result">{result}</div>
    </div>
  );
}

/** The recorder is offered wherever the app has the spoken-answer use case (with or without a transcriber). */
export function spokenOptions(c: C) {
  const spoken = c.var.deps.spoken;
  return spoken ? { available: spoken.available, keepsAudio: spoken.keepsAudio } : null;
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

webRoutes.get("/", async (c) => {
  const values = { principle: principleOrDefault(c.req.query("principle")).id, question: c.req.query("question") ?? "", answer: "" };
  const rewriteOf = c.req.query("rewriteOf");
  if (rewriteOf) return practiseRewrite(c, rewriteOf, values);
  return html(c, page(c, "Practise · starcoach", "practise", workspace(c, values, <EmptyResult />)));
});

/** The form prefilled with a grading's rewrite, its principle and question: a new version of the same story. */
async function practiseRewrite(c: C, gradingId: string, fallback: FormValues) {
  const feedback = await c.var.deps.store.getGrading(gradingId);
  const rewrite = feedback ? await rewriteService(c.var.deps).readyRewrite(feedback) : null;
  if (!feedback || !rewrite) {
    const error = { code: "not_found", message: feedback ? "That grading has no stronger version yet: open its result and write one first." : "No grading with that id: it may have been deleted." };
    return html(c, page(c, "Practise · starcoach", "practise", workspace(c, fallback, <EmptyResult />, error)), 404);
  }
  // The rewrite is the story's next version: the form carries the story on.
  const values = { principle: feedback.principle.id, question: feedback.question ?? "", answer: rewrite.text, storyId: feedback.storyId };
  const gaps = rewrite.placeholders.length;
  const note = gaps
    ? `The stronger version of your answer. Replace ${gaps === 1 ? "the [bracketed] gap" : `each of the ${gaps} [bracketed] gaps`} with what really happened, then grade it.`
    : "The stronger version of your answer: read it aloud, make it yours, then grade it.";
  return html(c, page(c, "Practise the stronger version · starcoach", "practise", workspace(c, values, <EmptyResult />, null, false, { id: feedback.id, note })));
}

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

export function refusal(err: unknown): { status: PageStatus; error: FormError; retryAfter?: number } {
  if (err instanceof StoreError) console.error(`[starcoach] storage fault on the web form: ${err.detail}`);
  else if (!isAppError(err)) console.error("[starcoach] web grading failed:", err);
  const { status, code, message, retryAfter } = errorInfo(err, "Something went wrong on our side. Your text is still here; try again.");
  // A closed connection (499) has nobody to show a page to; any status the page cannot carry is a 500.
  const page = (PAGE_STATUSES as readonly number[]).includes(status) ? (status as PageStatus) : 500;
  return { status: page, error: { code, message }, ...(retryAfter !== undefined ? { retryAfter } : {}) };
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
    // Without the script, a question picked from the bank arrives as `bank`; a typed one wins.
    const question = formString(form.question).trim() ? formString(form.question) : formString(form.bank);
    const intent = formString(form.intent);
    // "This story may show these better": the same answer and question, graded for that principle.
    const principle = intent.startsWith(REFIT_INTENT) ? intent.slice(REFIT_INTENT.length) : formString(form.principle);
    // A re-grade for a better-fitting principle is the same story: its next version serves that principle too.
    const values: FormValues = { principle, question, answer: formString(form.answer), storyId: formString(form.storyId) };
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
      const { status, error, retryAfter } = refusal(err);
      if (retryAfter !== undefined) c.header("Retry-After", String(retryAfter));
      return again(status, error);
    }
  },
);

export function missingGrading(c: C) {
  const missing = <section class="card"><h1>Not found</h1><p>No grading with that id: it may have been deleted. <a href="/history">Back to history</a>.</p></section>;
  return html(c, page(c, "Not found · starcoach", "history", missing), 404);
}

/**
 * The result page of `feedback`: the result (its story, the stronger version, the follow-up drills)
 * beside the form to edit and grade again, which continues the story.
 */
export async function resultPage(c: C, feedback: Feedback, options: { rewrite?: RewritePanelState; drill?: { values: DrillFormValues; error: string } } = {}, status: PageStatus = 200) {
  const { store, stories } = c.var.deps;
  // The rules' rewrite is shown at once; a model's once it has been asked for (then from the cache).
  const rewrite = options.rewrite ?? { rewrite: await rewriteService(c.var.deps).readyRewrite(feedback) };
  const previous = await findPreviousVersion(store, feedback, stories);
  const story = stories ? await getStory({ stories }, feedback.storyId).catch(() => null) : null;
  const drills = stories ? await listDrills({ store, stories }, feedback.id) : [];
  const extra = stories ? <DrillSection feedback={feedback} drills={drills} values={options.drill?.values ?? null} error={options.drill?.error ?? null} /> : null;
  const view = <ResultView feedback={feedback} change={previous ? scoreChange(feedback, previous) : null} rewrite={rewrite} story={story} extra={extra} />;
  // The script swaps this fragment in after a streamed grading, so results render in one place.
  if (c.req.query("fragment") === "1") return html(c, view, status);
  const values = { principle: feedback.principle.id, question: feedback.question ?? "", answer: feedback.answer, storyId: feedback.storyId };
  return html(c, page(c, `Feedback ${feedback.overall.score}/100 · starcoach`, "practise", workspace(c, values, view, null, true, null, story)), status);
}

webRoutes.get("/result/:id", async (c) => {
  const feedback = await c.var.deps.store.getGrading(c.req.param("id"));
  if (!feedback) return missingGrading(c);
  return resultPage(c, feedback);
});

webRoutes.post("/result/:id/rewrite", csrf(), async (c) => {
  const feedback = await c.var.deps.store.getGrading(c.req.param("id"));
  if (!feedback) return missingGrading(c);
  try {
    // A model rewrite is a model call: the same rate limit and grading slot as a grading.
    const release = await c.var.admission.admit(c);
    try {
      await rewriteService(c.var.deps).rewriteGrading(feedback);
    } finally {
      release();
    }
    return c.redirect(`/result/${encodeURIComponent(feedback.id)}#rewrite`, 303);
  } catch (err) {
    // The result page again, with the reason in the panel: nothing is lost.
    const { status, error, retryAfter } = refusal(err);
    if (retryAfter !== undefined) c.header("Retry-After", String(retryAfter));
    return resultPage(c, feedback, { rewrite: { rewrite: null, error } }, status);
  }
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
