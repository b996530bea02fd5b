/** Mock interviews over HTTP, offline, with the server's clock injected (time simulated, never slept). */
import { describe, expect, it } from "vitest";
import { principleById } from "../src/core/principles.js";
import { ROLE_PRINCIPLES } from "../src/practice/mock.js";
import { buildTestApp, SAMPLE_ANSWER, type TestApp } from "./support/app.js";

class TestClock {
  constructor(private t = Date.parse("2026-03-02T09:00:00.000Z")) {}
  now = () => new Date(this.t);
  advance(seconds: number) {
    this.t += seconds * 1000;
  }
}

async function call(app: TestApp, method: string, path: string, body?: unknown) {
  const res = await app.request(path, { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as any };
}

const ANSWERS = [
  SAMPLE_ANSWER,
  "At my previous company I ran the hiring loop for our data platform team. Our interviews took 6 weeks and we lost 3 strong candidates to faster offers. My task was to halve the time to offer. I mapped every step, removed two redundant rounds, and I trained 8 interviewers on a shared rubric. As a result the time to offer fell to 17 days and we hired 4 engineers that quarter.",
  "Our mobile app crashed for 2% of users after a release. I owned the release, so I rolled it back within 20 minutes, wrote a crash-free-rate gate for the pipeline and presented the postmortem to 40 engineers. Crash-free sessions went back to 99.8% and no release has skipped the gate since.",
  // The first story again, retold: the debrief must notice one story answered two questions.
  `${SAMPLE_ANSWER} Looking back, the Black Friday checkout work is the story I am proudest of.`,
];
const FOLLOW_UP = "I chose the index first because the traces showed 80% of timeouts came from one query, and I asked Priya from the database team to check the plan before we shipped it.";

describe("mock interviews", () => {
  it("runs a 4-question mock to its debrief, timing answers by the server clock", async () => {
    const clock = new TestClock();
    const { app } = await buildTestApp({ now: clock.now });
    const started = await call(app, "POST", "/v1/mocks", { role: "tpm" });
    expect(started.status).toBe(201);
    const mock = started.json;
    expect(mock).toMatchObject({ status: "in_progress", role: "tpm", current: 0, answerSeconds: 120, answers: [], debrief: null });
    expect(mock.questions).toHaveLength(4);
    // Different principles, all from the TPM loop, each question from the bank for its principle.
    const ids = mock.questions.map((q: { principle: { id: string } }) => q.principle.id);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(ROLE_PRINCIPLES.tpm.principles).toContain(id);
    expect((await call(app, "GET", `/v1/mocks/${mock.id}`)).json).toEqual(mock);

    const seconds = [95, 150, 60, 118];
    let state = mock;
    for (let i = 0; i < 4; i++) {
      clock.advance(seconds[i]!);
      const answered = await call(app, "POST", `/v1/mocks/${mock.id}/answers`, { index: i, answer: ANSWERS[i] });
      expect(answered.status).toBe(200);
      state = answered.json;
      const a = state.answers[i];
      expect(a).toMatchObject({ index: i, elapsedSeconds: seconds[i], timing: "server", overrun: seconds[i]! > 120 });
      expect(a.followUp.question).toEqual(expect.any(String));
      // The answer is a stored grading (bar-raiser mode) and a story of the bank.
      const grading = await call(app, "GET", `/v1/gradings/${a.gradingId}`);
      expect(grading.json).toMatchObject({ storyId: a.storyId, question: state.questions[i].text, principle: { id: state.questions[i].principle.id } });
      expect(grading.json.barRaiser.hireSignal).toEqual(expect.any(String));
      if (i !== 2) {
        clock.advance(40);
        const drilled = await call(app, "POST", `/v1/mocks/${mock.id}/answers/${i}/followup`, { answer: FOLLOW_UP });
        expect(drilled.status).toBe(200);
        state = drilled.json;
        expect(state.answers[i].followUp).toMatchObject({ elapsedSeconds: 40, drillId: expect.any(String), score: expect.any(Number) });
      } else {
        expect(state.pendingFollowUp).toBe(2);
        const skipped = await call(app, "POST", `/v1/mocks/${mock.id}/answers/2/skip-followup`);
        expect(skipped.json).toMatchObject({ pendingFollowUp: null, current: 3 });
        expect((await call(app, "POST", `/v1/mocks/${mock.id}/answers/2/followup`, { answer: FOLLOW_UP })).json.error.code).toBe("mock_follow_up_answered");
      }
    }
    expect(state.current).toBeNull();

    const finished = await call(app, "POST", `/v1/mocks/${mock.id}/finish`);
    expect(finished.status).toBe(200);
    const d = finished.json.debrief;
    expect(finished.json.status).toBe("finished");
    expect(d.principles).toHaveLength(4);
    for (const p of d.principles) {
      expect(["strong_no", "no", "yes", "strong_yes"]).toContain(p.signal);
      expect(p.reasons.length).toBeGreaterThan(0);
      expect(p.principle.name).toBe(principleById(p.principle.id).name);
    }
    expect(d.principles[2].reasons).toContain("The follow-up was not answered.");
    expect(d.principles[1].reasons.join(" ")).toMatch(/2:30, over the 2:00/);
    expect(d.time.map((t: { elapsedSeconds: number }) => t.elapsedSeconds)).toEqual(seconds);
    expect(d.time.map((t: { overrun: boolean }) => t.overrun)).toEqual([false, true, false, false]);
    expect(d.stories.map((s: { storyId: string }) => s.storyId)).toEqual(state.answers.map((a: { storyId: string }) => a.storyId));
    expect(d.storyWarnings).toHaveLength(1);
    expect(d.storyWarnings[0].indexes).toEqual([0, 3]);
    expect(d.practiseNext).toHaveLength(3);
    expect(d.practiseNext.join(" ")).toMatch(/2:30/);

    // Saved: it reopens with its debrief, and takes no more answers.
    expect((await call(app, "GET", `/v1/mocks/${mock.id}`)).json.debrief).toEqual(d);
    expect((await call(app, "POST", `/v1/mocks/${mock.id}/answers`, { index: 0, answer: SAMPLE_ANSWER })).json.error.code).toBe("mock_finished");
    expect((await call(app, "GET", "/v1/mocks")).json.mocks).toEqual([{ id: mock.id, createdAt: mock.createdAt, status: "finished" }]);
  });

  it("prefers the time reported by the page's timer, and takes chosen principles and a count", async () => {
    const clock = new TestClock();
    const { app } = await buildTestApp({ now: clock.now });
    const principles = ["frugality", "dive-deep"];
    const started = await call(app, "POST", "/v1/mocks", { principles, count: 2 });
    expect(started.json.questions.map((q: { principle: { id: string } }) => q.principle.id).sort()).toEqual(principles.sort());
    expect(started.json.role).toBeNull();
    clock.advance(500);
    const answered = await call(app, "POST", `/v1/mocks/${started.json.id}/answers`, { index: 0, answer: SAMPLE_ANSWER, elapsedSeconds: 131.4 });
    expect(answered.json.answers[0]).toMatchObject({ elapsedSeconds: 131, timing: "reported", overrun: true });
  });

  it("rejects bad settings, answers out of order, empty answers and unknown mocks", async () => {
    const { app } = await buildTestApp();
    const bad = [
      [{ role: "astronaut" }, "invalid_request"],
      [{ principles: ["be-nice"] }, "unknown_principle"],
      [{ count: 9 }, "invalid_count"],
      [{ count: 0 }, "invalid_count"],
      [{ count: 2.5 }, "invalid_count"],
    ] as const;
    for (const [body, code] of bad) {
      const res = await call(app, "POST", "/v1/mocks", body);
      expect({ body, status: res.status, code: res.json.error.code }).toEqual({ body, status: 400, code });
    }
    const mock = (await call(app, "POST", "/v1/mocks", { count: 2 })).json;
    expect((await call(app, "POST", `/v1/mocks/${mock.id}/answers`, { index: 1, answer: SAMPLE_ANSWER })).json.error.code).toBe("mock_out_of_order");
    const empty = await call(app, "POST", `/v1/mocks/${mock.id}/answers`, { index: 0, answer: "  " });
    expect([empty.status, empty.json.error.code]).toEqual([400, "answer_empty"]);
    expect((await call(app, "POST", `/v1/mocks/${mock.id}/answers/0/followup`, { answer: "x" })).json.error.code).toBe("mock_out_of_order");
    expect((await call(app, "POST", `/v1/mocks/${mock.id}/finish`)).json.error.code).toBe("mock_unanswered");
    await call(app, "POST", `/v1/mocks/${mock.id}/answers`, { index: 0, answer: SAMPLE_ANSWER });
    const emptyDrill = await call(app, "POST", `/v1/mocks/${mock.id}/answers/0/followup`, { answer: "" });
    expect([emptyDrill.status, emptyDrill.json.error.code]).toEqual([400, "answer_empty"]);
    const missing = await call(app, "GET", "/v1/mocks/nope");
    expect([missing.status, missing.json.error.code]).toEqual([404, "mock_not_found"]);
    expect((await call(app, "POST", "/v1/mocks/nope/finish")).status).toBe(404);
  });

  it("DELETE /v1/mocks/:id: 204, then 404 mock_not_found; the list no longer holds it", async () => {
    const { app } = await buildTestApp();
    const keep = (await call(app, "POST", "/v1/mocks", { count: 1 })).json;
    const mock = (await call(app, "POST", "/v1/mocks", { count: 1 })).json;
    const res = await app.request(`/v1/mocks/${mock.id}`, { method: "DELETE" });
    expect([res.status, await res.text()]).toEqual([204, ""]);
    expect((await call(app, "GET", `/v1/mocks/${mock.id}`)).status).toBe(404);
    const again = await call(app, "DELETE", `/v1/mocks/${mock.id}`);
    expect([again.status, again.json.error.code]).toEqual([404, "mock_not_found"]);
    const unknown = await call(app, "DELETE", "/v1/mocks/nope");
    expect([unknown.status, unknown.json.error.code]).toEqual([404, "mock_not_found"]);
    expect((await call(app, "GET", "/v1/mocks")).json.mocks.map((m: { id: string }) => m.id)).toEqual([keep.id]);
  });
});
