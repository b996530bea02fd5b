/** docs/CONTRACT.md's Feedback outline is the one the zod schemas produce today (npm run docs:contract). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONTRACT_DOC, renderContractDoc } from "../scripts/contract-doc.js";

describe("docs/CONTRACT.md", () => {
  it("holds the Feedback outline generated from the current schemas", () => {
    const doc = readFileSync(CONTRACT_DOC, "utf8");
    expect(doc, "docs/CONTRACT.md is stale: run npm run docs:contract").toBe(renderContractDoc(doc));
    for (const field of ["overall", "star", "ownership", "length", "principleFit", "metrics", "improvements", "followUps", "segments", "meta"]) expect(doc).toMatch(new RegExp(`^  ${field}\\??: `, "m"));
  });
});
