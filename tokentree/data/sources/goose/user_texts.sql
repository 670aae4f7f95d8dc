-- The first few typed user messages of each session (Goose also files tool results as user
-- messages: their first block is a toolResponse, and they are never read). The first of them
-- that holds text labels the session; the test on the first block is a cheap prefix check.
SELECT session_id, ts, content_json FROM (
    SELECT session_id, ${timestamp} AS ts, content_json,
           row_number() OVER (PARTITION BY session_id ORDER BY ${order}) AS n
    FROM messages
    WHERE role = 'user'
      AND replace(substr(content_json, 1, 24), ' ', '') LIKE '[{"type":"text"%'
)
WHERE n <= 3
ORDER BY session_id, n
