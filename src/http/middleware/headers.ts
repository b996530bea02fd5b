/**
 * Secure response headers on every response, and CORS only for the origins the operator lists.
 *
 * The CSP allows scripts and stylesheets from this origin only: no inline <script>, no eval, no
 * inline <style> element, no third-party origin. The one relaxation is `style-src-attr
 * 'unsafe-inline'`: the pages position a few gauge markers with server-computed style="left:…"
 * attributes. A style attribute cannot run script, and the HTML around it is escaped; it is not
 * an inline stylesheet. A route may vouch for one exact inline stylesheet by its hash
 * (`cspStyleSources`): the batch report does, so it is styled without 'unsafe-inline'.
 */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../context.js";
import { isHttps } from "./util.js";

/** The policy, with extra sources for <style> elements (hashes of inline stylesheets a route vouches for). */
export function cspWith(styleElementSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    ["style-src-elem 'self'", ...styleElementSources].join(" "),
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    // The recorder plays a recording back from a blob: URL before it is sent.
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const CSP = cspWith();

const HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  // The page's own recorder may ask for the microphone; no other origin (or frame) may.
  "permissions-policy": "camera=(), microphone=(self), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "x-permitted-cross-domain-policies": "none",
};

/** Set the headers after the route ran, overriding any weaker policy a route set for itself. */
export function secureHeaders(trustProxy = 0): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const styles = c.get("cspStyleSources");
    const all = { ...HEADERS, "content-security-policy": styles ? cspWith(styles) : CSP };
    let headers = c.res.headers;
    try {
      for (const [name, value] of Object.entries(all)) headers.set(name, value);
    } catch {
      // An immutable Response (e.g. passed through from fetch): copy it, then set.
      c.res = new Response(c.res.body, c.res);
      headers = c.res.headers;
      for (const [name, value] of Object.entries(all)) headers.set(name, value);
    }
    // Connection is hop-by-hop, the server's to manage: a route's "keep-alive" (streamSSE sets one)
    // would contradict a client that asked for "close" and break the next request on that socket.
    if (headers.get("connection")?.toLowerCase() === "keep-alive") headers.delete("connection");
    // Over HTTPS, directly or as trusted proxies report it (X-Forwarded-Proto), browsers must keep to HTTPS.
    if (isHttps(c, trustProxy)) headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
    // Pages and API answers carry personal stories: never cache them in shared caches.
    if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  };
}

/**
 * CORS for the API, off by default: without STARCOACH_CORS_ORIGINS no Access-Control-* header is
 * ever sent, so browsers keep other sites from reading responses. With a list, only those exact
 * origins are allowed; credentials (the cookie) are never shared cross-origin — use the bearer token.
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler | null {
  if (origins.length === 0) return null;
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
    exposeHeaders: ["Retry-After", "X-Request-Id"],
    maxAge: 600,
    credentials: false,
  });
}
