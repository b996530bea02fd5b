import fc from "fast-check";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/core/analyze.js";
import { QUESTIONS } from "../src/core/questions.js";
import { countTokens } from "../src/core/tokens.js";
import { ASSETS } from "../src/web/assets.js";
import { highlightAnswer } from "../src/web/highlight.js";
import { buildTestApp, SAMPLE_ANSWER } from "./support/app.js";

function segmentsOf(answer: string) {
  return analyze(answer).sentences.map((s) => ({ start: s.start, end: s.end, part: s.part }));
}

describe("highlightAnswer", () => {
  it("reassembles the answer exactly and keeps each sentence's part", () => {
    const answer = "  In my last role we had an outage.\n\nMy task was to fix it. I traced it; we shipped a fix. As a result errors fell 90%.  ";
    const segs = segmentsOf(answer);
    const pieces = highlightAnswer(answer, segs, []);
    const text = pieces.map((p) => (p.kind === "gap" ? p.text : p.runs.map((r) => r.text).join(""))).join("");
    expect(text).toBe(answer);
    expect(pieces.filter((p) => p.kind === "sentence").map((p) => p.kind === "sentence" && p.part)).toEqual(segs.map((s) => s.part));
  });

  it("marks evidence across folded whitespace and curly quotes, and only Action-part we tokens", () => {
    const answer = "Our team was “stuck”   on releases. My task was to fix it. I wrote the plan and we shipped it, with our ops team. As a result we cut time 50%.";
    const segs = segmentsOf(answer);
    const pieces = highlightAnswer(answer, segs, ['"stuck" on releases', "not in the answer"]);
    const marked = (flag: "evidence" | "we") => pieces.flatMap((p) => (p.kind === "sentence" ? p.runs.filter((r) => r[flag]).map((r) => ({ text: r.text, part: p.part })) : []));
    expect(marked("evidence").map((m) => m.text).join("")).toBe("stuck”   on releases"); // the outer quote marks are dropped, as grounding does
    expect(marked("we")).toEqual([{ text: "we", part: "action" }, { text: "our", part: "action" }]);
  });

  it("covers any answer exactly (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), (answer, quotes) => {
        const pieces = highlightAnswer(answer, segmentsOf(answer), quotes);
        expect(pieces.map((p) => (p.kind === "gap" ? p.text : p.runs.map((r) => r.text).join(""))).join("")).toBe(answer);
      }),
    );
  });
});

describe("the page script's live word count", () => {
  // The built bundle (dist/client/app.js), run without a DOM: only its pure helpers are defined.
  const sandbox: { starcoach?: { countWords(t: string): number; clock(s: number): string } } = {};
  runInNewContext(ASSETS["app.js"]!.body, sandbox);
  const client = sandbox.starcoach!;

  it("counts words exactly as the contract (server) does", () => {
    expect(client.countWords(SAMPLE_ANSWER)).toBe(countTokens(SAMPLE_ANSWER).words);
    expect(client.countWords("— $10M … “quoted” I/O U.S. -- 3")).toBe(countTokens("— $10M … “quoted” I/O U.S. -- 3").words);
    const pieces = fc.constantFrom("word", "I", "we", "—", "…", "“", "”", "'", "(", ")", "$10M", "35%", " ", "\n", "\t", ".", ",", "-", "é", "日本", "x-y", "!?");
    fc.assert(fc.property(fc.array(pieces, { maxLength: 40 }).map((a) => a.join("")), (text) => client.countWords(text) === countTokens(text).words));
    expect(client.clock(108)).toBe("1:48");
  });
});

describe("web pages without JavaScript (plain HTTP)", () => {
  const form = (fields: Record<string, string>) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" },
    body: new URLSearchParams(fields).toString(),
  });

  it("serves the form with all 16 principles, the bank for the selected one, and local assets only", async () => {
    const { app } = await buildTestApp();
    const res = await app.request("/?principle=Dive%20Deep");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    const html = await res.text();
    expect(html.match(/<option value="[a-z-]+"[^>]*data-summary=/g)).toHaveLength(16);
    expect(html).toMatch(/<option value="dive-deep" selected=""/);
    expect(html.match(/<datalist id="question-bank">(.*?)<\/datalist>/s)![1]!.match(/<option/g)).toHaveLength(QUESTIONS.filter((q) => q.principles.includes("dive-deep")).length);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing from the internet
    expect(html).toMatch(/<label for="answer">/);
    const css = await app.request(html.match(/href="(\/assets\/app\.css[^"]*)"/)![1]!);
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
  });

  it("post → redirect → result page; errors re-render the form with the text kept", async () => {
    const { app } = await buildTestApp();
    const ok = await app.request("/grade", form({ principle: "ownership", question: "Q <i>?</i>", answer: SAMPLE_ANSWER }));
    expect(ok.status).toBe(303);
    const page = await (await app.request(ok.headers.get("location")!)).text();
    expect(page).toContain("Offline mode");
    expect(page).toContain("OPENAI_API_KEY");
    expect(page).toContain("Q &lt;i&gt;?&lt;/i&gt;");

    const long = "x ".repeat(10_001);
    const tooLong = await app.request("/grade", form({ principle: "ownership", question: "kept question", answer: long }));
    expect(tooLong.status).toBe(413);
    const body = await tooLong.text();
    expect(body).toContain("limit is 20000");
    expect(body).toContain(long.slice(0, 200));
    expect(body).toContain('value="kept question"');

    const badPrinciple = await app.request("/grade", form({ principle: "telepathy", question: "", answer: SAMPLE_ANSWER }));
    expect(badPrinciple.status).toBe(400);
    expect(await badPrinciple.text()).toContain("Unknown principle");

    const crossSite = await app.request("/grade", { ...form({ principle: "ownership", answer: SAMPLE_ANSWER }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
  });

  it("GET /v1/questions filters by principle id or name and rejects unknown ones", async () => {
    const { app } = await buildTestApp();
    const all = (await (await app.request("/v1/questions")).json()) as unknown[];
    expect(all).toHaveLength(QUESTIONS.length);
    const byName = (await (await app.request("/v1/questions?principle=Have%20Backbone%3B%20Disagree%20and%20Commit")).json()) as Array<{ principles: string[] }>;
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((q) => q.principles.includes("have-backbone-disagree-and-commit"))).toBe(true);
    const bad = await app.request("/v1/questions?principle=nope");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe("unknown_principle");
    expect(((await (await app.request("/openapi.json")).json()) as any).paths["/v1/questions"]).toBeDefined();
  });
});
