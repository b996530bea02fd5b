-- Every graded answer with its feedback (JSON), model, prompt version and token usage.
CREATE TABLE IF NOT EXISTS gradings (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  principle_id TEXT NOT NULL,
  question TEXT,
  answer TEXT NOT NULL,
  mode TEXT NOT NULL,
  model TEXT,
  prompt_version TEXT NOT NULL,
  input_tokens INTEGER,
  output_tokens INTEGER,
  overall_score INTEGER NOT NULL,
  cache_key TEXT,
  feedback TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS gradings_by_time ON gradings (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS gradings_by_cache_key ON gradings (cache_key);
