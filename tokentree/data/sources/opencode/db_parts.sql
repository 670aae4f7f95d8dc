-- The parts that matter (parts.PATHS: step-finish, tool, text of user messages, file,
-- compaction) with their fields taken out by SQLite — the bulky tool outputs and texts never
-- reach Python — in message and part id order. A part is parsed only if its text holds one of
-- those type names in quotes (a part of that type must): assistant texts, reasoning, snapshots
-- and patches are never parsed. ok = 0: data is not valid JSON (skipped and counted).
WITH user_messages AS (
    SELECT id FROM message
    WHERE CASE WHEN json_valid(data) THEN json_extract(data, '$.role') END = 'user'
)
SELECT message_id, time_created, ok, kind, ${values}
FROM (
    SELECT message_id, id, time_created, data, ok,
           CASE WHEN ok THEN json_extract(data, '$.type') END AS kind
    FROM (
        SELECT message_id, id, ${time_created} AS time_created, data, json_valid(data) AS ok
        FROM part
        WHERE ${candidates}
    )
)
WHERE NOT ok OR kind IN ('step-finish', 'tool', 'file', 'compaction')
   OR (kind = 'text' AND message_id IN (SELECT id FROM user_messages))
ORDER BY message_id, id
