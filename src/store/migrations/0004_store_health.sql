-- One row that the health check (GET /healthz) rewrites, proving the database takes writes.
CREATE TABLE IF NOT EXISTS store_health (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at TEXT NOT NULL
);
