/**
 * Batch grading over HTTP: POST /v1/batches (JSON array, CSV or JSONL body) stores a job and
 * answers 202 with its id; GET /v1/batches/:id (status and counts), /results (JSONL, or CSV with
 * Accept: text/csv) and /report (the HTML report). Batches get their own body limit, larger than
 * the 256 KiB of the other /v1 routes.
 */
import { GRADER_MODES } from "../../core/feedback.js";
import { NotFound } from "../../errors.js";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_ID_CHARS, readRows, type InputFormat } from "../../batch/input.js";
import { GradeRequestSchema } from "../../core/grade-request.js";
import { createJobFromRows } from "../../batch/job.js";
import { resultLines } from "../../batch/output.js";
import { buildReport, REPORT_STYLE_SOURCE } from "../../batch/report.js";
import type { BatchJob, BatchStore } from "../../store/batch-types.js";
import type { BatchJobs } from "../../batch/jobs.js";
import type { AppEnv } from "../context.js";
import { errorDoc, errorResponse } from "../errors.js";

/** 16 MiB: about 2,000 answers of two minutes each, or 800 of the longest allowed. */
export const MAX_BATCH_BODY_BYTES = 16 * 1024 * 1024;

const FORMATS: Array<[RegExp, InputFormat]> = [
  [/^application\/(x-)?(ndjson|jsonl|jsonlines|json-seq)\b/i, "jsonl"],
  [/^application\/(.+\+)?json\b/i, "json"],
  [/^text\/csv\b/i, "csv"],
];

export const BatchStatusSchema = z
  .object({
    id: z.string(),
    status: z.enum(["ingesting", "ready", "submitted", "done"]).openapi({ description: "ready: queued or grading; done: every row finished" }),
    mode: z.enum(GRADER_MODES),
    model: z.string().nullable(),
    promptVersion: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    counts: z.object({ total: z.number().int(), pending: z.number().int(), done: z.number().int(), error: z.number().int() }),
    links: z.object({ self: z.string(), results: z.string(), report: z.string() }),
  })
  .openapi("BatchStatus");

/** A row is checked like POST /v1/grade's body (checkRow), under an id of its own. */
const BatchRowSchema = GradeRequestSchema.pick({ principle: true, question: true, answer: true })
  .extend({ id: z.string().max(MAX_ID_CHARS).optional().openapi({ description: "Names the row in the results; absent: row-N" }) })
  .openapi("BatchRow");

const IdParam = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: "job_3f9a1c2b7d4e5f60" }) });

const createBatchRoute = createRoute({
  method: "post",
  path: "/v1/batches",
  tags: ["batches"],
  summary: "Start a batch grading job",
  description:
    `Body: a JSON array of {id, principle, question?, answer} (application/json), the same objects one per line (application/x-ndjson), or CSV with the header id,principle,question,answer (text/csv). Up to ${MAX_BATCH_BODY_BYTES / 1024 / 1024} MiB. ` +
    "Rows are checked like POST /v1/grade; a bad row is reported in the results and the rest are graded.",
  request: {
    body: {
      required: true,
      content: {
        "application/json": { schema: z.array(BatchRowSchema) },
        "application/x-ndjson": { schema: z.string() },
        "text/csv": { schema: z.string() },
      },
    },
  },
  responses: {
    202: { description: "Job stored and queued", content: { "application/json": { schema: BatchStatusSchema } } },
    400: errorDoc("invalid_json, invalid_request, invalid_csv_header, empty_batch, json_too_deep, row_too_large"),
    413: errorDoc("body_too_large"),
    415: errorDoc("unsupported_media_type"),
    429: errorDoc("batch_rows_limited: over the client's budget of rows an hour (with Retry-After)"),
    501: errorDoc("batches_unavailable"),
  },
});

const statusRoute = createRoute({
  method: "get",
  path: "/v1/batches/{id}",
  tags: ["batches"],
  summary: "A batch job's status and row counts",
  request: { params: IdParam },
  responses: { 200: { description: "Status", content: { "application/json": { schema: BatchStatusSchema } } }, 404: errorDoc("batch_not_found") },
});

const resultsRoute = createRoute({
  method: "get",
  path: "/v1/batches/{id}/results",
  tags: ["batches"],
  summary: "Finished rows in input order: JSONL {id, feedback} / {id, error}, or CSV with Accept: text/csv",
  request: { params: IdParam },
  responses: {
    200: { description: "Results", content: { "application/x-ndjson": { schema: z.string() }, "text/csv": { schema: z.string() } } },
    404: errorDoc("batch_not_found"),
  },
});

const reportRoute = createRoute({
  method: "get",
  path: "/v1/batches/{id}/report",
  tags: ["batches"],
  summary: "The batch report: one self-contained HTML page",
  request: { params: IdParam },
  responses: { 200: { description: "HTML report", content: { "text/html": { schema: z.string() } } }, 404: errorDoc("batch_not_found") },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/batches/{id}",
  tags: ["batches"],
  summary: "Delete a batch job: its rows and the gradings it created (rows answered from the cache point to earlier gradings, which stay)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 404: errorDoc("batch_not_found"), 409: errorDoc("batch_busy") },
});

/**
 * Jobs that another process is grading right now (a `starcoach grade` command on the same database):
 * deleting them under it would let it store gradings after the delete. Call after cancelling this
 * process's own runner, which releases its leases.
 */
export async function jobsLeasedElsewhere(store: BatchStore, ids?: readonly string[]): Promise<BatchJob[]> {
  const now = Date.now();
  const jobs = ids ? (await Promise.all(ids.map((id) => store.getJob(id)))).filter((j): j is BatchJob => !!j) : await store.listJobs(["ready"]);
  return jobs.filter((j) => j.leaseExpiresAt !== null && j.leaseExpiresAt > now);
}

/** 409 batch_busy with Retry-After: when the holder's lease runs out at the latest. */
export function busyResponse(c: Context<AppEnv>, jobs: readonly BatchJob[]) {
  const until = Math.max(...jobs.map((j) => j.leaseExpiresAt ?? 0));
  c.header("Retry-After", String(Math.max(1, Math.ceil((until - Date.now()) / 1000))));
  const who = jobs[0]!.owner;
  return errorResponse(
    c,
    409,
    "batch_busy",
    `Batch job ${jobs[0]!.id} is being graded by another process${who ? ` (${who.kind === "cli" ? "a starcoach grade command" : "another server"}, pid ${who.pid})` : ""}; stop it, or retry once it has finished.`,
  );
}

function jobsOf(c: Context<AppEnv>): BatchJobs | null {
  return c.var.deps.batches ?? null;
}

async function statusBody(jobs: BatchJobs, job: BatchJob) {
  const self = `/v1/batches/${job.id}`;
  return {
    id: job.id,
    status: job.status,
    mode: job.mode,
    model: job.model,
    promptVersion: job.promptVersion,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    counts: await jobs.store.counts(job.id),
    links: { self, results: `${self}/results`, report: `${self}/report` },
  };
}

const unavailable = (c: Context<AppEnv>) => errorResponse(c, 501, "batches_unavailable", "Batch grading is not enabled on this server.");

/** Text chunks as a streamed body, pulled as the client reads. */
function streamBody(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export const batchesRoutes = new OpenAPIHono<AppEnv>();

batchesRoutes.post(
  "/v1/batches",
  bodyLimit({
    maxSize: MAX_BATCH_BODY_BYTES,
    onError: (c) => errorResponse(c, 413, "body_too_large", `A batch body may be at most ${MAX_BATCH_BODY_BYTES / 1024 / 1024} MiB; split the set or use the CLI.`),
  }),
);

// Documented, but not validated as one JSON document by the route schema: the body is read as a
// stream in whichever format the Content-Type names, and a bad row must not reject the batch.
batchesRoutes.openAPIRegistry.registerPath(createBatchRoute);
batchesRoutes.post("/v1/batches", async (c) => {
    const jobs = jobsOf(c);
    if (!jobs) return unavailable(c);
    const type = c.req.header("content-type") ?? "";
    const format = FORMATS.find(([re]) => re.test(type))?.[1];
    if (!format) {
      return errorResponse(c, 415, "unsupported_media_type", "Send the rows as application/json (array), application/x-ndjson (one object per line) or text/csv.");
    }
    const body = c.req.raw.body;
    if (!body) return errorResponse(c, 400, "empty_batch", "The body has no rows.");
    // Each row is a model call: rows count against the client's hourly budget as they are read.
    const rows = c.var.admission.meterRows(c, readRows(body as unknown as AsyncIterable<Uint8Array>, { format }));
    const job = await createJobFromRows(jobs.store, c.var.deps.grading.grader, rows);
    if (!job.total) {
      await jobs.store.deleteJob(job.id);
      return errorResponse(c, 400, "empty_batch", "The body has no rows.");
    }
    await jobs.start(job);
    c.header("Location", `/v1/batches/${job.id}`);
    return c.json(await statusBody(jobs, (await jobs.store.getJob(job.id)) ?? job), 202);
});

/** The batch port and the job named in the path, or the error response to send instead. */
async function findJob(c: Context<AppEnv>): Promise<{ jobs: BatchJobs; job: BatchJob } | Response> {
  const jobs = jobsOf(c);
  if (!jobs) return unavailable(c);
  const id = c.req.param("id")!;
  const job = await jobs.store.getJob(id);
  if (!job) throw new NotFound("batch", id);
  return { jobs, job };
}

batchesRoutes.openAPIRegistry.registerPath(statusRoute);
batchesRoutes.get("/v1/batches/:id", async (c) => {
  const found = await findJob(c);
  if (found instanceof Response) return found;
  return c.json(await statusBody(found.jobs, found.job), 200);
});

batchesRoutes.openAPIRegistry.registerPath(deleteRoute);
batchesRoutes.delete("/v1/batches/:id", async (c) => {
  const found = await findJob(c);
  if (found instanceof Response) return found;
  const { jobs, job } = found;
  // Stop the local runner on this job first, so no row is graded and stored after the delete.
  await jobs.cancel?.(job.id);
  const busy = await jobsLeasedElsewhere(jobs.store, [job.id]);
  if (busy.length) return busyResponse(c, busy);
  if (!(await jobs.store.deleteJobWithResults(job.id))) throw new NotFound("batch", job.id);
  return c.body(null, 204);
});

batchesRoutes.openAPIRegistry.registerPath(resultsRoute);
batchesRoutes.get("/v1/batches/:id/results", async (c) => {
  const found = await findJob(c);
  if (found instanceof Response) return found;
  const { jobs, job } = found;
  const csv = /\btext\/csv\b/i.test(c.req.header("accept") ?? "");
  return new Response(streamBody(resultLines(jobs.store, job.id, csv ? "csv" : "jsonl")), {
    status: 200,
    headers: {
      "content-type": csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      vary: "Accept",
      "x-batch-status": job.status,
    },
  });
});

batchesRoutes.openAPIRegistry.registerPath(reportRoute);
batchesRoutes.get("/v1/batches/:id/report", async (c) => {
  const found = await findJob(c);
  if (found instanceof Response) return found;
  // The report's one inline stylesheet, allowed by its hash (the app's CSP forbids inline styles).
  c.set("cspStyleSources", [REPORT_STYLE_SOURCE]);
  return c.html(await buildReport(found.jobs.store, found.job.id));
});
