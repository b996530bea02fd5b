/**
 * Import cycles in src/: prints each cycle (a strongly connected group of modules) and exits 1, or
 * prints "no import cycles" and exits 0. Type-only imports count too: a cycle of types still ties
 * two modules together. Run: `npm run check:cycles`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "src");
const SOURCE = /\.(ts|tsx)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return SOURCE.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The local modules a file imports or re-exports (`./x.js` resolves to x.ts or x.tsx). */
function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s+["'](\.[^"']+)["']/g)].map((m) => m[1]!);
  return specs
    .map((spec) => resolve(dirname(file), spec).replace(/\.js$/, ""))
    .map((base) => [`${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find((f) => known.has(f)))
    .filter((f): f is string => f !== undefined);
}

/** Each import cycle among the modules under `root`, as a group of file paths (none: []). */
export function findCycles(root: string = ROOT): string[][] {
  const all = files(root);
  const known = new Set(all);
  const graph = new Map(all.map((f) => [f, importsOf(f, known)]));

  // Tarjan's strongly connected components: every group larger than one module (or a module that
  // imports itself) is a cycle.
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  const visit = (v: string): void => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) !== order.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || graph.get(v)!.includes(v)) cycles.push(group);
  };

  for (const f of all) if (!order.has(f)) visit(f);
  return cycles;
}

export const cycleName = (group: readonly string[]) => group.map((f) => relative(resolve(ROOT, ".."), f)).sort().join(" ↔ ");

if (import.meta.filename === process.argv[1]) {
  const cycles = findCycles();
  if (!cycles.length) console.log(`no import cycles among ${files(ROOT).length} modules in src/`);
  for (const group of cycles) console.log(`cycle: ${cycleName(group)}`);
  if (cycles.length) process.exitCode = 1;
}
