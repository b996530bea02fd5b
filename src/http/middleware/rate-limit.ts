/**
 * Per-client rate limit on grading: a token bucket per client (capacity = the per-minute limit,
 * refilled continuously), in memory. 429 + Retry-After when empty. The table of clients is capped
 * (oldest entries evicted), so a flood of distinct addresses cannot grow memory without bound.
 * On Workers the table is per isolate: a soft limit there (use Cloudflare's rate limiting rules for
 * a hard one).
 */
import type { Context, MiddlewareHandler } from "hono";
import { errorResponse } from "../errors.js";
import { clientKey } from "./util.js";

export interface RateLimiterOptions {
  perMinute: number;
  /** Most clients tracked at once (default 10,000). */
  maxClients?: number;
  now?: () => number;
}

export interface RateLimiter {
  /** Take one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number;
  readonly size: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const capacity = options.perMinute;
  const perMs = capacity / 60_000;
  const maxClients = options.maxClients ?? 10_000;
  const now = options.now ?? (() => Date.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
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
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    },
    get size() {
      return buckets.size;
    },
  };
}

/** Limit the requests this middleware is mounted on; `code` names the limit in the 429 body. */
export function rateLimit(limiter: RateLimiter, options: { trustProxy: number; perMinute: number; code?: string; what?: string }): MiddlewareHandler {
  return async (c: Context, next) => {
    const wait = limiter.take(clientKey(c, options.trustProxy));
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      return errorResponse(
        c,
        429,
        options.code ?? "rate_limited",
        `Too many ${options.what ?? "gradings"} from this client (limit ${options.perMinute} a minute); try again in ${wait} s.`,
      );
    }
    await next();
  };
}
