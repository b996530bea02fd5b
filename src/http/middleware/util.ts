/**
 * Small Web-API helpers shared by the middleware (no node:* imports: the same code runs on Workers).
 */
import type { Context } from "hono";

const encoder = new TextEncoder();
let compareKey: Promise<CryptoKey> | null = null;

/**
 * Constant-time string equality: both sides are HMAC-ed with a random per-process key and the
 * 32-byte digests compared with a branch-free XOR loop, so neither the content nor the length of
 * the secret leaks through timing.
 */
export async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  compareKey ??= crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]) as Promise<CryptoKey>;
  const key = await compareKey;
  const [da, db] = await Promise.all([crypto.subtle.sign("HMAC", key, encoder.encode(a)), crypto.subtle.sign("HMAC", key, encoder.encode(b))]);
  const x = new Uint8Array(da);
  const y = new Uint8Array(db);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/**
 * The value a chain of `hops` trusted proxies vouches for in a comma-separated forwarding header:
 * the hops-th entry from the right. Each proxy appends what it saw, so everything further left
 * came from the client and proves nothing.
 */
export function forwardedEntry(header: string | undefined, hops: number): string | undefined {
  if (!header || hops <= 0) return undefined;
  const entries = header.split(",").map((e) => e.trim()).filter(Boolean);
  return entries[Math.max(0, entries.length - hops)];
}

/**
 * Who is calling, for the rate limits: the socket address on Node (@hono/node-server passes the
 * IncomingMessage as env.incoming), CF-Connecting-IP on Workers (set by Cloudflare, not the client).
 * X-Forwarded-For only counts when the operator says proxies they run set it (`trustProxy` hops).
 */
export function clientKey(c: Context, trustProxy: number): string {
  const forwarded = forwardedEntry(c.req.header("x-forwarded-for"), trustProxy);
  if (forwarded) return forwarded;
  const cf = c.req.header("cf-connecting-ip");
  if (cf && isWorkers(c)) return cf;
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? (trustProxy && cf ? cf : "local");
}

/** Whether the client reached us over HTTPS: directly, or through trusted proxies that say so. */
export function isHttps(c: Context, trustProxy: number): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return forwardedEntry(c.req.header("x-forwarded-proto"), trustProxy)?.toLowerCase() === "https";
}

function isWorkers(c: Context): boolean {
  // On Workers the request carries Cloudflare's `cf` object; a Node request never does.
  return typeof (c.req.raw as { cf?: unknown }).cf === "object";
}

/**
 * Run `done` when the response has been sent: at once for an ordinary body, at the end (or
 * cancellation) of the body for a stream (Server-Sent Events), so a streamed grading holds its
 * slot and is logged with its real latency.
 */
export function whenResponseDone(c: Context, done: () => void): void {
  const res = c.res;
  const type = res.headers.get("content-type") ?? "";
  if (!res.body || !type.startsWith("text/event-stream")) {
    done();
    return;
  }
  let called = false;
  const finish = () => {
    if (!called) {
      called = true;
      done();
    }
  };
  const reader = res.body.getReader();
  const wrapped = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          controller.close();
          finish();
        } else controller.enqueue(value);
      } catch (err) {
        controller.error(err);
        finish();
      }
    },
    async cancel(reason) {
      finish();
      await reader.cancel(reason);
    },
  });
  c.res = new Response(wrapped, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** Replace every occurrence of each secret (and of its long prefixes/suffixes) with a marker. */
export function redactor(secrets: ReadonlyArray<string | null | undefined>): (text: string) => string {
  const list = secrets.filter((s): s is string => typeof s === "string" && s.length >= 8);
  if (list.length === 0) return (text) => text;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // A provider may echo part of a key ("sk-abc…xyz"): also hide any 12+ character run of it.
  const parts = new Set<string>();
  for (const s of list) {
    parts.add(s);
    if (s.length > 24) {
      parts.add(s.slice(0, 12));
      parts.add(s.slice(-12));
    }
  }
  const pattern = new RegExp([...parts].sort((a, b) => b.length - a.length).map(escape).join("|"), "g");
  return (text) => text.replace(pattern, "[redacted]");
}
