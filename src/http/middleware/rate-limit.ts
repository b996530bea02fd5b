/**
 * Per-client limits (gradings a minute, batch rows an hour, wrong tokens a minute): a token bucket
 * per client (capacity = the limit, refilled continuously over the window), in memory. The table
 * of clients is capped (oldest entries evicted), so a flood of distinct addresses cannot grow
 * memory without bound.
 * On Workers the table is per isolate: a soft limit there (use Cloudflare's rate limiting rules for
 * a hard one).
 */
export interface RateLimiterOptions {
  /** Tokens per window, which is also the burst. */
  limit: number;
  /** Default one minute. */
  windowMs?: number;
  /** Most clients tracked at once (default 10,000). */
  maxClients?: number;
  now?: () => number;
}

export interface RateLimiter {
  /** Take `cost` tokens (default 1) when there are enough; returns 0 when taken, else the seconds to wait. */
  take(key: string, cost?: number): number;
  /** Tokens the client has now. */
  available(key: string): number;
  /** Seconds until the client has `cost` tokens (0: now). */
  waitFor(key: string, cost: number): number;
  readonly size: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const capacity = options.limit;
  const perMs = capacity / (options.windowMs ?? 60_000);
  const maxClients = options.maxClients ?? 10_000;
  const now = options.now ?? (() => Date.now());
  const buckets = new Map<string, { tokens: number; at: number }>();

  function bucket(key: string) {
    const t = now();
    let b = buckets.get(key);
    if (b) {
      b.tokens = Math.min(capacity, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.delete(key); // re-insert: Map order doubles as least-recently-used order
    } else {
      b = { tokens: capacity, at: t };
      if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value!);
    }
    buckets.set(key, b);
    return b;
  }
  const wait = (tokens: number, cost: number) => (tokens >= cost ? 0 : Math.max(1, Math.ceil((cost - tokens) / perMs / 1000)));

  return {
    take(key, cost = 1) {
      const b = bucket(key);
      const seconds = wait(b.tokens, cost);
      if (seconds === 0) b.tokens -= cost;
      return seconds;
    },
    available: (key) => bucket(key).tokens,
    waitFor: (key, cost) => wait(bucket(key).tokens, cost),
    get size() {
      return buckets.size;
    },
  };
}
