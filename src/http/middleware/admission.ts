/**
 * Admission of work that may call the model: the per-client rate limit, then a slot of the
 * grading gate; and the per-client budget of batch rows. The routes call it themselves, after
 * reading and checking the request (a bad request costs nothing), and hold the slot until their
 * grading has really ended — for a stream that is when the model call ends, not when the client
 * disconnects.
 *
 * The limits protect model spend and shared servers. On a Node server on loopback without a
 * token, offline gradings (which cost nothing) are not counted; with a token, on a non-loopback
 * address or on Workers everything is (`security.rateLimitOffline`).
 */
import type { Context } from "hono";
import type { SecurityConfig } from "../../config.js";
import type { AppEnv } from "../context.js";
import { LimitError } from "../errors.js";
import { BUSY_MESSAGES, type Gate } from "./concurrency.js";
import { createRateLimiter } from "./rate-limit.js";
import { clientKey } from "./util.js";

export interface Admission {
  /** Admit one interactive grading: throws LimitError (429/503) or returns the slot's release. */
  admit(c: Context<AppEnv>): Promise<() => void>;
  /** Count batch rows against the client's budget as they are read; throws LimitError past it. */
  meterRows<T>(c: Context<AppEnv>, rows: AsyncIterable<T>): AsyncGenerator<T>;
}

const HOUR_MS = 3_600_000;

export function createAdmission(security: SecurityConfig, gate: Gate): Admission {
  const perMinute = security.rateLimitPerMinute;
  const gradings = perMinute > 0 ? createRateLimiter({ limit: perMinute }) : null;
  const rowsPerHour = security.batchRowsPerHour;
  const rows = rowsPerHour > 0 ? createRateLimiter({ limit: rowsPerHour, windowMs: HOUR_MS }) : null;
  const counted = (c: Context<AppEnv>) => security.rateLimitOffline || c.var.deps.grading.grader.mode === "llm";

  return {
    async admit(c) {
      if (gradings && counted(c)) {
        const wait = gradings.take(clientKey(c, security.trustProxy));
        if (wait > 0) throw new LimitError(429, "rate_limited", `Too many gradings from this client (limit ${perMinute} a minute); try again in ${wait} s.`, wait);
      }
      const slot = await gate.acquire("interactive");
      if (slot.ok) return slot.release;
      throw new LimitError(503, slot.reason === "shutting_down" ? "shutting_down" : "server_busy", BUSY_MESSAGES[slot.reason], slot.retryAfterSeconds);
    },

    async *meterRows(c, source) {
      if (!rows || !counted(c)) return yield* source;
      const key = clientKey(c, security.trustProxy);
      let n = 0;
      for await (const row of source) {
        n++;
        if (n > rows.available(key)) {
          const wait = rows.waitFor(key, Math.min(n, rowsPerHour));
          throw new LimitError(
            429,
            "batch_rows_limited",
            `This batch has more rows than this client may still send (budget ${rowsPerHour} rows an hour, ${Math.floor(rows.available(key))} left now); ` +
              `try again in ${wait} s${n > rowsPerHour ? ", and split it into parts of at most " + rowsPerHour + " rows" : ""}.`,
            wait,
          );
        }
        yield row;
      }
      rows.take(key, n);
    },
  };
}
