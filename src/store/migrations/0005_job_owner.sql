-- Who is grading a job: the owner (JSON: kind cli|server, host, pid, a per-run token) holds a lease
-- until lease_expires_at (ms since the epoch), renewed while it runs, so two processes never grade
-- the same job at once and a killed process's job is taken over (src/batch/lease.ts).
ALTER TABLE batch_jobs ADD COLUMN owner TEXT;
ALTER TABLE batch_jobs ADD COLUMN lease_expires_at INTEGER;
