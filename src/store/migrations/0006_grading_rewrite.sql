-- The cached model-written rewrite of a grading (JSON), in the grading's own row so that deleting
-- the grading deletes it too.
ALTER TABLE gradings ADD COLUMN rewrite TEXT;
