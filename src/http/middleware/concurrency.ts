/**
 * The grading gate: at most `maxConcurrent` gradings (model calls) at once, up to `maxQueue` more
 * waiting in FIFO order, each for at most `queueTimeoutMs`. Anything beyond gets 503 + Retry-After
 * at once, so memory stays bounded however many clients arrive. It also counts every request in
 * flight, so a graceful shutdown can stop admitting work and wait for what is running (drain).
 */
import type { Context, MiddlewareHandler } from "hono";
import { errorResponse } from "../errors.js";
import { whenResponseDone } from "./util.js";

export interface GateOptions {
  maxConcurrent: number;
  maxQueue: number;
  queueTimeoutMs: number;
}

/**
 * Who asks for a slot. Interactive gradings (a person waiting on a page or an API call) queue up
 * to maxQueue for up to queueTimeoutMs. Batch rows wait as long as it takes, outside that queue,
 * and only start while fewer than `batchCapacity` slots are taken and no interactive grading is
 * waiting: the rest of the slots stay free for people, so a big batch never starves them.
 */
export type SlotKind = "interactive" | "batch";

export type AcquireResult = { ok: true; release: () => void } | { ok: false; reason: "queue_full" | "queue_timeout" | "shutting_down"; retryAfterSeconds: number };

export interface GateStats {
  /** Slots taken (interactive and batch) / of them by batch rows. */
  running: number;
  batchRunning: number;
  /** Interactive gradings waiting / batch rows waiting. */
  queued: number;
  batchQueued: number;
  /** Requests of any kind in flight. */
  inflight: number;
  draining: boolean;
}

export interface Gate {
  readonly options: GateOptions;
  /** Most slots batch rows may hold at once: maxConcurrent less a quarter (at least one) kept for people. */
  readonly batchCapacity: number;
  stats(): GateStats;
  acquire(kind?: SlotKind): Promise<AcquireResult>;
  /** Mark a request in flight (any route); returns the function that marks it done. */
  enter(): () => void;
  readonly draining: boolean;
  /** Stop admitting new work (requests get 503 shutting_down, waiting batch rows are turned away) and resolve once nothing is in flight or after timeoutMs; true when drained. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function batchCapacityFor(maxConcurrent: number): number {
  return maxConcurrent > 1 ? maxConcurrent - Math.max(1, Math.floor(maxConcurrent / 4)) : 1;
}

export function createGate(options: GateOptions): Gate {
  const batchCapacity = batchCapacityFor(options.maxConcurrent);
  let running = 0;
  let batchRunning = 0;
  let inflight = 0;
  let draining = false;
  let avgHoldMs = 1_000; // moving average of how long a grading holds its slot, for Retry-After
  const queue: Array<(granted: boolean) => void> = [];
  const batchQueue: Array<(granted: boolean) => void> = [];
  const idleWaiters: Array<() => void> = [];

  const retryAfter = () => Math.min(120, Math.max(1, Math.ceil(((queue.length + 1) / options.maxConcurrent) * (avgHoldMs / 1000))));

  function checkIdle() {
    if (inflight === 0 && running === 0) for (const w of idleWaiters.splice(0)) w();
  }

  const interactiveFree = () => running < options.maxConcurrent && queue.length === 0;
  const batchFree = () => running < batchCapacity && queue.length === 0 && batchQueue.length === 0;

  function grant(kind: SlotKind): () => void {
    running++;
    if (kind === "batch") batchRunning++;
    const started = Date.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (kind === "interactive") avgHoldMs = avgHoldMs * 0.8 + (Date.now() - started) * 0.2;
      running--;
      if (kind === "batch") batchRunning--;
      pump();
      checkIdle();
    };
  }

  /** Hand free slots to waiters: people first, then batch rows within their share. */
  function pump() {
    while (queue.length && running < options.maxConcurrent) queue.shift()!(true);
    while (batchQueue.length && queue.length === 0 && running < batchCapacity) batchQueue.shift()!(true);
  }

  function acquireBatch(): Promise<AcquireResult> {
    if (batchFree()) return Promise.resolve({ ok: true, release: grant("batch") });
    return new Promise((resolve) => {
      batchQueue.push((granted) => resolve(granted ? { ok: true, release: grant("batch") } : { ok: false, reason: "shutting_down", retryAfterSeconds: 5 }));
    });
  }

  return {
    options,
    batchCapacity,
    stats: () => ({ running, batchRunning, queued: queue.length, batchQueued: batchQueue.length, inflight, draining }),
    get draining() {
      return draining;
    },
    async acquire(kind = "interactive") {
      if (draining) return { ok: false, reason: "shutting_down", retryAfterSeconds: 5 };
      if (kind === "batch") return acquireBatch();
      if (interactiveFree()) return { ok: true, release: grant("interactive") };
      if (queue.length >= options.maxQueue) return { ok: false, reason: "queue_full", retryAfterSeconds: retryAfter() };
      const estimate = retryAfter();
      return new Promise<AcquireResult>((resolve) => {
        const waiter = (granted: boolean) => {
          clearTimeout(timer);
          resolve(granted ? { ok: true, release: grant("interactive") } : { ok: false, reason: "queue_timeout", retryAfterSeconds: estimate });
        };
        const timer = setTimeout(() => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          waiter(false);
          pump(); // batch rows held back for this waiter may start now
        }, options.queueTimeoutMs);
        queue.push(waiter);
      });
    },
    enter() {
      inflight++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        inflight--;
        checkIdle();
      };
    },
    drain(timeoutMs) {
      draining = true;
      for (const waiter of batchQueue.splice(0)) waiter(false);
      if (inflight === 0 && running === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

/** The messages of the gate's refusals (503), also used by admission.ts. */
export const BUSY_MESSAGES = {
  queue_full: "The server is busy grading other answers and its queue is full; try again shortly.",
  queue_timeout: "The server is busy: this grading waited too long for a free slot; try again shortly.",
  shutting_down: "The server is shutting down; try again in a moment.",
} as const;

/** Count every request in flight; while draining, refuse new ones with 503 shutting_down. */
export function trackInflight(gate: Gate): MiddlewareHandler {
  return async (c: Context, next) => {
    if (gate.draining) {
      c.header("Retry-After", "5");
      c.header("Connection", "close");
      return errorResponse(c, 503, "shutting_down", BUSY_MESSAGES.shutting_down);
    }
    const done = gate.enter();
    try {
      await next();
    } finally {
      whenResponseDone(c, done);
    }
  };
}
