-- User messages that carry text (Goose also files tool results as user messages), in order: the
-- first one of a session labels it.
SELECT session_id, ${timestamp} AS ts, content_json FROM messages
WHERE role = 'user' AND instr(content_json, '"text"') > 0
ORDER BY session_id, ${order}
