-- Each session's first user message (SQLite returns the other columns of the row holding the
-- min()), clipped: it labels the session and its one turn. Clipped as bytes: structured content
-- starts with a NUL ("\0json:"), which SQLite's text functions stop at.
SELECT session_id, min(${timestamp}) AS ts, substr(CAST(content AS BLOB), 1, ${limit}) AS text
FROM messages
WHERE role = 'user' AND content IS NOT NULL
GROUP BY session_id
