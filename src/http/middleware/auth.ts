/**
 * Optional access token (STARCOACH_API_TOKEN). When set:
 * - every /v1 route needs `Authorization: Bearer <token>` (or the session cookie the login form
 *   sets, which is what the page's own script sends); else 401 JSON with WWW-Authenticate;
 * - every page needs the session cookie; without it the login form is shown, with status 401;
 * - POST /login checks the token and sets `starcoach_session`: HttpOnly, SameSite=Strict, Path=/,
 *   Secure over HTTPS (directly, or per X-Forwarded-Proto from trusted proxies). Its value is a new
 *   random session id for every login (sessions.ts), never the token; POST /logout revokes it.
 * Comparisons are constant-time (util.timingSafeEqual). Open without a token: /healthz, the static
 * assets, the API reference (/docs, /openapi.json) and the login form itself.
 *
 * Wrong tokens (bearer or login form) are counted per client: past the budget a wrong token gets
 * 429 + Retry-After. The right token always passes, whatever the count: on loopback every local
 * program is the same client, and a lockout that refused the right token would let any of them
 * lock the owner out. Guessing is defeated by the token's length (16+ characters, 32 random bytes
 * advised), not by the counter; the counter caps the noise and work a guesser causes.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { loginPage } from "../../web/login.js";
import { errorResponse } from "../errors.js";
import { createRateLimiter } from "./rate-limit.js";
import { memorySessions, type SessionStore } from "./sessions.js";
import { clientKey, isHttps, timingSafeEqual } from "./util.js";

export const SESSION_COOKIE = "starcoach_session";
const SESSION_MAX_AGE = 30 * 24 * 3600;
const PUBLIC = [/^\/healthz$/, /^\/login$/, /^\/logout$/, /^\/assets\//, /^\/docs(\/|$)/, /^\/openapi\.json$/, /^\/favicon\.ico$/];

/** Only same-site paths: "/x", never "//host" or "/\host" (open redirect). */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])[^\s]*$/.test(next) && next.length < 2000 ? next : "/";
}

export interface AuthOptions {
  token: string;
  trustProxy: number;
  /** Wrong tokens per minute per client before 429 (default 10; burst the same). */
  failuresPerMinute?: number;
  /** Where issued session ids are kept (default: in memory, for SESSION_MAX_AGE). */
  sessions?: SessionStore;
}

export function createAuth(options: AuthOptions): { middleware: MiddlewareHandler; routes: Hono } {
  const sessions = options.sessions ?? memorySessions({ maxAgeMs: SESSION_MAX_AGE * 1000 });
  const https = (c: Context) => isHttps(c, options.trustProxy);

  function hasSession(c: Context): boolean {
    const cookie = getCookie(c, SESSION_COOKIE);
    return cookie !== undefined && sessions.has(cookie);
  }

  const failuresPerMinute = options.failuresPerMinute ?? 10;
  const failures = createRateLimiter({ limit: failuresPerMinute });
  /** Count a wrong token; the seconds to wait when this client is over its budget, else 0. */
  const countFailure = (c: Context) => failures.take(clientKey(c, options.trustProxy));

  const middleware: MiddlewareHandler = async (c, next) => {
    const path = c.req.path;
    if (c.req.method === "OPTIONS" || PUBLIC.some((re) => re.test(path))) return next();
    if (path === "/v1" || path.startsWith("/v1/")) {
      const header = c.req.header("authorization") ?? "";
      const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
      if (bearer !== undefined && (await timingSafeEqual(bearer, options.token))) return next();
      if (hasSession(c)) return next();
      const wait = bearer !== undefined ? countFailure(c) : 0;
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        return errorResponse(c, 429, "too_many_auth_failures", `Too many wrong tokens from this client (limit ${failuresPerMinute} a minute); try again in ${wait} s.`);
      }
      c.header("WWW-Authenticate", 'Bearer realm="starcoach"');
      return errorResponse(c, 401, "unauthorized", "This server needs its access token: send the header Authorization: Bearer <STARCOACH_API_TOKEN>.");
    }
    if (hasSession(c)) return next();
    const nextPath = c.req.method === "GET" ? path + (new URL(c.req.url).search || "") : "/";
    return c.html(loginPage(safeNext(nextPath), null), 401);
  };

  const routes = new Hono();
  routes.get("/login", (c) => c.html(loginPage(safeNext(c.req.query("next")), null), 200));
  routes.post(
    "/login",
    csrf(),
    async (c) => {
      let form: Record<string, unknown> = {};
      try {
        form = await c.req.parseBody();
      } catch {
        // an unreadable body is a wrong token
      }
      const next = safeNext(form.next);
      const token = typeof form.token === "string" ? form.token : "";
      if (!(await timingSafeEqual(token, options.token))) {
        const wait = countFailure(c);
        if (wait === 0) return c.html(loginPage(next, "That token is not right."), 401);
        c.header("Retry-After", String(wait));
        return c.html(loginPage(next, `Too many wrong tokens from this address; try again in ${wait} s.`), 429);
      }
      const previous = getCookie(c, SESSION_COOKIE);
      if (previous) sessions.revoke(previous);
      setCookie(c, SESSION_COOKIE, sessions.create(), {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        secure: https(c),
        maxAge: SESSION_MAX_AGE,
      });
      return c.redirect(next, 303);
    },
  );
  routes.post("/logout", csrf(), (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) sessions.revoke(cookie);
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: https(c) });
    return c.redirect("/login", 303);
  });
  return { middleware, routes };
}
