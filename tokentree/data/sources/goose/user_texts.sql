-- The typed user messages of each session: the first few of every session (the first of them
-- that holds text labels it) and all those of a session with ledger rows (each starts a turn).
-- Goose also files tool results as user messages: their first block is a toolResponse, and they
-- are never read (the test on the first block is a cheap prefix check); nor are the messages
-- Goose keeps from the user (metadata userVisible false).
SELECT session_id, ts, content_json FROM (
    SELECT session_id, ${timestamp} AS ts, content_json,
           row_number() OVER (PARTITION BY session_id ORDER BY ${order}) AS n
    FROM messages
    WHERE role = 'user'
      AND replace(substr(content_json, 1, 24), ' ', '') LIKE '[{"type":"text"%'
      AND ${visible}
)
WHERE n <= 3 ${ledgered}
ORDER BY session_id, n
