/**
 * `npm run test:pack`: the package as a user gets it. `npm pack` (which builds first), check what the
 * tarball holds, `npm install` it into an empty folder (dependencies from the npm cache or the
 * registry), then through `npx starcoach`: --version, an offline `grade` of the example CSV, and
 * `serve --port 0` answering the page, its script, the API docs and POST /v1/grade (analysed on a worker
 * thread started from dist/analysis-worker.js). With a node older
 * than the engines field on the PATH it also checks the one-line refusal. Prints the tarball size
 * and the timings; exits 1 on the first failed check. Run by Node 24's type stripping (node:* only).
 */
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string; engines: { node: string } };
const REQUIRED = Number(/\d+/.exec(pkg.engines.node)?.[0]);
// The installed command runs on this Node (24, the project's pin), whatever the system's node is.
const PATH = [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter);
const ENV = { ...process.env, PATH, STARCOACH_LOG: "off", OPENAI_API_KEY: "", npm_config_update_notifier: "false" };

function check(ok: unknown, what: string): void {
  if (!ok) throw new Error(what);
  console.log(`  ok  ${what}`);
}

/** A command that must exit 0; its output otherwise. */
function succeeded(r: { code: number | null; stderr: string }, what: string): void {
  check(r.code === 0, r.code === 0 ? what : `${what} (exit ${r.code}): ${r.stderr}`);
}

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: ENV, ...options });
  if (r.error) throw r.error;
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function timed<T>(label: string, fn: () => T): T {
  const started = performance.now();
  const value = fn();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

/** `npx starcoach serve --port 0` in its own process group (as a terminal runs it), until it prints its URL. */
async function serve(app: string): Promise<{ url: string; stop(): Promise<string> }> {
  const child = spawn("npx", ["starcoach", "serve", "--port", "0"], { cwd: app, env: { ...ENV, STARCOACH_DB: join(app, "serve.db") }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  // Ctrl-C in a terminal signals the whole foreground group: npx and the server under it. Resolves
  // with everything the server printed once the group is gone.
  return { url, stop: () => (process.kill(-child.pid!, "SIGINT"), exited.then(() => output)) };
}

/** An older node on the PATH (outside node_modules), e.g. the distribution's, or null. */
function olderNode(): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter).filter((d) => d && !d.includes("node_modules")), "/usr/bin", "/usr/local/bin"]) {
    const r = spawnSync(join(dir, "node"), ["-p", "process.versions.node"], { encoding: "utf8" });
    if (r.status === 0 && Number(r.stdout.split(".")[0]) < REQUIRED) return join(dir, "node");
  }
  return null;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "starcoach-pack-"));
  try {
    // 1. Pack: prepack builds dist/ first.
    const packed = timed("npm pack (with the build)", () => run("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT }));
    succeeded(packed, "npm pack");
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const tarball = join(work, info!.filename);
    const files = info!.files.map((f) => f.path);
    console.log(`tarball: ${info!.filename}, ${(statSync(tarball).size / 1024).toFixed(1)} KiB, ${files.length} files`);
    for (const needed of ["bin/starcoach.js", "dist/cli.js", "dist/analysis-worker.js", "dist/migrations/0001_gradings.sql", "prompts/star-rubric.md", "prompts/bar-raiser.md", "README.md", "package.json"]) check(files.includes(needed), `the tarball holds ${needed}`);
    check(!files.some((f) => /^(src|test|bench|scripts|dist\/worker|dist\/client)\//.test(f)), "no sources, tests or Worker build in the tarball");

    // 2. Install into an empty folder, as a user would.
    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "starcoach-pack-check", private: true }));
    const installed = timed("npm install <tarball> (dependencies from the npm cache / registry)", () => run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], { cwd: app }));
    succeeded(installed, "npm install of the tarball");

    // 3. The command.
    const version = run("npx", ["starcoach", "--version"], { cwd: app });
    check(version.code === 0 && version.stdout.trim() === pkg.version, `npx starcoach --version prints ${pkg.version}`);

    const example = join(app, "node_modules", pkg.name, "data", "examples", "answers.csv");
    const graded = timed("npx starcoach grade (offline, example CSV)", () => run("npx", ["starcoach", "grade", example, "--offline", "--db", join(app, "grade.db"), "--out", join(app, "out.jsonl")], { cwd: app }));
    succeeded(graded, "npx starcoach grade");
    const lines = readFileSync(join(app, "out.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { feedback?: { overall: { score: number } } });
    const rows = Number(/(\d+) rows read/.exec(graded.stderr)?.[1]);
    check(rows > 0 && lines.length === rows && lines.every((l) => typeof l.feedback?.overall.score === "number"), `every answer of the example CSV is graded (${lines.length} of ${rows} rows)`);

    const server = await serve(app);
    try {
      const page = await fetch(`${server.url}/`);
      const html = await page.text();
      check(page.status === 200 && html.includes('id="grade-form"'), `GET / serves the form (${server.url})`);
      const script = /src="(\/assets\/app\.js\?v=[^"]+)"/.exec(html)?.[1];
      const asset = script ? await fetch(`${server.url}${script}`) : null;
      check(asset?.status === 200 && (asset.headers.get("content-type") ?? "").includes("javascript"), "the page script is served");
      const docs = await fetch(`${server.url}/docs`);
      const docsAsset = /src="([^"]+\.js)"/.exec(await docs.text())?.[1];
      check(docs.status === 200 && docsAsset && (await fetch(new URL(docsAsset, server.url))).status === 200, "the API docs and their Swagger UI files (from node_modules) are served");
      const res = await fetch(`${server.url}/v1/grade`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ principle: "ownership", answer: "I owned the outage review. I rewrote the alerting, and as a result pages fell by 40%." }) });
      const feedback = (await res.json()) as { overall?: { score: number }; meta?: { mode: string } };
      check(res.status === 200 && typeof feedback.overall?.score === "number" && feedback.meta?.mode === "offline", "POST /v1/grade grades (offline)");
    } finally {
      const output = await server.stop();
      check(/"msg":"stopped","drained":true/.test(output), "serve shuts down cleanly on Ctrl-C (requests drained, database closed)");
      check(/analysis on \d+ worker threads?/.test(output) && !output.includes("analysis thread"), "answers are analysed on worker threads (dist/analysis-worker.js starts)");
    }

    // 4. An older Node gets one line saying what to install.
    const old = olderNode();
    if (old) {
      const r = run(old, [join(app, "node_modules", ".bin", "starcoach"), "--version"], { cwd: app });
      check(r.code === 1 && r.stdout === "" && /^starcoach needs Node\.js \d+ or later; [^\n]+\n$/.test(r.stderr), `on ${old} (${run(old, ["--version"]).stdout.trim()}): one line, exit 1 — ${r.stderr.trim()}`);
    } else console.log(`  --  no node older than ${REQUIRED} on the PATH: the refusal is not checked`);
    console.log("pack smoke test passed");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`pack smoke test FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
