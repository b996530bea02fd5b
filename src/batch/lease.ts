/**
 * One grader per job at a time (Node: the CLI and the local server runner). Before grading, a
 * process takes the job's lease: a conditional write of its owner (kind, host, pid, a per-run token)
 * and an expiry LEASE_MS ahead, renewed every RENEW_MS while it runs and released at the end. A job
 * is never finished by a grader other than the one it started with (mode and model).
 *
 * When the holder died: on the same machine its pid is gone, and the lease is taken over at once
 * (kill -9, then the same command again, resumes at once). A holder on another machine is trusted
 * until its lease expires, LEASE_MS after its last renewal.
 */
import { hostname } from "node:os";
import type { BatchJob, BatchStore, JobOwner } from "../store/batch-types.js";
import { checkGrader, JobConflictError } from "./job.js";

export { checkGrader, JobConflictError };

export const LEASE_MS = 30_000;
export const RENEW_MS = 10_000;

/** This process as a job owner; each call is a new run with its own token. */
export function processOwner(kind: JobOwner["kind"]): JobOwner {
  return { kind, host: hostname(), pid: process.pid, token: crypto.randomUUID() };
}

const sameOwner = (a: JobOwner | null, b: JobOwner) => !!a && a.host === b.host && a.pid === b.pid && a.token === b.token;

/** false only when the owner's process is certainly gone: same machine, and no process with its pid. */
export function ownerAlive(owner: JobOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true; // this process (another run of it, e.g. another server instance)
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

export function describeOwner(o: JobOwner): string {
  return `${o.kind === "cli" ? "a `starcoach grade` command" : "a starcoach server"} (pid ${o.pid} on ${o.host})`;
}

/** The live holder of a job other than `me`, or null when `me` may take it now. */
export function otherHolder(job: BatchJob, me: JobOwner, now = Date.now()): JobOwner | null {
  if (!job.owner || job.leaseExpiresAt === null || job.leaseExpiresAt <= now || sameOwner(job.owner, me)) return null;
  return ownerAlive(job.owner) ? job.owner : null;
}

export interface Lease {
  /** True once a renewal failed: another process took the job; stop taking rows. */
  readonly lost: boolean;
  release(): Promise<void>;
}

/** Take the job's lease for `me` and keep it renewed until release(); throws JobConflictError when a live process holds it. */
export async function acquireLease(batches: BatchStore, job: BatchJob, me: JobOwner): Promise<Lease> {
  const now = Date.now();
  const holder = otherHolder(job, me, now);
  const busy = (h: JobOwner, until: number | null) =>
    new JobConflictError(
      "job_busy",
      `job ${job.id} is being graded by ${describeOwner(h)}; wait for it to finish or stop it, then run this again` +
        " (if that process was killed on another machine, the job is free 30 s after its last sign of life).",
      until,
    );
  if (holder) throw busy(holder, job.leaseExpiresAt);
  const dead = job.owner && !sameOwner(job.owner, me) ? job.owner : null;
  if (!(await batches.claimJob(job.id, { owner: me, until: now + LEASE_MS, now, takeOverFrom: dead }))) {
    // Someone claimed it between our read and our write.
    const fresh = await batches.getJob(job.id);
    throw busy(fresh?.owner ?? me, fresh?.leaseExpiresAt ?? null);
  }
  let lost = false;
  const timer = setInterval(() => {
    const t = Date.now();
    batches.claimJob(job.id, { owner: me, until: t + LEASE_MS, now: t }).then(
      (kept) => (lost ||= !kept),
      () => (lost = true),
    );
  }, RENEW_MS);
  timer.unref?.();
  return {
    get lost() {
      return lost;
    },
    async release() {
      clearInterval(timer);
      if (!lost) await batches.releaseJob(job.id, me).catch(() => undefined);
    },
  };
}
