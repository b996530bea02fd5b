/** Nesting depth and row size of JSON batch input, measured before JSON.parse (src/batch/json-limits.ts). */
import { Readable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { readRows } from "../src/batch/input.js";
import { MAX_JSON_DEPTH, MAX_ROW_CHARS, scanJson } from "../src/batch/json-limits.js";
import { SAMPLE_ANSWER } from "./support/app.js";
import { buildSecureApp } from "./reliability/support.js";

async function rows(text: string, format: "json" | "jsonl") {
  const out = [];
  for await (const r of readRows(Readable.from([Buffer.from(text)]), { format })) out.push(r);
  return out;
}

const row = (id: string, answer = SAMPLE_ANSWER) => ({ id, principle: "ownership", question: null, answer });
const deep = (n: number) => "[".repeat(n) + "]".repeat(n);

describe("scanJson", () => {
  it("measures depth and top-level elements, ignoring brackets and escaped quotes inside strings", () => {
    expect(scanJson(JSON.stringify([row("a"), row("b")]), 20)).toEqual({ depth: 2, tooLong: null });
    expect(scanJson(JSON.stringify([{ answer: 'I wrote "[[[{{{" and \\" then ]]]' }]), 20).depth).toBe(2);
    expect(scanJson(deep(1_000), 20).depth).toBe(21);
    expect(scanJson('{"a":'.repeat(50) + "1" + "}".repeat(50), 20).depth).toBe(21);
    const text = JSON.stringify([row("a", "short"), row("b", "x".repeat(500)), row("c")]);
    expect(scanJson(text, 20, 400).tooLong).toEqual({ index: 2, chars: JSON.stringify(row("b", "x".repeat(500))).length });
    expect(scanJson(text, 20, 1_000).tooLong).toBeNull();
  });
});

describe("JSON batch input past the limits", () => {
  it("a JSON array nested 5 million deep is refused with json_too_deep at once, without parsing", async () => {
    const parse = vi.spyOn(JSON, "parse");
    try {
      await expect(rows(deep(5_000_000), "json")).rejects.toMatchObject({ code: "json_too_deep", status: 400 });
      expect(parse.mock.calls.filter(([text]) => typeof text === "string" && text.length > 1_000_000)).toEqual([]);
    } finally {
      parse.mockRestore();
    }
  });

  it("a JSON array with a row over the row size is refused with row_too_large naming the row", async () => {
    const body = JSON.stringify([row("ok"), { ...row("huge"), answer: "x".repeat(MAX_ROW_CHARS) }]);
    await expect(rows(body, "json")).rejects.toMatchObject({ code: "row_too_large", message: expect.stringMatching(/^Row 2 of the body/) });
  });

  it("a JSONL line nested too deep or too long becomes an error row; the other lines are read", async () => {
    const lines = [JSON.stringify(row("a")), deep(100_000), JSON.stringify({ ...row("big"), answer: "y".repeat(MAX_ROW_CHARS) }), JSON.stringify(row("b"))].join("\n");
    const out = await rows(lines, "jsonl");
    expect(out.map((r) => [r.rowId, r.error?.code ?? null])).toEqual([["a", null], ["line-2", "json_too_deep"], ["line-3", "row_too_large"], ["b", null]]);
    expect(out[1]!.error!.message).toContain(`more than ${MAX_JSON_DEPTH} deep`);
  });

  it("POST /v1/batches answers 400 json_too_deep, and stores no job", async () => {
    const { app, batches } = buildSecureApp({ batches: true });
    const res = await app.request("/v1/batches", { method: "POST", headers: { "content-type": "application/json" }, body: deep(5_000_000) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ code: "json_too_deep", message: expect.stringContaining("flat") });
    expect(await batches!.store.listJobs(["ingesting", "ready", "done"])).toEqual([]);
  });
});
