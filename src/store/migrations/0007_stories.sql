-- The story bank. Every grading is a version of a story (gradings.story_id); a story row holds what
-- the user edits (a title; null means "from the first words of the first version") and the
-- principles the story serves (story_principles: each version's target plus the ones the user adds).
ALTER TABLE gradings ADD COLUMN story_id TEXT;

-- Gradings from before the story bank: answers to the same principle and the same question are
-- versions of one story, named after the earliest; an answer without a question is a story alone.
UPDATE gradings SET story_id = COALESCE(
  (SELECT g2.id FROM gradings g2
    WHERE gradings.question IS NOT NULL AND g2.question = gradings.question AND g2.principle_id = gradings.principle_id
    ORDER BY g2.created_at, g2.id LIMIT 1),
  id);
UPDATE gradings SET feedback = json_set(feedback, '$.storyId', story_id);
CREATE INDEX IF NOT EXISTS gradings_by_story ON gradings (story_id, created_at, id);

CREATE TABLE IF NOT EXISTS stories (
  id TEXT PRIMARY KEY,
  title TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT OR IGNORE INTO stories (id, title, created_at, updated_at)
  SELECT story_id, NULL, MIN(created_at), MAX(created_at) FROM gradings GROUP BY story_id;

CREATE TABLE IF NOT EXISTS story_principles (
  story_id TEXT NOT NULL,
  principle_id TEXT NOT NULL,
  PRIMARY KEY (story_id, principle_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO story_principles (story_id, principle_id) SELECT DISTINCT story_id, principle_id FROM gradings;

-- Follow-up drills: a follow-up question answered after a grading, and its judgement (JSON).
CREATE TABLE IF NOT EXISTS drills (
  id TEXT PRIMARY KEY,
  grading_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  result TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS drills_by_grading ON drills (grading_id, created_at);

-- Mock interviews: the settings, questions, timings and links to gradings and drills, as one JSON
-- document (the answers' text lives in those gradings and drills only).
CREATE TABLE IF NOT EXISTS mocks (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  status TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mocks_by_time ON mocks (created_at DESC, id DESC);

-- Deleting a grading (one, a story's, or all) takes its drills along, and the story once its last
-- version is gone; deleting a story takes its principle list along. Triggers, so that every
-- deletion path of the grading store does this without knowing about stories.
CREATE TRIGGER IF NOT EXISTS gradings_delete_story_data AFTER DELETE ON gradings
BEGIN
  DELETE FROM drills WHERE grading_id = OLD.id;
  DELETE FROM stories WHERE id = OLD.story_id AND NOT EXISTS (SELECT 1 FROM gradings WHERE story_id = OLD.story_id);
END;
CREATE TRIGGER IF NOT EXISTS stories_delete_principles AFTER DELETE ON stories
BEGIN
  DELETE FROM story_principles WHERE story_id = OLD.id;
END;
