-- A subagent record goes with the last call of its session and file: remove the records ${where}
-- picks whose (file, session) has no raw call left.
DELETE FROM raw_agents a
WHERE ${where}
  AND NOT EXISTS (SELECT 1 FROM raw_calls c
                  WHERE c.file_id = a.file_id AND c.session_id IS NOT DISTINCT FROM a.session_id);
