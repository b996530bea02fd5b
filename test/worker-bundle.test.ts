/** The Worker bundle `wrangler deploy` would upload: no Node-only code, within the Workers Free size limit. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { buildWorkerBundle, FREE_PLAN_LIMIT } from "../bench/worker-bundle.js";

it("builds with wrangler, free of better-sqlite3/fs/src/node.ts and under 3 MB gzip", () => {
  const outdir = mkdtempSync(join(tmpdir(), "starcoach-bundle-"));
  try {
    const report = buildWorkerBundle(outdir);
    expect(report.forbidden).toEqual([]);
    expect(report.files.map((f) => f.name)).toContain("worker.js");
    // The rubric travels as a Text module, byte for byte.
    expect(report.files.some((f) => f.name.endsWith("star-rubric.md"))).toBe(true);
    expect(report.gzipBytes).toBeLessThan(FREE_PLAN_LIMIT);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}, 60_000);
