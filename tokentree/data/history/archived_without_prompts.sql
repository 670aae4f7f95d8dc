-- The archived sessions of source $source that have no prompt: every file of theirs is
-- archived (tokentree.data.history.labels); with their first and last call and the main
-- thread's first working directory, to find their prompts in the tool's history file.
SELECT r.session_id, min(r.ts), max(r.ts),
       arg_min(r.cwd, r.ts) FILTER (WHERE NOT r.is_sidechain AND r.cwd IS NOT NULL)
FROM raw_calls r LEFT JOIN archived_files a USING (file_id)
WHERE r.source = $source AND r.ts IS NOT NULL
  AND r.session_id IN (SELECT c.session_id FROM raw_calls c JOIN archived_files f USING (file_id))
  AND r.session_id NOT IN (SELECT session_id FROM raw_prompts WHERE session_id IS NOT NULL)
GROUP BY r.session_id
HAVING bool_and(a.file_id IS NOT NULL)
