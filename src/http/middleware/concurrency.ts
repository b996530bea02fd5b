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

export type AcquireResult = { ok: true; release: () => void } | { ok: false; reason: "queue_full" | "queue_timeout" | "shutting_down"; retryAfterSeconds: number };

export interface Gate {
  readonly options: GateOptions;
  /** Gradings running / waiting / requests of any kind in flight. */
  stats(): { running: number; queued: number; inflight: number; draining: boolean };
  acquire(): Promise<AcquireResult>;
  /** Mark a request in flight (any route); returns the function that marks it done. */
  enter(): () => void;
  readonly draining: boolean;
  /** Stop admitting new requests (they get 503 shutting_down) and resolve once nothing is in flight or after timeoutMs; true when drained. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createGate(options: GateOptions): Gate {
  let running = 0;
  let inflight = 0;
  let draining = false;
  let avgHoldMs = 1_000; // moving average of how long a grading holds its slot, for Retry-After
  const queue: Array<(granted: boolean) => void> = [];
  const idleWaiters: Array<() => void> = [];

  const retryAfter = () => Math.min(120, Math.max(1, Math.ceil(((queue.length + 1) / options.maxConcurrent) * (avgHoldMs / 1000))));

  function checkIdle() {
    if (inflight === 0 && running === 0) for (const w of idleWaiters.splice(0)) w();
  }

  function grant(): () => void {
    running++;
    const started = Date.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      avgHoldMs = avgHoldMs * 0.8 + (Date.now() - started) * 0.2;
      running--;
      const next = queue.shift();
      if (next) next(true);
      checkIdle();
    };
  }

  return {
    options,
    stats: () => ({ running, queued: queue.length, inflight, draining }),
    get draining() {
      return draining;
    },
    async acquire() {
      if (draining) return { ok: false, reason: "shutting_down", retryAfterSeconds: 5 };
      if (running < options.maxConcurrent && queue.length === 0) return { ok: true, release: grant() };
      if (queue.length >= options.maxQueue) return { ok: false, reason: "queue_full", retryAfterSeconds: retryAfter() };
      const estimate = retryAfter();
      return new Promise<AcquireResult>((resolve) => {
        const waiter = (granted: boolean) => {
          clearTimeout(timer);
          resolve(granted ? { ok: true, release: grant() } : { ok: false, reason: "queue_timeout", retryAfterSeconds: estimate });
        };
        const timer = setTimeout(() => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          waiter(false);
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
