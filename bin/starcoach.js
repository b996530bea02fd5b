#!/usr/bin/env node
// The `starcoach` command: runs the built CLI (dist/cli.js, from `npm run build`) in this very
// process, so signals, exit codes and `kill -9` act on the program that grades. On a Node older than
// package.json's engines it says what to install and stops: it never starts another Node behind
// the user's back. Plain JavaScript that any Node from 14.8 on parses, so the check itself runs.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
const root = new URL("..", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const required = Number(/\d+/.exec(pkg.engines.node)[0]);
const major = Number(process.versions.node.split(".")[0]);

if (major < required) {
  process.stderr.write(`starcoach needs Node.js ${required} or later; this is Node.js ${process.version}. Install Node.js ${required} (https://nodejs.org/ or \`nvm install ${required}\`) and run it again.\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const command = args.find((a) => !a.startsWith("-"));

// V8's heap sizes, set by re-executing this process with flags (execve keeps the PID, so signals
// and kill -9 still reach the real program); skipped when the caller set them.
// - Commands (grade, eval, …): a batch streams through the process, but V8 grows its reserved heap
//   to ~200 MB over the run unless told otherwise; a cap makes it collect instead (100k rows:
//   ~480 MB peak RSS uncapped, 229 MB at 128 MB).
// - The server (`serve`) holds many concurrent gradings, so its old space keeps V8's default. Its
//   young generation does not: Node 24 sizes it from the machine's memory (64 MB semi-spaces on a
//   24 GB machine, 128 MB per thread, the analysis thread included). 16 MB serves the same load
//   with ~200 MB less peak RSS (docs/PERFORMANCE.md).
const HEAP_FLAGS = command === "serve" ? ["--max-semi-space-size=16"] : ["--max-old-space-size=128", "--max-semi-space-size=2"];
const callerSetHeap = process.execArgv.some((a) => /^--max-(old|semi)-space-size/.test(a));
if (!callerSetHeap && typeof process.execve === "function") {
  process.execve(process.execPath, [process.execPath, ...HEAP_FLAGS, ...process.execArgv, self, ...args], process.env);
}

process.setSourceMapsEnabled(true);
const cli = new URL("dist/cli.js", root);
let main;
try {
  ({ main } = await import(cli.href));
} catch (err) {
  if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.message).includes(fileURLToPath(cli))) throw err;
  process.stderr.write(`starcoach: ${fileURLToPath(cli)} is missing; run \`npm run build\` in ${fileURLToPath(root)} first.\n`);
  process.exit(1);
}
process.exit(await main(args, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }));
