/**
 * Storage faults: a full disk, a damaged database, a database that cannot be opened or written.
 * Every store method goes through `guardStore`, which turns the driver's error (better-sqlite3's
 * SQLITE_* code, or D1's message) into a StoreError with a stable code, an HTTP status and, for the
 * operator, the file and what to do. A damaged database stays reported as damaged: after the first
 * SQLITE_CORRUPT no further call touches it, so nothing more is written into a broken file.
 * No node:* imports: the Worker uses this too.
 */

export type StoreFaultCode = "store_unavailable" | "store_corrupt" | "storage_full";

export class StoreError extends Error {
  override name = "StoreError";
  constructor(
    readonly code: StoreFaultCode,
    /** For API clients: what happened, without server paths. */
    message: string,
    /** For the operator (CLI, server log, start-up): the file and what to do. */
    readonly detail: string,
    readonly status: 503 | 507,
  ) {
    super(message);
  }
}

const PATTERNS: Array<[StoreFaultCode, RegExp]> = [
  ["storage_full", /SQLITE_FULL|database or disk is full|ENOSPC|no space left/i],
  ["store_corrupt", /SQLITE_CORRUPT|SQLITE_NOTADB|malformed|file is not a database/i],
  [
    "store_unavailable",
    /SQLITE_(CANTOPEN|READONLY|IOERR|PERM|AUTH|BUSY|LOCKED)|unable to open database|readonly database|disk I\/O error|database is locked|connection is not open/i,
  ],
];

/** The fault an error reports, or null for anything else (a constraint, a bug). */
export function classifyStoreError(err: unknown): StoreFaultCode | null {
  if (err instanceof StoreError) return err.code;
  const e = err as { code?: unknown; message?: unknown } | null;
  const text = `${typeof e?.code === "string" ? e.code : ""} ${typeof e?.message === "string" ? e.message : String(err)}`;
  return PATTERNS.find(([, re]) => re.test(text))?.[0] ?? null;
}

/**
 * A StoreError for `err` on database `name` (a file path, or "D1"), or null if it is no storage
 * fault; with `fallback`, an unrecognised error counts as that fault.
 */
export function toStoreError(err: unknown, name: string, fallback?: StoreFaultCode): StoreError | null {
  if (err instanceof StoreError) return err;
  const code = classifyStoreError(err) ?? fallback;
  if (!code) return null;
  const driver = err instanceof Error ? err.message : String(err);
  switch (code) {
    case "storage_full":
      return new StoreError(
        code,
        "The database is full: nothing was stored. Try again once space has been freed.",
        `the database ${name} is full (${driver}): free disk space (or raise STARCOACH_DB_MAX_MB), then run again.`,
        507,
      );
    case "store_corrupt":
      return new StoreError(
        code,
        "The database is damaged; the server stopped using it. The operator has to repair it.",
        `the database ${name} is damaged (${driver}): stop starcoach, keep a copy of the file, then recover it with ` +
          `\`sqlite3 ${name} .recover | sqlite3 recovered.db\` and point STARCOACH_DB at recovered.db, or move it aside to start empty.`,
        503,
      );
    default:
      return new StoreError(
        code,
        "The database cannot be read or written right now.",
        `cannot read or write the database ${name} (${driver}): check that its folder exists and this user may write there, ` +
          "or set STARCOACH_DB (or --db) to a writable file.",
        503,
      );
  }
}

/** The health of a store: null when a read and a write just worked, else the fault. */
export type StoreHealth = StoreError | null;

export const HEALTH_CACHE_MS = 1_000;

/** Damaged databases by name, for every connection this process opened on them. */
const corrupted = new Map<string, StoreError>();

/**
 * Wrap every method of a store adapter: faults become StoreErrors; after a damaged-database fault
 * every later call fails at once with it (`close` still closes). `probe` (a small read and write)
 * becomes `health()`, cached for HEALTH_CACHE_MS so a busy health check costs one probe a second.
 */
export function guardStore<T extends object>(adapter: T, name: string, probe: () => Promise<void> = async () => {}): T & { health(): Promise<StoreHealth> } {
  const recognise = (err: unknown, fallback?: StoreFaultCode) => {
    const fault = toStoreError(err, name, fallback);
    if (fault?.code === "store_corrupt") corrupted.set(name, fault);
    return fault;
  };
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(adapter)) {
    if (typeof value !== "function") continue;
    const method = value as (...args: unknown[]) => unknown;
    wrapped[key] =
      key === "close"
        ? (...args: unknown[]) => method.apply(adapter, args)
        : async (...args: unknown[]) => {
            const known = corrupted.get(name);
            if (known) throw known;
            try {
              return await method.apply(adapter, args);
            } catch (err) {
              throw recognise(err) ?? err;
            }
          };
  }
  let checked: { at: number; health: StoreHealth } | null = null;
  wrapped.health = async (): Promise<StoreHealth> => {
    const known = corrupted.get(name);
    if (known) return known;
    if (checked && Date.now() - checked.at < HEALTH_CACHE_MS) return checked.health;
    let health: StoreHealth = null;
    try {
      await probe();
    } catch (err) {
      health = recognise(err, "store_unavailable");
    }
    checked = { at: Date.now(), health };
    return health;
  };
  return wrapped as T & { health(): Promise<StoreHealth> };
}

/** Forget a database's damaged state (tests, or after the file was replaced). */
export function clearStoreFault(name: string): void {
  corrupted.delete(name);
}
