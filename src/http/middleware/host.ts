/**
 * DNS rebinding defence: answer only requests addressed to this server's own names.
 *
 * A page on evil.example can re-point its own name at 127.0.0.1; the browser then treats the
 * server on loopback as evil.example itself (same origin, so the CSRF check passes too) and the page
 * could read and delete every stored answer. The browser still sends `Host: evil.example:PORT`, so
 * refusing unknown names closes it. Always answered: `localhost` and IP addresses — an IP address
 * in the Host header cannot be rebound, since it is the page's own origin — plus the names the
 * operator lists in STARCOACH_ALLOWED_HOSTS (`name` for any port, `name:port` for one).
 */
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "../errors.js";

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function defaultPort(protocol: string): string {
  return protocol === "https:" ? "443" : "80";
}

/** Whether the request's Host (as parsed into its URL) is one this server answers. */
export function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  const name = url.hostname.toLowerCase();
  if (name === "localhost" || IPV4.test(name) || name.startsWith("[")) return true;
  const port = url.port || defaultPort(url.protocol);
  return allowed.includes(name) || allowed.includes(`${name}:${port}`);
}

/** 421 host_not_allowed for any other Host; null when every Host is answered (allowed === null). */
export function hostCheck(allowed: readonly string[] | null): MiddlewareHandler | null {
  if (allowed === null) return null;
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (hostAllowed(url, allowed)) return next();
    const port = url.port ? `:${url.port}` : "";
    return errorResponse(
      c,
      421,
      "host_not_allowed",
      `This server does not answer to the name "${url.host.slice(0, 100)}". Open it as http://localhost${port} or http://127.0.0.1${port}; ` +
        `to serve it under that name, add it to STARCOACH_ALLOWED_HOSTS (comma-separated host or host:port).`,
    );
  };
}
