import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { detectFormat, readRows } from "../src/batch/input.js";
import { InputError } from "../src/grading.js";

async function rows(text: string | Buffer, options: Parameters<typeof readRows>[1] = {}) {
  const out = [];
  // Small chunks so records straddle chunk boundaries, as they do when a big file streams in.
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
  for await (const r of readRows(Readable.from(chunks), options)) out.push(r);
  return out;
}

describe("CSV input", () => {
  it("reads quoted commas, quoted newlines, doubled quotes, a BOM and CRLF line ends", async () => {
    const csv = "\uFEFFid,principle,question,answer\r\n" +
      'a1,ownership,"Tell me, briefly, about ownership","I owned it, fully.\r\nThen I said ""done"" and we shipped."\r\n' +
      "a2,Dive Deep,,I dug into the logs.\r\n";
    const r = await rows(csv);
    expect(r).toEqual([
      { rowId: "a1", principle: "ownership", question: "Tell me, briefly, about ownership", answer: 'I owned it, fully.\r\nThen I said "done" and we shipped.' },
      { rowId: "a2", principle: "Dive Deep", question: "", answer: "I dug into the logs." },
    ]);
  });

  it("reads a file mixing CRLF, LF and CR line ends, with quoted multi-line fields, as a spreadsheet does", async () => {
    // Each row ends differently; quoted fields hold LF, CRLF and CR breaks; blank lines in between.
    const csv = "id,principle,question,answer\r\n" +
      "m1,ownership,,one\n" +
      'm2,ownership,,"two\nlines"\r\n' +
      "m3,ownership,,three\r\n\r\n" +
      'm4,ownership,"a question, quoted","four\r\nlines"\n\n' +
      'm5,ownership,,"five\rlines"\r' +
      "m6,ownership,,six\r\n" +
      "m7,ownership,,seven";
    const r = await rows(csv);
    expect(r.map((x) => [x.rowId, x.answer, x.error?.code ?? null])).toEqual([
      ["m1", "one", null],
      ["m2", "two\nlines", null],
      ["m3", "three", null],
      ["m4", "four\r\nlines", null],
      ["m5", "five\rlines", null],
      ["m6", "six", null],
      ["m7", "seven", null],
    ]);
    expect(r[3]!.question).toBe("a question, quoted");
  });

  it("turns a record with the wrong number of fields into an error row and keeps reading", async () => {
    const r = await rows("id,principle,question,answer\nx1,ownership,q,fine answer\nx2,ownership,too,many,fields,here\nx3,frugality,q,another\n");
    expect(r.map((x) => x.rowId)).toEqual(["x1", "row-2", "x3"]);
    expect(r[1]!.error?.code).toBe("invalid_csv_row");
  });

  it("names missing ids by row number and rejects a file without an answer column", async () => {
    const r = await rows("id,principle,question,answer\n,ownership,q,text\n");
    expect(r[0]!.rowId).toBe("row-1");
    await expect(rows("name,text\nx,y\n")).rejects.toBeInstanceOf(InputError);
  });
});

describe("JSONL input", () => {
  it("reads objects line by line; a broken line becomes an error row and the rest are read", async () => {
    const text = '\uFEFF{"id":"j1","principle":"ownership","answer":"A"}\n{"id":"j2", broken\n\n["not an object"]\n{"id":"j3","principle":"frugality","answer":"C","question":null}\r\n{"id":7,"principle":"ownership","answer":{"x":1}}\n';
    const r = await rows(text);
    expect(r.map((x) => [x.rowId, x.error?.code ?? "ok"])).toEqual([
      ["j1", "ok"],
      ["line-2", "invalid_json"],
      ["line-4", "invalid_row"],
      ["j3", "ok"],
      ["7", "invalid_row"],
    ]);
  });

  it("refuses an id over 200 characters and names the row by its number", async () => {
    const r = await rows(`${JSON.stringify({ id: "i".repeat(201), principle: "ownership", answer: "A" })}\n${JSON.stringify({ id: "i".repeat(200), principle: "ownership", answer: "B" })}\n`);
    expect(r.map((x) => [x.rowId.length, x.error?.code ?? "ok"])).toEqual([[5, "id_too_long"], [200, "ok"]]);
  });

  it("detects the format from the name, else the first character", () => {
    expect(detectFormat("id,principle", "a.csv")).toBe("csv");
    expect(detectFormat('{"id":1}', undefined)).toBe("jsonl");
    expect(detectFormat('\uFEFF  [{"id":1}]', undefined)).toBe("json");
    expect(detectFormat("id,principle,question,answer", "answers.txt")).toBe("csv");
  });

  it("reads a JSON array", async () => {
    const r = await rows('[{"id":"k","principle":"ownership","answer":"é ü"}, 3]');
    expect(r[0]).toEqual({ rowId: "k", principle: "ownership", question: null, answer: "é ü" });
    expect(r[1]!.error?.code).toBe("invalid_row");
  });
});
