-- Batch grading jobs (CLI `starcoach grade`, POST /v1/batches). A job holds its input rows, each
-- row's status and a reference to its grading, so a killed process resumes where it stopped.
CREATE TABLE IF NOT EXISTS batch_jobs (
  id TEXT PRIMARY KEY,
  -- sha256 of the input bytes plus the grading settings: re-running the same command finds the job.
  input_key TEXT,
  -- ingesting (rows still being read) | ready (rows to grade) | submitted (OpenAI Batch API) | done
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  mode TEXT NOT NULL,
  model TEXT,
  prompt_version TEXT NOT NULL,
  total INTEGER NOT NULL DEFAULT 0,
  provider_batch_id TEXT,
  provider_status TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS batch_jobs_by_key ON batch_jobs (input_key);
CREATE INDEX IF NOT EXISTS batch_jobs_by_status ON batch_jobs (status);

CREATE TABLE IF NOT EXISTS batch_rows (
  job_id TEXT NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  row_id TEXT NOT NULL,
  principle TEXT,
  question TEXT,
  answer TEXT,
  -- pending | done | error
  status TEXT NOT NULL,
  grading_id TEXT,
  cached INTEGER NOT NULL DEFAULT 0,
  error_code TEXT,
  error_message TEXT,
  PRIMARY KEY (job_id, ordinal)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS batch_rows_by_status ON batch_rows (job_id, status, ordinal);
