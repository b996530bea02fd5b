import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cycleName, findCycles } from "../scripts/cycles.js";

describe("import cycles", () => {
  it("finds a cycle through a type-only import and a re-export", () => {
    const dir = mkdtempSync(join(tmpdir(), "cycles-"));
    writeFileSync(join(dir, "a.ts"), 'import type { B } from "./b.js";\nexport type A = B;\n');
    writeFileSync(join(dir, "b.ts"), 'export { c } from "./c.js";\nexport type B = string;\n');
    writeFileSync(join(dir, "c.ts"), 'import {\n  type A,\n} from "./a.js";\nexport const c: A | null = null;\n');
    writeFileSync(join(dir, "leaf.ts"), 'import type { A } from "./a.js";\nexport type L = A;\n');
    const cycles = findCycles(dir);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.map((f) => f.slice(dir.length + 1)).sort()).toEqual(["a.ts", "b.ts", "c.ts"]);
  });

  it("src/ has none (npm run check:cycles)", () => {
    expect(findCycles().map(cycleName)).toEqual([]);
  });
});
