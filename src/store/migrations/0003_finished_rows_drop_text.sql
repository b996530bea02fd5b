-- A finished batch row no longer keeps its question and answer: a graded answer lives in its grading
-- (so deleting the grading deletes the text), and a failed row's text is never graded. Rows written
-- before this rule get the same treatment here.
UPDATE batch_rows SET question = NULL, answer = NULL WHERE status <> 'pending';
