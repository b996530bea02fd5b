#!/usr/bin/env node
// Launcher for the built CLI (dist/cli.js, from `npm run build`). Under Node 24+ it runs it in this
// process (so signals, exit codes and kill -9 act on the real program); under an older node it
// re-runs itself with the project's Node 24 from node_modules (the `node` devDependency).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const major = Number(process.versions.node.split(".")[0]);

// A batch streams through the process, but V8 grows its reserved heap to ~200 MB over the run
// unless told otherwise; a cap makes it collect instead (100k rows: ~480 MB peak RSS uncapped).
// execve keeps the PID, so signals and kill -9 still reach the real program.
const HEAP_FLAGS = ["--max-old-space-size=160", "--max-semi-space-size=2"];

// The server (`serve`) holds many gradings at once and keeps V8's default.
const serving = process.argv.slice(2).find((a) => !a.startsWith("-")) === "serve";
if (major >= 24 && !serving && typeof process.execve === "function" && !process.execArgv.some((a) => a.startsWith("--max-old-space-size"))) {
  process.execve(process.execPath, [process.execPath, ...HEAP_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], process.env);
}

if (major >= 24) {
  const { main } = await import(pathToFileURL(join(root, "dist", "cli.js")).href);
  const code = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
  process.exit(code);
} else {
  const node24 = join(root, "node_modules", "node", "bin", "node");
  if (!existsSync(node24)) {
    console.error(`starcoach needs Node 24 or later (this is ${process.version}); run \`npm install\` in ${root} first.`);
    process.exit(2);
  }
  const child = spawn(node24, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
}
