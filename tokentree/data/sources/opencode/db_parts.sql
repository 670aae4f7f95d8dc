-- The parts that matter (parts.py: step-finish, tool, text of user messages, file, compaction),
-- each as a JSON array of the values at its paths, in message and id order. A part whose data is
-- not valid JSON comes back with ok = 0 (counted as skipped); json_valid guards json_extract,
-- which would otherwise abort the whole query on one malformed blob.
WITH user_messages AS (
    SELECT id FROM message
    WHERE json_valid(data) AND json_extract(data, '$.role') = 'user'
),
typed AS (
    SELECT message_id, id, ${time_created} AS time_created, data, json_valid(data) AS ok
    FROM part
)
SELECT message_id, time_created, ok, kind,
       CASE kind
           WHEN 'step-finish' THEN json_extract(data, ${step_finish})
           WHEN 'tool' THEN json_extract(data, ${tool})
           WHEN 'text' THEN CASE WHEN message_id IN (SELECT id FROM user_messages)
                                 THEN json_extract(data, ${text}) END
           WHEN 'file' THEN json_extract(data, ${file})
           WHEN 'compaction' THEN json_extract(data, ${compaction})
       END AS fields
FROM (SELECT *, CASE WHEN ok THEN json_extract(data, '$.type') END AS kind FROM typed)
WHERE NOT ok OR kind IN ('step-finish', 'tool', 'text', 'file', 'compaction')
ORDER BY message_id, id
