-- Every v1 message (user and assistant) in id order, so that a fork's copies come after the
-- originals. data is MessageV2.Info without id and sessionID (they are columns); its fields
-- (parts.MESSAGE_PATHS) are taken out by SQLite. ok = 0: data is not a JSON object (skipped and
-- counted); json_extract only runs on valid JSON, which it would otherwise abort the query on.
SELECT id, session_id, time_created, ok, ${fields}
FROM (
    SELECT id, session_id, ${time_created} AS time_created, data,
           CASE WHEN json_valid(data) THEN substr(ltrim(data), 1, 1) = '{' ELSE 0 END AS ok
    FROM message
)
ORDER BY id
