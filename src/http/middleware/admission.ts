/**
 * Admission of work that may call the model: the per-client rate limit, then a slot of the
 * grading gate. The routes call it themselves, after
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
}

export function createAdmission(security: SecurityConfig, gate: Gate): Admission {
  const perMinute = security.rateLimitPerMinute;
  const gradings = perMinute > 0 ? createRateLimiter({ limit: perMinute }) : null;
  const counted = (c: Context<AppEnv>) => security.rateLimitOffline || c.var.deps.grading.grader.mode === "llm";

  return {
    async admit(c) {
      if (gradings && counted(c)) {
        const wait = gradings.take(clientKey(c, security.trustProxy));
        if (wait > 0) throw new LimitError(429, "rate_limited", `Too many gradings from this client (limit ${perMinute} a minute); try again in ${wait} s.`, wait);
      }
      const slot = await gate.acquire();
      if (slot.ok) return slot.release;
      throw new LimitError(503, slot.reason === "shutting_down" ? "shutting_down" : "server_busy", BUSY_MESSAGES[slot.reason], slot.retryAfterSeconds);
    },
  };
}
