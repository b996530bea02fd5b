/**
 * The practice pages: the story bank (/stories, /stories/:id), follow-up drills posted from the
 * result page, and mock interviews (/mock). Plain form posts that work without JavaScript
 * (post → redirect → page); errors re-render the page with what was typed.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { findPrinciple } from "../core/principles.js";
import { InputError } from "../grading.js";
import type { AppEnv } from "../http/context.js";
import { admitted, drillDeps } from "../http/routes/followups.js";
import { mockService } from "../http/routes/mocks.js";
import { storyDeps } from "../http/routes/stories.js";
import { answerFollowUp, requireGrading } from "../practice/drills.js";
import type { MockRole } from "../practice/mock.js";
import { bankOverview, deleteStory, getStory, listStories, updateStory } from "../practice/stories.js";
import { MockDebrief, MockSetup, MockStep } from "./mock.js";
import { html, missingGrading, page, refusal, resultPage, spokenOptions, type PageStatus } from "./routes.js";
import { StoriesView, StoryView, type VersionDiff } from "./stories.js";
import { wordDiff } from "./word-diff.js";

type C = Context<AppEnv>;

const text = (v: unknown) => (typeof v === "string" ? v : "");
const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);
/** The page timer's seconds, or null when the page sent none (no JavaScript): the server's clock then. */
const seconds = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : null);

/** A refusal as the status and message to show (the practice form's rules); a limit also says when to retry. */
function failure(c: C, err: unknown): { status: PageStatus; message: string } {
  const { status, error, retryAfter } = refusal(err);
  if (retryAfter !== undefined) c.header("Retry-After", String(retryAfter));
  return { status, message: error.message };
}

export const practiceRoutes = new Hono<AppEnv>();

/** Room for the longest answer (20,000 characters, URL-encoded) plus the other fields, as on the practice form. */
const MAX_FORM_BYTES = 512 * 1024;
const formLimit = bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text("The form is too large: shorten the answer to under 20,000 characters.", 413) });
for (const path of ["/stories/*", "/result/*", "/mock", "/mock/*"]) practiceRoutes.on("POST", path, formLimit);

// ---- Story bank ------------------------------------------------------------------------------

practiceRoutes.get("/stories", async (c) => {
  const deps = storyDeps(c);
  const p = c.req.query("principle");
  const principle = p ? (findPrinciple(p)?.id ?? null) : null;
  const notice = c.req.query("deleted") === "1" ? "Story deleted, with its versions." : null;
  return html(c, page(c, "Story bank · starcoach", "stories", <StoriesView overview={await bankOverview(deps)} principle={principle} notice={notice} />));
});

async function storyPage(c: C, id: string, error: string | null = null, status: 200 | 400 | 404 = 200) {
  const deps = storyDeps(c);
  const story = await getStory(deps, id).catch(() => null);
  if (!story) return html(c, page(c, "Not found · starcoach", "stories", <section class="card"><h1>Not found</h1><p>No story with that id: it may have been deleted. <a href="/stories">Back to the story bank</a>.</p></section>), 404);
  const gradings = await Promise.all(story.versionList.map((v) => deps.store.getGrading(v.gradingId)));
  const diffs: VersionDiff[] = story.versionList.slice(1).map((v, i) => {
    const [before, after] = [gradings[i], gradings[i + 1]];
    return { version: v.version, diff: before && after ? wordDiff(before.answer, after.answer) : null };
  });
  const latest = gradings[gradings.length - 1];
  const notice = c.req.query("saved") === "1" ? "Saved." : null;
  return html(c, page(c, `${story.title} · starcoach`, "stories", <StoryView story={story} diffs={diffs} suggested={latest?.principleFit.betterFits ?? []} error={error} notice={notice} />), status);
}

practiceRoutes.get("/stories/:id", (c) => storyPage(c, c.req.param("id")));

practiceRoutes.post("/stories/:id/edit", csrf(), async (c) => {
  const id = c.req.param("id");
  const form = await c.req.parseBody({ all: true });
  const title = text(form.title).trim();
  try {
    await updateStory(storyDeps(c), id, { title: title || null, principles: list(form.principles) });
    return c.redirect(`/stories/${encodeURIComponent(id)}?saved=1`, 303);
  } catch (err) {
    const { status, message } = failure(c, err);
    return storyPage(c, id, message, status === 404 ? 404 : 400);
  }
});

practiceRoutes.post("/stories/:id/delete", csrf(), async (c) => {
  await deleteStory(storyDeps(c), c.req.param("id")).catch((err: unknown) => {
    if (!(err instanceof InputError)) throw err;
  });
  return c.redirect("/stories?deleted=1", 303);
});

// ---- Follow-up drills ------------------------------------------------------------------------

practiceRoutes.post("/result/:id/followups", csrf(), async (c) => {
  const id = c.req.param("id");
  const form = await c.req.parseBody();
  const values = { question: text(form.question), answer: text(form.answer) };
  try {
    const deps = drillDeps(c);
    const input = { ...values, elapsedSeconds: seconds(form.elapsedSeconds) };
    await requireGrading(deps, id, input);
    const drill = await admitted(c, () => answerFollowUp(deps, id, input));
    return c.redirect(`/result/${encodeURIComponent(id)}#drill-${drill.id}`, 303);
  } catch (err) {
    const feedback = await c.var.deps.store.getGrading(id);
    if (!feedback) return missingGrading(c);
    const { status, message } = failure(c, err);
    return resultPage(c, feedback, { drill: { values, error: message } }, status);
  }
});

// ---- Mock interviews -------------------------------------------------------------------------

practiceRoutes.get("/mock", async (c) => {
  const notice = c.req.query("deleted") === "1" ? "Mock interview deleted, with its answers." : null;
  return html(c, page(c, "Mock interview · starcoach", "mock", <MockSetup notice={notice} recent={await mockService(c).list(10)} />));
});

practiceRoutes.post("/mock", csrf(), async (c) => {
  const form = await c.req.parseBody({ all: true });
  const principles = list(form.principles);
  try {
    const mock = await mockService(c).start({
      ...(principles.length ? { principles } : { role: (text(form.role) || "general") as MockRole }),
      count: Number(text(form.count) || "4"),
    });
    return c.redirect(`/mock/${encodeURIComponent(mock.id)}`, 303);
  } catch (err) {
    const { status, message } = failure(c, err);
    return html(c, page(c, "Mock interview · starcoach", "mock", <MockSetup error={message} recent={await mockService(c).list(10)} />), status);
  }
});

async function mockPage(c: C, id: string, error: string | null = null, answer = "", status: PageStatus = 200) {
  const mock = await mockService(c).get(id).catch(() => null);
  if (!mock) return html(c, page(c, "Not found · starcoach", "mock", <section class="card"><h1>Not found</h1><p>No mock interview with that id. <a href="/mock">Start one</a>.</p></section>), 404);
  if (mock.status === "finished") {
    const titles = new Map((await listStories(storyDeps(c))).map((s) => [s.id, s.title]));
    return html(c, page(c, "Debrief · starcoach", "mock", <MockDebrief mock={mock} titles={titles} />), status);
  }
  return html(c, page(c, "Mock interview · starcoach", "mock", <MockStep mock={mock} error={error} answer={answer} spoken={spokenOptions(c)} />), status);
}

practiceRoutes.get("/mock/:id", (c) => mockPage(c, c.req.param("id")));

/** Run one step of the mock; on success back to the mock's page, on failure the same step again with the typed text. */
async function mockStep(c: C, step: (form: Record<string, unknown>) => Promise<unknown>) {
  const id = c.req.param("id")!;
  const form = await c.req.parseBody();
  try {
    await step(form);
    return c.redirect(`/mock/${encodeURIComponent(id)}`, 303);
  } catch (err) {
    const { status, message } = failure(c, err);
    return mockPage(c, id, message, text(form.answer), status);
  }
}

practiceRoutes.post("/mock/:id/answers", csrf(), (c) =>
  mockStep(c, (form) => admitted(c, () => mockService(c).answer(c.req.param("id"), { index: Number(text(form.index)), answer: text(form.answer), elapsedSeconds: seconds(form.elapsedSeconds) }))),
);
practiceRoutes.post("/mock/:id/answers/:index/followup", csrf(), (c) =>
  mockStep(c, (form) => admitted(c, () => mockService(c).followUp(c.req.param("id"), Number(c.req.param("index")), { answer: text(form.answer), elapsedSeconds: seconds(form.elapsedSeconds) }))),
);
practiceRoutes.post("/mock/:id/answers/:index/skip-followup", csrf(), (c) => mockStep(c, () => mockService(c).skipFollowUp(c.req.param("id"), Number(c.req.param("index")))));
practiceRoutes.post("/mock/:id/delete", csrf(), async (c) => {
  // Already gone (a second click, another tab): the list says deleted all the same.
  await mockService(c).remove(c.req.param("id")).catch((err: unknown) => {
    if (!(err instanceof InputError)) throw err;
  });
  return c.redirect("/mock?deleted=1", 303);
});
practiceRoutes.post("/mock/:id/finish", csrf(), (c) => mockStep(c, () => mockService(c).finish(c.req.param("id"))));

