/**
 * Test-only Worker entry: the real src/worker.ts (fetch and queue handlers) plus two endpoints that
 * drive its batch port (AppDeps.batches) the way POST /v1/batches does — store the rows in D1, then
 * `start` the job, which puts them on the local Cloudflare Queue for the real consumer — and read the
 * job back. It lets the queue path be tested end to end independently of the HTTP route's shape.
 */
import worker, { runtimeFor, type WorkerEnv } from "../../src/worker.js";
import type { ExecutionContext } from "../../src/worker/bindings.js";
import type { BatchRowInput } from "../../src/store/batch-types.js";

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith("/__test/batches")) return worker.fetch(request, env, ctx);
    const { deps } = await runtimeFor(env);
    const batches = deps.batches;
    if (!batches) return Response.json({ error: "no BATCH_QUEUE binding" }, { status: 501 });
    if (request.method === "POST") {
      const rows = (await request.json()) as BatchRowInput[];
      const grader = deps.grading.grader;
      const job = await batches.store.createJob({
        id: `job_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`,
        inputKey: null,
        source: "api",
        mode: grader.mode,
        model: grader.model,
        promptVersion: grader.promptVersion,
      });
      await batches.store.addRows(job.id, 0, rows);
      await batches.store.updateJob(job.id, { status: "ready", total: rows.length });
      await batches.start((await batches.store.getJob(job.id))!);
      return Response.json({ id: job.id }, { status: 202 });
    }
    const id = url.pathname.split("/").pop()!;
    const job = await batches.store.getJob(id);
    if (!job) return Response.json({ error: "not found" }, { status: 404 });
    return Response.json({ job, counts: await batches.store.counts(id), results: await batches.store.results(id, -1, 1000) });
  },
  queue: worker.queue,
};
