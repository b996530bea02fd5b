/**
 * Concurrency for batch grading: a fixed pool of workers pulling rows from one source, a semaphore
 * that keeps at most N model calls in flight, and a shared gate that every worker waits on after a
 * rate-limit answer, so one 429 slows the whole batch down instead of each worker hammering the
 * provider in turn.
 */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Gate {
  /** Resolves once no pause is in effect. */
  ready(): Promise<void>;
  /** Hold every worker for `ms` from now (a longer pause already in effect wins). */
  pause(ms: number): void;
  readonly pausedUntil: number;
}

export function createGate(now: () => number = Date.now): Gate {
  let until = 0;
  return {
    get pausedUntil() {
      return until;
    },
    async ready() {
      for (let wait = until - now(); wait > 0; wait = until - now()) await sleep(wait);
    },
    pause(ms) {
      until = Math.max(until, now() + Math.max(0, ms));
    },
  };
}

export interface Semaphore {
  /** Resolves, in the order asked, to the release of one of the permits. */
  acquire(): Promise<() => void>;
}

/** At most `permits` holders at once; waiters are served first come, first served. */
export function createSemaphore(permits: number): Semaphore {
  let free = Math.max(1, permits);
  const waiting: Array<() => void> = [];
  const release = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiting.shift();
      if (next) next();
      else free++;
    };
  };
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve(release());
      }
      return new Promise((resolve) => waiting.push(() => resolve(release())));
    },
  };
}

/**
 * Run `work` over every item of `source` with at most `concurrency` running at once. Items are
 * pulled lazily, so a source of any length is never held in memory. `stop()` returning true ends
 * the pull early (in-flight work still finishes).
 */
export async function runPool<T>(
  source: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  let exhausted = false;
  // Async generators queue concurrent next() calls, but a plain iterator may not: serialise pulls.
  let pulling: Promise<unknown> = Promise.resolve();
  const pull = () => {
    const next = pulling.then(() => (exhausted || stop() ? ({ done: true, value: undefined } as IteratorResult<T>) : it.next()));
    pulling = next.catch(() => undefined);
    return next;
  };
  const worker = async () => {
    for (;;) {
      const r = await pull();
      if (r.done) {
        exhausted = true;
        return;
      }
      await work(r.value);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
