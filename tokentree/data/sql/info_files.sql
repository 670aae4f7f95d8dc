-- The transcript files a node's calls were read from, with the lines each contributed. A call
-- is every raw row sharing its (message.id, requestId) key, across files (as deduplicated in
-- calls.sql); a call without message.id is its own single raw row (cid is that row's rowid).
SELECT f.path, count(*)::BIGINT AS calls, sum(src.lines)::BIGINT AS lines
FROM (
    SELECT r.file_id, r.lines
    FROM node_calls n
    JOIN raw_calls r
      ON r.message_id = n.message_id AND r.request_id IS NOT DISTINCT FROM n.request_id
    WHERE n.message_id IS NOT NULL AND r.ts IS NOT NULL AND NOT r.is_api_error
      AND coalesce(r.model, '') <> '<synthetic>'
    UNION ALL
    SELECT r.file_id, r.lines
    FROM node_calls n
    JOIN raw_calls r ON r.rowid = n.cid
    WHERE n.message_id IS NULL
) src
JOIN files f USING (file_id)
GROUP BY f.path
ORDER BY lines DESC, f.path
