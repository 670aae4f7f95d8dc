-- OpenCode "v2" messages (session_message): the role is the type column, the model is nested in
-- data.model; an assistant row is one model request.
SELECT id, session_id, type, ${time_created} AS time_created, data
FROM session_message ORDER BY id
