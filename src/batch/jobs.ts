import type { BatchJob, BatchStore } from "../store/batch-types.js";

/**
 * The one runtime difference for POST /v1/batches: the route stores the job's rows in `store`,
 * then calls `start`. On Node that runs the local job runner in the background; on Workers it puts
 * the rows on a Cloudflare Queue whose consumer grades them (queue.ts, beside the Node runner in service.ts).
 */
export interface BatchJobs {
  store: BatchStore;
  start(job: BatchJob): Promise<void>;
  /** Node's local runner, for graceful shutdown: take no new rows… */
  stop?(): void;
  /** …and resolve once the rows being graded are stored. */
  idle?(): Promise<void>;
  /**
   * Stop grading one job (every job without an id) before it is deleted, and resolve once its rows
   * in flight are stored, so no grading is saved after the delete. Absent where rows are graded
   * elsewhere (Workers: a deleted job's queued rows find nothing to grade).
   */
  cancel?(id?: string): Promise<void>;
}
