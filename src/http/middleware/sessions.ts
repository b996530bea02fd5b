/**
 * Signed-in browser sessions: every login gets a new random id (256 bits), which is all the cookie
 * holds, and the server keeps the ids it issued. Logout forgets the id, so a copied cookie stops
 * working at once; the old design (a cookie equal to HMAC(token, constant)) gave every login the
 * same value, which only changing the token could revoke.
 *
 * The ids live in memory: a restart signs everyone out (fail closed), and on Workers each isolate
 * has its own table, so a browser may be asked to sign in again there (API clients use the bearer
 * token and are not affected).
 */

export interface SessionStore {
  /** Issue a new session id. */
  create(): string;
  /** Whether `id` was issued, has not expired and was not revoked. */
  has(id: string): boolean;
  revoke(id: string): void;
  readonly size: number;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function memorySessions(options: { maxAgeMs: number; maxSessions?: number; now?: () => number }): SessionStore {
  const now = options.now ?? (() => Date.now());
  const maxSessions = options.maxSessions ?? 10_000;
  const expiries = new Map<string, number>();
  return {
    create() {
      const id = randomId();
      // Oldest first out, so a flood of logins cannot grow memory without bound.
      if (expiries.size >= maxSessions) expiries.delete(expiries.keys().next().value!);
      expiries.set(id, now() + options.maxAgeMs);
      return id;
    },
    has(id) {
      const expires = expiries.get(id);
      if (expires === undefined) return false;
      if (expires > now()) return true;
      expiries.delete(id);
      return false;
    },
    revoke(id) {
      expiries.delete(id);
    },
    get size() {
      return expiries.size;
    },
  };
}
